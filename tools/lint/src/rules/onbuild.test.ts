import { describe, expect, test } from 'vitest';
import { emptyConfig } from '../config';
import { lintText } from '../engine';
import { RULES } from './index';
import { composed, layer, spots, type UnitFixture } from './rule-test-kit';

// `ONBUILD X` is an X that runs in every later build starting FROM this image, right after its FROM, in the state
// this stage ends with (USER, WORKDIR, SHELL). hadolint's specs give each rule an ONBUILD case; so does this table,
// one per rule, and a rule added without one fails the last test. A rule about one instruction's form (pins, flags,
// JSON form, secrets) checks the trigger as it checks the instruction; a rule about the state a stage of this image
// ends in (its last USER, its one CMD, its base) leaves triggers alone, and its case says why.

const base = 'FROM debian:12\n';

interface OnbuildCase {
  input: string | ReturnType<typeof composed>;
  /** `line:column` of each finding (prefixed with the unit's name for composed input). */
  expected: string[];
  /** For a rule that leaves triggers alone: why. */
  ignoredBecause?: string;
  trustedRegistries?: string[];
}

const twoLayers = (app: UnitFixture['text']) =>
  composed([
    { name: 'base', text: base },
    { name: 'git-auth', text: 'COPY helper /usr/local/bin/helper\n', owns: ['/usr/local/bin/helper'] },
    { name: 'app', text: app },
  ]);

const CASES: Record<string, OnbuildCase> = {
  DL3000: { input: `${base}ONBUILD WORKDIR relative\n`, expected: ['2:17'] },
  DL3002: {
    input: `${base}USER agent\nONBUILD USER root\n`,
    expected: [],
    ignoredBecause: "the stage's last USER is agent; the trigger's USER is the later build's",
  },
  DL3003: { input: `${base}ONBUILD RUN cd /src && make\n`, expected: ['2:13'] },
  DL3004: { input: `${base}ONBUILD RUN sudo make install\n`, expected: ['2:13'] },
  DL3006: {
    input: `${base}ONBUILD FROM debian\n`,
    expected: [],
    ignoredBecause: 'FROM cannot be a trigger: IL0003 reports it',
  },
  DL3007: {
    input: `${base}ONBUILD FROM debian:latest\n`,
    expected: [],
    ignoredBecause: 'FROM cannot be a trigger: IL0003 reports it',
  },
  DL3008: {
    input: `${base}ONBUILD RUN apt-get install -y --no-install-recommends curl\n`,
    expected: ['2:56'],
  },
  DL3009: { input: `${base}ONBUILD RUN apt-get update && apt-get install -y curl=7\n`, expected: ['2:13'] },
  DL3013: { input: `${base}ONBUILD RUN pip install --no-cache-dir requests\n`, expected: ['2:40'] },
  DL3014: {
    input: `${base}ONBUILD RUN apt-get install --no-install-recommends curl=7\n`,
    expected: ['2:13'],
  },
  DL3015: { input: `${base}ONBUILD RUN apt-get install -y curl=7\n`, expected: ['2:13'] },
  DL3016: { input: `${base}ONBUILD RUN npm install -g typescript\n`, expected: ['2:28'] },
  DL3020: { input: `${base}ONBUILD ADD app.py /app/\n`, expected: ['2:13'] },
  DL3025: { input: `${base}ONBUILD CMD node server.js\n`, expected: ['2:13'] },
  DL3026: {
    input: 'FROM docker.io/debian:12\nONBUILD FROM quay.io/other/image:1\n',
    expected: [],
    ignoredBecause: 'FROM cannot be a trigger: IL0003 reports it',
    trustedRegistries: ['docker.io'],
  },
  // The trigger's ENV sets the later build's environment, not that of this image's own RUN after it.
  DL3042: {
    input: `${base}ONBUILD ENV PIP_NO_CACHE_DIR=1\nRUN pip install requests==2\n`,
    expected: ['3:5'],
  },
  // A trigger COPY lands in the WORKDIR the stage ends with: a WORKDIR anywhere in the stage counts.
  DL3045: {
    input: `${base.replace('\n', ' AS one\n')}ONBUILD COPY a relative/\n${base}ONBUILD COPY b relative/\nWORKDIR /app\n`,
    expected: ['2:16'],
  },
  DL3046: { input: `${base}ONBUILD RUN useradd -u 123456 builder\n`, expected: ['2:13'] },
  DL3059: {
    input: `${base}ONBUILD RUN make\nONBUILD RUN make install\n`,
    expected: [],
    ignoredBecause: "triggers are steps of the later build, not consecutive RUNs of this image's layers",
  },
  DL3064: { input: `${base}ONBUILD ENV API_TOKEN=later\n`, expected: ['2:13'] },
  DL4000: { input: `${base}ONBUILD MAINTAINER someone\n`, expected: ['2:9'] },
  DL4001: { input: `${base}ONBUILD RUN curl -O https://x/a && wget https://x/b\n`, expected: ['2:13'] },
  DL4003: {
    input: `${base}CMD ["a"]\nONBUILD CMD ["b"]\n`,
    expected: [],
    ignoredBecause: "a trigger's CMD is the later image's, not a second CMD of this stage",
  },
  DL4004: {
    input: `${base}ENTRYPOINT ["a"]\nONBUILD ENTRYPOINT ["b"]\n`,
    expected: [],
    ignoredBecause: "a trigger's ENTRYPOINT is the later image's, not a second one of this stage",
  },
  // The trigger runs with the SHELL the stage ends with, so a SHELL set after it still counts.
  DL4006: {
    input: `${base.replace('\n', ' AS one\n')}ONBUILD RUN a | b\n${base}ONBUILD RUN c | d\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n`,
    expected: ['2:15'],
  },
  IL0001: { input: `${base}ONBUILD RUN if then fi (\n`, expected: ['2:13'] },
  IL0002: { input: `${base}ONBUILD RUN <<EOF\necho never ends\n`, expected: ['2:13'] },
  IL0003: {
    input: `${base}ONBUILD FROM debian:12\nONBUILD ONBUILD RUN make\nONBUILD MAINTAINER me\nONBUILD BOGUS x\n`,
    expected: ['2:9', '3:9', '4:9', '5:9'],
  },
  IL0004: { input: `${base}ONBUILD\nONBUILD RUN\n`, expected: ['2:1', '3:9'] },
  IL0005: {
    input: `${base}ONBUILD RUN echo text\n`,
    expected: [],
    ignoredBecause: 'a Dockerfile with triggers is text like any other',
  },
  IL0006: {
    input: 'ONBUILD RUN echo only a trigger\n',
    expected: [],
    ignoredBecause: 'an ONBUILD is an instruction',
  },
  IL0007: {
    input: `${base}ONBUILD RUN make\n`,
    expected: [],
    ignoredBecause:
      "its findings come from the composer's checks of layer.json and image.json, not from the text",
  },
  IL0010: {
    input: `${base}ONBUILD RUN make\n`,
    expected: [],
    ignoredBecause: 'no pragma here; that a pragma suppresses a finding in a trigger is the test below',
  },
  IL1001: { input: `${base}ONBUILD RUN apt-get install -y curl || true\n`, expected: ['2:13'] },
  // A COPY and a chmod pair up only within one build: this image's RUN does not touch what a trigger copies later.
  IL1002: {
    input: `${base}ONBUILD COPY a /a\nRUN chmod 755 /a\nONBUILD RUN chmod 755 /a\n`,
    expected: ['4:13'],
  },
  IL1003: {
    input: `FROM debian:12@sha256:${'a'.repeat(64)}\nONBUILD FROM debian:12\n`,
    expected: [],
    ignoredBecause: 'FROM cannot be a trigger: IL0003 reports it',
  },
  IL1004: {
    input: layer({ name: 'tools', text: 'ONBUILD USER agent\nONBUILD WORKDIR /src\n' }),
    expected: [],
    ignoredBecause: 'a trigger changes the later build, not what the next layer of this image starts with',
  },
  IL1005: {
    input: layer({ name: 'tools', text: 'ONBUILD RUN echo "$LATER_ARG"\n' }),
    expected: [],
    ignoredBecause: "a trigger's variables are resolved in the later build, against its own ARGs",
  },
  IL1006: { input: twoLayers('ONBUILD RUN rm -f /usr/local/bin/helper\n'), expected: ['app:1:19'] },
  IL1007: { input: `${base}ONBUILD ENV GH=ghp_${'a'.repeat(36)}\n`, expected: ['2:16'] },
  IL1008: {
    input: layer({ name: 'tools', text: 'ONBUILD RUN usermod -aG docker builder\n' }),
    expected: ['tools:1:13'],
  },
  // A trigger runs in the later build, which the legacy builder refuses just the same.
  IL1009: {
    input: layer({ name: 'tools', text: 'ONBUILD COPY --chmod=755 a /a\nONBUILD RUN <<EOF\nmake\nEOF\n' }),
    expected: ['tools:1:14', 'tools:2:13'],
  },
  IL1010: {
    input: layer({ name: 'tools', text: 'ONBUILD COPY app.py /app/\nONBUILD RUN pip install flask==3.0.0\n' }),
    expected: [],
    ignoredBecause: "triggers run in the later build, in that build's order; its cache is its own",
  },
};

