import { describe, expect, test } from 'vitest';
import { emptyConfig } from './config';
import { lintText } from './engine';
import { ruleByCode } from './rules/index';
import { composed } from './rules/rule-test-kit';
import type { LintUnit } from './types';

const rules = ['DL3003', 'DL3004', 'IL0010'].map((code) => ruleByCode.get(code)!);
const lint = async (text: string, units: LintUnit[] = [], config = emptyConfig()) =>
  (await lintText({ text, file: 'Dockerfile', units, config, rules })).map(
    (f) => `${f.file === 'Dockerfile' ? '' : `${f.file.split('/')[2]}:`}${f.line}:${f.code}`,
  );

const run = 'RUN cd /src && sudo make\n';

describe('hadolint pragmas', () => {
  test('`# hadolint ignore=A,B` on the line above an instruction suppresses those codes there only', async () => {
    expect(await lint(`FROM debian:12\n# hadolint ignore=DL3003,DL3004\n${run}${run}`)).toEqual([
      '4:DL3003',
      '4:DL3004',
    ]);
  });
  test('a reason after a second # is allowed, and stacked pragma lines all apply', async () => {
    expect(
      await lint(
        `FROM debian:12\n# hadolint ignore=DL3003 # builds in place\n# hadolint ignore=DL3004 # the base has sudo only\n${run}`,
      ),
    ).toEqual([]);
  });
  test('an ignore separated from its instruction by another comment applies to nothing and is reported stale', async () => {
    expect(await lint(`FROM debian:12\n# hadolint ignore=DL3003\n# unrelated note\n${run}`)).toEqual([
      '2:IL0010',
      '4:DL3003',
      '4:DL3004',
    ]);
  });
  test('findings inside a multi-line RUN are matched to the pragma above its first line', async () => {
    expect(await lint('FROM debian:12\n# hadolint ignore=DL3003\nRUN make \\\n  && cd /x\n')).toEqual([]);
  });
  test('`# hadolint global ignore=` suppresses a code in the whole file', async () => {
    expect(await lint(`# hadolint global ignore=DL3004\nFROM debian:12\n${run}${run}`)).toEqual([
      '3:DL3003',
      '4:DL3003',
    ]);
  });
  test('in a composed image a global ignore covers only the fragment it is written in', async () => {
    const image = composed([
      { name: 'base', text: `FROM debian:12\n# hadolint global ignore=DL3003,DL3004\n${run}` },
      { name: 'app', text: run },
    ]);
    expect(await lint(image.text, image.units)).toEqual(['app:1:DL3003', 'app:1:DL3004']);
  });
  test('disable-ignore-pragma in the config turns every pragma off', async () => {
    const config = { ...emptyConfig(), disableIgnorePragma: true };
    expect(await lint(`FROM debian:12\n# hadolint ignore=DL3003,DL3004\n${run}`, [], config)).toEqual([
      '3:DL3003',
      '3:DL3004',
    ]);
  });
});
