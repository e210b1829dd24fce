import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3000 absolute WORKDIR', () => {
  test('a relative WORKDIR is reported at its path', async () => {
    expect(await spots('DL3000', 'FROM debian:12\nWORKDIR app\n')).toEqual(['2:9']);
  });
  test('absolute, quoted absolute, variable and Windows paths pass', async () => {
    expect(
      await spots(
        'DL3000',
        'FROM debian:12\nWORKDIR /app\nWORKDIR "/srv"\nWORKDIR $HOME\nWORKDIR C:\\\\app\n',
      ),
    ).toEqual([]);
  });
});
