import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir } from '@image-layers/support/workspace';
import { ConfigError, emptyConfig, findConfigFile, parseConfig } from './config';
import { lintText } from './engine';

const temp = makeTempDir('image-layers-lint-config-');
afterAll(temp.cleanup);

const lint = async (yaml: string, text: string) =>
  (await lintText({ text, file: 'Dockerfile', config: parseConfig(yaml, '.hadolint.yaml') })).map(
    (f) => `${f.code}:${f.severity}`,
  );

describe('.hadolint.yaml', () => {
  test('`ignored` removes codes from every report', async () => {
    expect(await lint('ignored: [DL3007, IL1003]\n', 'FROM debian:latest\n')).toEqual([]);
  });
  test("`override` changes a code's severity", async () => {
    expect(await lint('override:\n  error: [DL3007]\nignored: [IL1003]\n', 'FROM debian:latest\n')).toEqual([
      'DL3007:error',
    ]);
  });
  test('`failure-threshold` and `trustedRegistries` are read', () => {
    const config = parseConfig('failure-threshold: warning\ntrustedRegistries:\n  - ghcr.io\n', 'c');
    expect(config.failureThreshold).toBe('warning');
    expect(config.trustedRegistries).toEqual(['ghcr.io']);
    expect(parseConfig('failure-threshold: ignore\n', 'c').failureThreshold).toBe('none');
  });
  test('an empty file is the empty config', () => {
    expect(parseConfig('', 'c')).toMatchObject({ ...emptyConfig(), file: 'c' });
  });
  test('invalid YAML, a wrong type or an unknown severity is a clear error naming the file and key', () => {
    expect(() => parseConfig('ignored: [a\n', '/x/.hadolint.yaml')).toThrow(ConfigError);
    expect(() => parseConfig('ignored: [a\n', '/x/.hadolint.yaml')).toThrow(
      /^\/x\/\.hadolint\.yaml:\d+:\d+: not valid YAML/,
    );
    expect(() => parseConfig('ignored: DL3008\n', '/x/.hadolint.yaml')).toThrow(
      /^\/x\/\.hadolint\.yaml:1:10: "ignored" must be a list/,
    );
    expect(() => parseConfig('ignored: []\noverride:\n  fatal: [DL3008]\n', 'f')).toThrow(
      /^f:3:3: "override.fatal" is not a severity/,
    );
    expect(() => parseConfig('override:\n  error: DL3008\n', 'f')).toThrow(
      /^f:2:10: "override.error" must be a list/,
    );
    expect(() => parseConfig('failure-threshold: loud\n', 'f')).toThrow(
      /^f:1:20: "failure-threshold" must be/,
    );
  });
  test('the nearest .hadolint.yaml above a path is used, up to the workspace root', () => {
    writeFileSync(join(temp.path, 'nx.json'), '{}');
    writeFileSync(join(temp.path, '.hadolint.yaml'), 'ignored: []\n');
    mkdirSync(join(temp.path, 'packages/a'), { recursive: true });
    expect(findConfigFile(join(temp.path, 'packages/a'))).toBe(join(temp.path, '.hadolint.yaml'));
    writeFileSync(join(temp.path, 'packages/a/.hadolint.yml'), 'ignored: []\n');
    expect(findConfigFile(join(temp.path, 'packages/a'))).toBe(join(temp.path, 'packages/a/.hadolint.yml'));
  });
});
