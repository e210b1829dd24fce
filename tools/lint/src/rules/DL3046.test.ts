import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3046 useradd -l with a long UID', () => {
  test('useradd with a UID longer than five digits and no -l is reported', async () => {
    expect(await spots('DL3046', 'FROM debian:12\nRUN useradd -u 1000000 app\n')).toEqual(['2:5']);
  });
  test('a short UID, or -l / --no-log-init, passes', async () => {
    expect(
      await spots(
        'DL3046',
        'FROM debian:12\nRUN useradd -u 1000 -m agent && useradd -l -u 1000000 a && useradd --no-log-init --uid=1000001 b\n',
      ),
    ).toEqual([]);
  });
});
