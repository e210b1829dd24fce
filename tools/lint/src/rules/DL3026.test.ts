import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3026 trusted registries', () => {
  test('with trustedRegistries set, an image from another registry is reported', async () => {
    expect(await spots('DL3026', 'FROM quay.io/org/img:1\nFROM ghcr.io/org/img:1\n', ['ghcr.io'])).toEqual([
      '1:6',
    ]);
  });
  test('Docker Hub images count as docker.io; stages, scratch and variables pass', async () => {
    expect(
      await spots('DL3026', 'FROM debian:12 AS b\nFROM b\nFROM scratch\nFROM ${X}\n', ['docker.io']),
    ).toEqual([]);
    expect(await spots('DL3026', 'FROM debian:12\n', ['ghcr.io'])).toEqual(['1:6']);
  });
  test('without trustedRegistries nothing is judged', async () => {
    expect(await spots('DL3026', 'FROM quay.io/org/img:1\n')).toEqual([]);
  });
});
