import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3007 no latest', () => {
  test('the latest tag is reported at the tag', async () => {
    expect(await spots('DL3007', 'FROM debian:latest\n')).toEqual(['1:13']);
  });
  test('a release tag, or latest pinned by digest, passes', async () => {
    expect(await spots('DL3007', `FROM debian:12\nFROM debian:latest@sha256:${'b'.repeat(64)}\n`)).toEqual(
      [],
    );
  });
});
