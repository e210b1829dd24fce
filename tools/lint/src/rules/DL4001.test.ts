import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL4001 wget or curl, not both', () => {
  test('the RUN that brings the second tool into a stage is reported', async () => {
    expect(
      await spots('DL4001', 'FROM debian:12\nRUN curl -fsSLo a https://x\nRUN wget -q https://y\n'),
    ).toEqual(['3:5']);
  });
  test('one tool per stage passes, even when another stage uses the other', async () => {
    expect(
      await spots(
        'DL4001',
        'FROM debian:12 AS a\nRUN curl -fsSLO https://x\nFROM debian:12\nRUN wget -q https://y\n',
      ),
    ).toEqual([]);
  });
});
