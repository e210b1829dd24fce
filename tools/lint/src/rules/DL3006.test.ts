import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3006 tagged FROM', () => {
  test('an untagged image is reported at its name', async () => {
    expect(await spots('DL3006', 'FROM debian\n')).toEqual(['1:6']);
  });
  test('a tag, a digest, scratch, an earlier stage and an ARG-made image pass', async () => {
    const text =
      'ARG BASE=debian:12\nFROM ${BASE} AS base\nFROM debian:12 AS build\nFROM base\nFROM build\nFROM scratch\nFROM debian@sha256:' +
      'a'.repeat(64) +
      '\n';
    expect(await spots('DL3006', text)).toEqual([]);
  });
});
