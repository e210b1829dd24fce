import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3003 WORKDIR instead of cd', () => {
  test('cd anywhere in a RUN is reported at the cd, even after a continuation', async () => {
    expect(await spots('DL3003', 'FROM debian:12\nRUN make \\\n  && cd /src && make install\n')).toEqual([
      '3:6',
    ]);
  });
  test('a word "cd" that is an argument, not a command, passes', async () => {
    expect(await spots('DL3003', 'FROM debian:12\nRUN echo cd /src\n')).toEqual([]);
  });
});
