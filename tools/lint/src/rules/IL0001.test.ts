import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0001 RUN is valid shell', () => {
  test('an unclosed if is reported in the RUN', async () => {
    expect(await spots('IL0001', 'FROM debian:12\nRUN if [ -f /x ]; then echo y\n')).toHaveLength(1);
  });
  test('comment lines inside a continuation are dropped as Docker drops them, leaving valid shell', async () => {
    expect(await spots('IL0001', 'FROM debian:12\nRUN a \\\n# a note\n    && b \\\n\n    && c\n')).toEqual(
      [],
    );
  });
});
