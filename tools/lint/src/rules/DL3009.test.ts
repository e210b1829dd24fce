import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3009 apt lists removed', () => {
  test('apt-get update without removing /var/lib/apt/lists is reported at the update', async () => {
    expect(await spots('DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n')).toEqual([
      '2:5',
    ]);
  });
  test('rm -rf /var/lib/apt/lists/* in the same RUN, or an apt cache mount, passes', async () => {
    expect(
      await spots(
        'DL3009',
        'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      ),
    ).toEqual([]);
    expect(
      await spots(
        'DL3009',
        'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n',
      ),
    ).toEqual([]);
  });
  test('a build stage that is never built upon is not judged', async () => {
    expect(
      await spots('DL3009', 'FROM debian:12 AS tools\nRUN apt-get update\nFROM debian:12\nRUN echo done\n'),
    ).toEqual([]);
  });
});
