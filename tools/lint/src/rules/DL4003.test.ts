import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL4003 one CMD a stage', () => {
  test('every CMD after the first of a stage is reported', async () => {
    expect(
      await spots('DL4003', 'FROM debian:12\nCMD ["a"]\nCMD ["b"]\nFROM debian:12\nCMD ["c"]\n'),
    ).toEqual(['3:1']);
  });
});
