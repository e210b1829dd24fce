import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0006 at least one instruction', () => {
  test('an empty file, or one with only comments and blank lines, is reported', async () => {
    expect(await spots('IL0006', '')).toEqual(['1:1']);
    expect(await spots('IL0006', '# only a comment\n\n')).toEqual(['1:1']);
  });
  test('a single instruction passes', async () => {
    expect(await spots('IL0006', 'FROM scratch\n')).toEqual([]);
  });
});
