import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { ScriptRun } from '@image-layers/support/processes';

/** The project's script that brings up the engine and the local base (start|stop|status|env). */
export const IMAGE_TEST_ENV_SCRIPT = 'tools/image-test/bin/image-test-env.sh';

/** A Docker engine as the image tests use it: where it listens, the local base, and its CLI. */
export interface DockerEngine {
  /** e.g. unix:///run/image-layers-…/docker.sock */
  host: string;
  /** The locally made Debian base every test image builds on. */
  baseImage: string;
  /** Runs `docker <args>` against this engine; never throws on a non-zero exit. */
  docker(
    args: string[],
    options?: { input?: string; timeoutMs?: number; logFile?: string },
  ): Promise<ScriptRun>;
}

/** No engine (or no base) where the image tests look for one: the message says how to get it. */
export class EngineUnavailable extends Error {
  override name = 'EngineUnavailable';
}

function dockerEnv(host: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    DOCKER_HOST: host,
    // The engine is Debian's 20.10 with the legacy builder, whatever client is first on PATH.
    DOCKER_BUILDKIT: '0',
    DOCKER_CLI_HINTS: 'false',
  };
}

/** A `docker` runner for one engine; output can be streamed to a log file (builds are long and loud). */
export function dockerCli(host: string): DockerEngine['docker'] {
  return async (args, options = {}) => {
    const child = execa('docker', args, {
      env: dockerEnv(host),
      extendEnv: false,
      reject: false,
      input: options.input ?? '',
      timeout: options.timeoutMs ?? 120_000,
      stripFinalNewline: false,
      all: false,
    });
    if (options.logFile) {
      mkdirSync(dirname(options.logFile), { recursive: true });
      const log = createWriteStream(options.logFile);
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      const result = await child;
      await new Promise<void>((resolve) => log.end(resolve));
      return {
        exitCode: result.exitCode ?? -1,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
      };
    }
    const result = await child;
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
    };
  };
}

/** The script of this checkout (its engine and cache are this workspace's, whatever workspace a test composes). */
export const imageTestEnvScript = join(__dirname, '..', 'bin', 'image-test-env.sh');

/**
 * DOCKER_HOST and IMAGE_TEST_BASE as the project's script computes them (it alone knows its paths), and the
 * packages the local base adds beyond what python:3.11-slim gives (IMAGE_TEST_BASE_ADDS), for the output to say.
 */
export function testEngineAddress(): { host: string; baseImage: string; baseAdds: string[] } {
  const text = execFileSync(imageTestEnvScript, ['env'], { encoding: 'utf8', env: process.env });
  const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  return {
    host: value('DOCKER_HOST'),
    baseImage: value('IMAGE_TEST_BASE'),
    baseAdds: value('IMAGE_TEST_BASE_ADDS')
      .split(/[\s,]+/)
      .filter(Boolean),
  };
}

/**
 * The engine the image tests run on, checked: it answers and holds the local base. When not, throws
 * EngineUnavailable saying the one command that brings both up.
 */
export async function connectTestEngine(): Promise<DockerEngine> {
  const { host, baseImage } = testEngineAddress();
  const docker = dockerCli(host);
  const how =
    process.getuid?.() === 0
      ? `run \`${IMAGE_TEST_ENV_SCRIPT} start\` (\`npm test\` does it for you)`
      : `run \`sudo ${IMAGE_TEST_ENV_SCRIPT} start\` (it installs Debian's docker.io and debootstrap and starts an engine with its own data root), or set IMAGE_TEST_DOCKER_HOST to an engine you run`;
  const version = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 }).catch(
    () => undefined,
  );
  if (!version || version.exitCode !== 0) {
    throw new EngineUnavailable(`no Docker engine for image tests at ${host}: ${how}`);
  }
  const base = await docker(['image', 'inspect', '--format', '{{.Id}}', baseImage]);
  if (base.exitCode !== 0) {
    throw new EngineUnavailable(`the engine at ${host} has no local base image ${baseImage}: ${how}`);
  }
  return { host, baseImage, docker };
}