describe('every rule on ONBUILD triggers', () => {
  for (const rule of RULES) {
    const onbuild = CASES[rule.code];
    if (!onbuild) continue;
    const title = onbuild.ignoredBecause
      ? `${rule.code} leaves the trigger alone: ${onbuild.ignoredBecause}`
      : `${rule.code} checks the trigger as it checks the instruction`;
    test(title, async () => {
      expect(await spots(rule.code, onbuild.input, onbuild.trustedRegistries)).toEqual(onbuild.expected);
    });
  }

  test('every rule has an ONBUILD case here', () => {
    expect(RULES.map((rule) => rule.code).filter((code) => !CASES[code])).toEqual([]);
    expect(Object.keys(CASES).filter((code) => !RULES.some((rule) => rule.code === code))).toEqual([]);
  });

  test('all rules together on every kind of trigger: no crash, and a pragma suppresses a finding in a trigger', async () => {
    const text =
      `${base}ONBUILD RUN apt-get update && apt-get install -y python\n# hadolint ignore=DL3004\nONBUILD RUN sudo make\n` +
      [
        ...'ADD COPY ARG ENV LABEL EXPOSE VOLUME USER WORKDIR CMD ENTRYPOINT HEALTHCHECK SHELL STOPSIGNAL'.split(
          ' ',
        ),
      ]
        .map((keyword) => `ONBUILD ${keyword} x`)
        .join('\n') +
      '\n';
    const findings = await lintText({ text, file: 'Dockerfile', config: emptyConfig() });
    expect(findings.map((finding) => `${finding.line}:${finding.code}`)).toEqual(
      expect.arrayContaining(['2:DL3009', '2:DL3008', '2:DL3015']),
    );
    expect(findings.filter((finding) => finding.line === 4)).toEqual([]);
  });
});
