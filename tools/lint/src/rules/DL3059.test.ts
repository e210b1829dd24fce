import { describe, expect, test } from 'vitest';
import { composed, spots } from './rule-test-kit';

describe('DL3059 consecutive RUNs', () => {
  test('a short RUN right after another (comments between) is reported', async () => {
    expect(await spots('DL3059', 'FROM debian:12\nRUN a\n# why\nRUN b\n')).toEqual(['4:1']);
  });
  test('RUNs with more than two commands, different flags or another instruction between pass', async () => {
    expect(
      await spots(
        'DL3059',
        'FROM debian:12\nRUN a && b && c\nRUN d\nRUN --mount=type=cache,target=/c e\nENV X=1\nRUN f\n',
      ),
    ).toEqual([]);
  });
  test('RUNs of two different layers are never asked to merge (that would merge the layers)', async () => {
    const image = composed([
      { name: 'one', text: 'FROM debian:12\nRUN a\n' },
      { name: 'two', text: 'RUN b\n' },
    ]);
    expect(await spots('DL3059', image)).toEqual([]);
  });
});
