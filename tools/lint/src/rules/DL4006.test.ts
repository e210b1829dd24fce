import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL4006 pipefail before a pipe', () => {
  test('a pipe under the default shell is reported at the pipe', async () => {
    expect(await spots('DL4006', 'FROM debian:12\nRUN curl -fsSL https://x | tee /k > /dev/null\n')).toEqual([
      '2:26',
    ]);
  });
  test('SHELL with -o pipefail, or a non-POSIX shell, lets pipes pass; a new FROM resets it', async () => {
    const text =
      'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nFROM debian:12\nRUN c | d\n';
    expect(await spots('DL4006', text)).toEqual(['5:7']);
  });
  test('a || is not a pipe, nor is a | inside quotes or a heredoc body', async () => {
    expect(
      await spots('DL4006', "FROM debian:12\nRUN a || b && echo 'x | y'\nRUN cat <<EOF > /f\na | b\nEOF\n"),
    ).toEqual([]);
  });
});
