import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir } from '@image-layers/testing';
import { lintCliIn } from './cli.test-kit';

// Files handed to the linter are hostile until read: the real `image-layers lint` command on what an attacker (or an
// accident) puts in its way. Each ends with findings or one clear line and exit 2, within a bounded time and memory
// (`npm run bench:hostile` measures them); none hangs, grows without end or prints a stack trace.
const temp = makeTempDir('image-layers-lint-hostile-');
afterAll(temp.cleanup);

const { cli, file } = lintCliIn(temp.path);
const fifo = (name: string) => {
  execFileSync('mkfifo', [join(temp.path, name)]);
  return name;
};
const findings = (stdout: string) =>
  (JSON.parse(stdout) as { line: number; code: string; message: string }[]).map(
    (finding) => `${finding.line} ${finding.code}`,
  );

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);

describe('lint on hostile files', () => {
  test('a FIFO named as the Dockerfile is refused at once (it used to wait for a writer forever)', async () => {
    const result = await cli(fifo('pipe.Dockerfile'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/pipe\.Dockerfile: this Dockerfile is not a regular file/);
    noStackTrace(result.stderr);
  });

  test('a FIFO as the nearest .hadolint.yaml is refused at once', async () => {
    const dir = 'fifo-config';
    execFileSync('mkdir', [join(temp.path, dir)]);
    fifo(`${dir}/.hadolint.yaml`);
    const result = await cli(file(`${dir}/Dockerfile`, 'FROM debian:12\n'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/\.hadolint\.yaml: the lint config is not a regular file/);
  });

  test('/dev/zero is refused, not read until memory runs out', async () => {
    const result = await cli('/dev/zero');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('/dev/zero: this Dockerfile is not a regular file');
  });

  test('a Dockerfile over 1 MiB (10 MB on one line) is refused with its size, before it is parsed', async () => {
    const result = await cli(file('huge.Dockerfile', `FROM debian:12\nRUN echo ${'a'.repeat(10_000_000)}\n`));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /huge\.Dockerfile: this Dockerfile is 10000025 bytes, more than the 1048576 \(1 MiB\)/,
    );
  });

  test('just under 1 MiB on one line is linted whole', async () => {
    const result = await cli(
      '--format',
      'json',
      file('long.Dockerfile', `FROM debian:12\nRUN apt-get install -y ${'a'.repeat(1_000_000)}\n`),
    );
    expect(result.exitCode).toBe(1);
    expect(findings(result.stdout)).toEqual(expect.arrayContaining(['2 DL3008', '2 DL3015']));
  });

  test('90,000 `&&` continuations are linted to the end (the shell walk used to overflow the stack)', async () => {
    const chain = ` \\\n && true`.repeat(90_000);
    const result = await cli(
      '--format',
      'json',
      file('chain.Dockerfile', `FROM debian:12\nRUN true${chain} && sudo make\n`),
    );
    expect(result.exitCode).toBe(1);
    expect(findings(result.stdout)).toEqual(['1 IL1003', '90002 DL3004']);
  });

  test('3,000 nested `$(` are an IL0001 finding at the RUN, the other rules still report', async () => {
    const nested = `${'$('.repeat(3_000)}x${')'.repeat(3_000)}`;
    const result = await cli(
      '--format',
      'json',
      file('nested.Dockerfile', `FROM debian:latest\nRUN echo ${nested}\n`),
    );
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { line: number; code: string; message: string }[];
    expect(report.map((finding) => `${finding.line} ${finding.code}`)).toEqual([
      '1 IL1003',
      '1 DL3007',
      '2 IL0001',
    ]);
    expect(report[2]!.message).toContain('commands nest more than 200 deep');
  });

  test('a YAML alias bomb in .hadolint.yaml is one line naming the file, exit 2', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    levels.push('ignored: *i');
    const config = file('bomb.yaml', `${levels.join('\n')}\n`);
    const result = await cli('--config', config, file('plain.Dockerfile', 'FROM debian:12\n'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: .*bomb\.yaml: cannot be read as a config: Excessive alias count/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('ONBUILD RUN is linted as a RUN (DL3009 used to crash on it: getFlags is not a function)', async () => {
    const result = await cli(
      '--format',
      'json',
      file('onbuild.Dockerfile', 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y python\n'),
    );
    expect(result.exitCode).toBe(1);
    expect(findings(result.stdout)).toEqual(['1 IL1003', '2 DL3009', '2 DL3015', '2 DL3008']);
    expect(result.stderr).toBe('');
  });
});
