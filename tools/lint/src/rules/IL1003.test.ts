import { describe, expect, test } from 'vitest';
import { run } from './rule-test-kit';

describe('IL1003 base image digest', () => {
  test('a tag without a digest is reported, also when an ARG default supplies it', async () => {
    const found = await run('IL1003', 'ARG BASE=python:3.11-slim\nFROM ${BASE}\n');
    expect(found.map((f) => f.at)).toEqual(['2:6']);
    expect(found[0]!.message).toContain('python:3.11-slim');
  });
  test('a digest, scratch, an earlier stage and an unresolvable variable pass', async () => {
    const text = `FROM debian:12@sha256:${'c'.repeat(64)} AS a\nFROM a\nFROM scratch\nFROM \${UNSET}\n`;
    expect((await run('IL1003', text)).map((f) => f.at)).toEqual([]);
  });
});
