import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3020 COPY, not ADD, for files', () => {
  test('ADD of a file or folder is reported at the source', async () => {
    expect(await spots('DL3020', 'FROM debian:12\nADD app.py /app/\n')).toEqual(['2:5']);
  });
  test('ADD of a URL or an archive passes', async () => {
    expect(
      await spots('DL3020', 'FROM debian:12\nADD https://example.com/x.txt /x\nADD rootfs.tar.gz /\n'),
    ).toEqual([]);
  });
});
