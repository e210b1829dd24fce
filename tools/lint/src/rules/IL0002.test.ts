import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('IL0002 heredocs end', () => {
  test('a heredoc without its terminator is reported where it starts', async () => {
    expect(await spots('IL0002', 'FROM debian:12\nRUN cat <<EOF > /f\nhello\n')).toEqual(['2:9']);
  });
  test('terminated heredocs (also <<- with tabs) pass', async () => {
    expect(
      await spots('IL0002', 'FROM debian:12\nRUN <<EOF\necho 1\nEOF\nRUN cat <<-END > /f\n\thi\n\tEND\n'),
    ).toEqual([]);
  });
});
