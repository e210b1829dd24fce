import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3002 last USER not root', () => {
  test('a stage whose last USER is root (by name or uid) is reported', async () => {
    expect(await spots('DL3002', 'FROM debian:12\nUSER agent\nUSER root\n')).toEqual(['3:6']);
    expect(await spots('DL3002', 'FROM debian:12\nUSER 0:0\n')).toEqual(['2:6']);
  });
  test('switching to root and back to a user passes; each stage is judged on its own', async () => {
    expect(
      await spots(
        'DL3002',
        'FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER root\nRUN id\nUSER agent\n',
      ),
    ).toEqual(['2:6']);
  });
});
