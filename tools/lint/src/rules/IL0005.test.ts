import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0005 text, not binary', () => {
  test('binary garbage is one finding at 1:1', async () => {
    const garbage = Buffer.from([
      0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 10, 0, 0x52, 0x55, 0x4e,
    ]).toString('latin1');
    expect(await spots('IL0005', garbage)).toEqual(['1:1']);
  });
  test('text with accents and emoji is text', async () => {
    expect(await spots('IL0005', 'FROM debian:12\n# café ✓\nRUN echo "é"\n')).toEqual([]);
  });
});
