import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3015 --no-install-recommends', () => {
  test('apt-get install that pulls recommends is reported at apt-get', async () => {
    expect(await spots('DL3015', 'FROM debian:12\nRUN apt-get install -y curl\n')).toEqual(['2:5']);
  });
  test('--no-install-recommends or APT::Install-Recommends=false passes', async () => {
    expect(
      await spots(
        'DL3015',
        'FROM debian:12\nRUN apt-get install -y --no-install-recommends a && apt-get install -y -o APT::Install-Recommends=false b\n',
      ),
    ).toEqual([]);
  });
});
