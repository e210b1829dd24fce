import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0004 instructions have arguments', () => {
  test('instructions without arguments are reported', async () => {
    expect(await spots('IL0004', 'FROM\nRUN\nWORKDIR\nCOPY a /a\n')).toEqual(['1:1', '2:1', '3:1']);
  });
});
