import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3008 pinned apt packages', () => {
  test('each unpinned package is reported at its own word, across continuation lines', async () => {
    expect(
      await spots(
        'DL3008',
        'FROM debian:12\nRUN apt-get update && apt-get install -y \\\n    curl git=1:2.39.5-0+deb12u1 \\\n    jq\n',
      ),
    ).toEqual(['3:5', '4:5']);
  });
  test('pinned names, local .deb files, release-qualified names and -t values pass', async () => {
    expect(
      await spots(
        'DL3008',
        'FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl=8.0 ./pkg.deb gh/stable\n',
      ),
    ).toEqual([]);
  });
  test('a package list in a variable is not a pin (as in hadolint), so layers say why with a pragma', async () => {
    expect(await spots('DL3008', 'FROM debian:12\nRUN apt-get install -y ${PACKAGES}\n')).toEqual(['2:24']);
    expect(
      await spots(
        'DL3008',
        'FROM debian:12\n# hadolint ignore=DL3008 # a reason\nRUN apt-get install -y ${PACKAGES}\n',
      ),
    ).toEqual([]);
  });
});
