import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3064 no secrets in ARG or ENV', () => {
  test('known secret names and names containing token, password, secret are reported at the name', async () => {
    expect(await spots('DL3064', 'FROM debian:12\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x OTHER=1\n')).toEqual([
      '2:5',
      '3:5',
    ]);
  });
  test('ordinary names pass', async () => {
    expect(
      await spots('DL3064', 'FROM debian:12\nARG RUNTIME_VERSION=\nENV ADAPTER_MODULE=adapter\n'),
    ).toEqual([]);
  });
});
