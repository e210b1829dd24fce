import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL4004 one ENTRYPOINT a stage', () => {
  test('every ENTRYPOINT after the first of a stage is reported', async () => {
    expect(
      await spots(
        'DL4004',
        'FROM debian:12\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nFROM debian:12\nENTRYPOINT ["c"]\n',
      ),
    ).toEqual(['3:1']);
  });
});
