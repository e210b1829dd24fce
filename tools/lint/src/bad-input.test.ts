import { describe, expect, test } from 'vitest';
import { lintText } from './engine';

// Bad input never crashes the linter: each case gets findings (or, through the CLI, a clear error).
const codes = async (text: string) =>
  (await lintText({ text, file: 'Dockerfile' })).map((f) => `${f.line}:${f.column} ${f.code}`);

describe('bad input', () => {
  test('an empty file is one IL0006 finding', async () => {
    expect(await codes('')).toEqual(['1:1 IL0006']);
  });
  test('binary garbage is one IL0005 finding, no rule runs on it', async () => {
    const garbage = Array.from({ length: 2048 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    expect(await codes(garbage)).toEqual(['1:1 IL0005']);
  });
  test('CRLF line endings give the same findings at the same places as LF', async () => {
    const text = 'FROM debian:12\nRUN apt-get update \\\n    && cd /x\n';
    expect(await codes(text.replace(/\n/g, '\r\n'))).toEqual(await codes(text));
    expect(await codes(text)).toContain('3:8 DL3003');
  });
  test('an unterminated heredoc is reported, and the lines it swallowed are not linted as instructions', async () => {
    expect(await codes('FROM debian:12\nRUN cat <<EOF > /f\nhello\nRUN sudo x\n')).toEqual([
      '1:6 IL1003',
      '2:9 IL0002',
    ]);
  });
  test('instructions without arguments and unknown instructions are reported, and the rest is still linted', async () => {
    expect(await codes('FROM\nRUN\nFOO bar\nUSER\nRUN cd /x\n')).toEqual([
      '1:1 IL0004',
      '2:1 IL0004',
      '3:1 IL0003',
      '4:1 IL0004',
      '5:5 DL3003',
    ]);
  });
  test('a RUN that is not valid shell is reported and does not stop other rules', async () => {
    expect(
      await codes('FROM debian:12@sha256:' + 'a'.repeat(64) + '\nRUN if then fi (\nRUN cd /x\n'),
    ).toEqual(expect.arrayContaining(['3:5 DL3003']));
  });
});
