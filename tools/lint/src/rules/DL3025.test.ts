import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3025 JSON form CMD and ENTRYPOINT', () => {
  test('shell-form CMD and ENTRYPOINT are reported', async () => {
    expect(await spots('DL3025', 'FROM debian:12\nENTRYPOINT /entrypoint.sh\nCMD run --fast\n')).toEqual([
      '2:12',
      '3:5',
    ]);
  });
  test('the JSON form, an empty JSON array included, passes', async () => {
    expect(await spots('DL3025', 'FROM debian:12\nENTRYPOINT ["/entrypoint.sh"]\nCMD []\n')).toEqual([]);
  });
});
