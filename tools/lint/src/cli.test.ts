import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir } from '@image-layers/testing';
import { lintCliIn } from './cli.test-kit';

// The real `image-layers lint` command, as a user and Nx run it.
const temp = makeTempDir('image-layers-lint-cli-');
afterAll(temp.cleanup);

const { cli, file } = lintCliIn(temp.path);

describe('image-layers lint', () => {
  test('a clean Dockerfile exits 0', async () => {
    const result = await cli(
      file('clean.Dockerfile', `FROM debian:12@sha256:${'a'.repeat(64)}\nCOPY a /a\n`),
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'no findings\n' });
  });
  test('a finding at or above the threshold exits 1; --failure-threshold moves the line', async () => {
    const name = file('info.Dockerfile', 'FROM debian:12\n');
    expect((await cli(name)).exitCode).toBe(1);
    expect((await cli('--failure-threshold', 'warning', name)).exitCode).toBe(0);
    expect(
      (await cli('--failure-threshold', 'none', file('bad.Dockerfile', 'FROM debian:latest\nRUN sudo x\n')))
        .exitCode,
    ).toBe(0);
  });
  test('.hadolint.yaml beside the file sets the threshold unless the flag does', async () => {
    file('.hadolint.yaml', 'failure-threshold: error\n');
    const name = file('warn.Dockerfile', 'FROM debian:latest\n');
    expect((await cli(name)).exitCode).toBe(0);
    expect((await cli('--failure-threshold', 'warning', name)).exitCode).toBe(1);
    file('.hadolint.yaml', '');
  });
  test('--format json prints the findings array; --format sarif a SARIF 2.1.0 log', async () => {
    const name = file(
      'pipe.Dockerfile',
      `FROM debian:12@sha256:${'a'.repeat(64)}\nRUN curl -fsSL https://x | sh\n`,
    );
    const json = await cli('--format', 'json', name);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        file: 'pipe.Dockerfile',
        line: 2,
        column: 26,
        code: 'DL4006',
        severity: 'warning',
        message: expect.stringContaining('pipefail'),
      },
    ]);
    const sarif = await cli('--format', 'sarif', name);
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
  });
  test('a missing file, an unreadable one, a folder that is no layer or image, a bad option or no path exits 2 with a clear message', async () => {
    expect(await cli('nope.Dockerfile')).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('nope.Dockerfile: no such file'),
    });
    // Even root cannot read this file (EIO), so the check holds whoever runs the tests.
    expect(await cli('/proc/self/mem')).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('cannot be read (EIO)'),
    });
    expect(await cli('.')).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('without layer.json, image.json or Dockerfile'),
    });
    expect((await cli('--format', 'xml', 'x')).exitCode).toBe(2);
    expect((await cli()).exitCode).toBe(2);
  });
  test('--list-rules prints each rule with its code, severity and one line', async () => {
    const result = await cli('--list-rules');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^DL3008 {2}warning {2}Pin every package/m);
    expect(result.stdout).toMatch(/^IL1008 {2}error {4}/m);
  });
});
