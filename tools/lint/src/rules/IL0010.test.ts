import { describe, expect, test } from 'vitest';
import { emptyConfig } from '../config';
import { lintText } from '../engine';
import { ruleByCode } from './index';
import { composed } from './rule-test-kit';

const lint = async (text: string, codes: string[]) =>
  (
    await lintText({
      text,
      file: 'Dockerfile',
      config: emptyConfig(),
      rules: codes.map((code) => ruleByCode.get(code)!),
    })
  ).map((f) => `${f.line}:${f.code}`);

describe('IL0010 stale ignore pragmas', () => {
  test('an ignore that suppresses nothing is reported at the pragma', async () => {
    expect(
      await lint('FROM debian:12\n# hadolint ignore=DL3003 # was needed once\nRUN make\n', [
        'DL3003',
        'IL0010',
      ]),
    ).toEqual(['2:IL0010']);
  });
  test('an ignore that suppresses a finding is not reported', async () => {
    expect(
      await lint(
        'FROM debian:12\n# hadolint ignore=DL3003 # the tarball builds in place\nRUN cd /src && make\n',
        ['DL3003', 'IL0010'],
      ),
    ).toEqual([]);
  });
  test('in a layer linted alone, an ignore for a rule only the composed image can show is not stale', async () => {
    const fragment = composed([
      {
        name: 'app',
        text: "# hadolint ignore=IL1006 # removes the base's cache on purpose\nRUN rm -rf /var/cache/x\n",
      },
    ]);
    const findings = await lintText({
      ...fragment,
      file: 'x',
      config: emptyConfig(),
      rules: ['IL1006', 'IL0010'].map((code) => ruleByCode.get(code)!),
    });
    expect(findings).toEqual([]);
  });
  test('codes of rules this linter does not run (other hadolint rules, shellcheck) are left alone', async () => {
    expect(
      await lint('FROM debian:12\n# hadolint ignore=DL3018,SC2086\nRUN make\n', ['DL3003', 'IL0010']),
    ).toEqual([]);
  });
});
