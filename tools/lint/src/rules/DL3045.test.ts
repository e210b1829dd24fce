import { describe, expect, test } from 'vitest';
import { composed, layer, spots } from './rule-test-kit';

describe('DL3045 COPY to a relative destination needs WORKDIR', () => {
  test('a relative destination before any WORKDIR is reported at the destination', async () => {
    expect(await spots('DL3045', 'FROM debian:12\nCOPY a.txt data/\n')).toEqual(['2:12']);
  });
  test('after a WORKDIR, or to an absolute destination, it passes', async () => {
    expect(await spots('DL3045', 'FROM debian:12\nCOPY a.txt /data/\nWORKDIR /app\nCOPY b.txt .\n')).toEqual(
      [],
    );
  });
  test('a layer linted alone is not judged; the composed image sees the WORKDIR an earlier layer set', async () => {
    expect(await spots('DL3045', layer({ name: 'app', text: 'COPY a.txt .\n' }))).toEqual([]);
    const image = composed([
      { name: 'base', text: 'FROM debian:12\n' },
      { name: 'app', text: 'COPY a.txt .\n' },
    ]);
    expect(await spots('DL3045', image)).toEqual(['app:1:12']);
  });
});
