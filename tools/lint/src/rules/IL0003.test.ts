import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0003 known instructions', () => {
  test('an unknown instruction is reported at its keyword', async () => {
    expect(await spots('IL0003', 'FROM debian:12\nINSTALL curl\nRUN true\n')).toEqual(['2:1']);
  });
});
