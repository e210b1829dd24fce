import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { makeTempDir, workspaceRoot } from '@image-layers/support/workspace';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { testEngineAddress } from './engine';
import { dockerBuildArgs, ImageBuildError, type ImageBuildOptions } from './build-image';

const options: ImageBuildOptions = {
  context: '/ctx',
  tags: ['molecule/workspace-claude-code:1.2.3', 'molecule/workspace-claude-code:latest'],
  buildArgs: ['RUNTIME_VERSION=0.1.30'],
  cacheFrom: ['type=registry,ref=registry.example/cache:claude-code'],
  cacheTo: 'type=local,dest=/tmp/cache',
  platform: 'linux/amd64',
};

describe("the image target's docker command", () => {
  test('with buildx: every option, the image loaded into the engine', () => {
    expect(dockerBuildArgs(options, 'buildx')).toEqual([
      'buildx',
      'build',
      '--load',
      '--tag',
      'molecule/workspace-claude-code:1.2.3',
      '--tag',
      'molecule/workspace-claude-code:latest',
      '--build-arg',
      'RUNTIME_VERSION=0.1.30',
      '--cache-from',
      'type=registry,ref=registry.example/cache:claude-code',
      '--cache-to',
      'type=local,dest=/tmp/cache',
      '--platform',
      'linux/amd64',
      '/ctx',
    ]);
  });

  test("with the engine's legacy builder: the same, and --cache-to refused with how to get buildx", () => {
    expect(dockerBuildArgs({ ...options, cacheTo: undefined }, 'legacy')).toEqual([
      'build',
      '--tag',
      'molecule/workspace-claude-code:1.2.3',
      '--tag',
      'molecule/workspace-claude-code:latest',
      '--build-arg',
      'RUNTIME_VERSION=0.1.30',
      '--cache-from',
      'type=registry,ref=registry.example/cache:claude-code',
      '--platform',
      'linux/amd64',
      '/ctx',
    ]);
    expect(() => dockerBuildArgs(options, 'legacy')).toThrow(/--cache-to needs docker buildx/);
  });

  test('a build argument that is not NAME=value is refused', () => {
    expect(() => dockerBuildArgs({ ...options, buildArgs: ['0.1.30'] }, 'buildx')).toThrow(ImageBuildError);
  });
});

describe('npx nx run <image>:image, through the CLI (on the image of a fixture workspace)', () => {
  const temp = makeTempDir('image-target-');
  const workspace = makeFixtureWorkspace();
  afterAll(() => {
    temp.cleanup();
    workspace.cleanup();
  });
  writeFileSync(join(temp.path, 'Dockerfile'), 'FROM scratch\n');
  const cli = (args: string[], env: Record<string, string>) =>
    runScript(
      'node',
      [
        join(workspaceRoot, 'tools/image-layers/bin/image-layers.js'),
        'image',
        join(workspace.root, 'apps/img'),
        ...args,
      ],
      { env, cwd: workspaceRoot, timeoutMs: 60_000 },
    );

  test('without a reachable engine, fails with one line saying how to get one', async () => {
    const result = await cli(['--context', temp.path], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^error: no Docker engine reachable at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock: start one \(`sudo tools\/image-test\/bin\/image-test-env\.sh start` runs Debian's docker\.io here\), or point DOCKER_HOST at yours\n$/,
    );
  });

  test('without a composed context, says to build it first', async () => {
    const result = await cli(['--context', join(temp.path, 'missing')], {});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('run `npx nx build img` first');
  });

  test('builds for real on the engine, with tags and build arguments (the local base stands in for python:3.11-slim)', async () => {
    const { host, baseImage } = testEngineAddress();
    writeFileSync(
      join(temp.path, 'Dockerfile'),
      'ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE}\nARG RUNTIME_VERSION=\nRUN echo "runtime=${RUNTIME_VERSION}" > /runtime-version\n',
    );
    const tag = 'image-layers-test/image-target:probe';
    const result = await cli(
      [
        '--context',
        temp.path,
        '--tag',
        tag,
        '--build-arg',
        `BASE_IMAGE=${baseImage}`,
        '--build-arg',
        'RUNTIME_VERSION=0.1.30',
      ],
      { DOCKER_HOST: host, DOCKER_BUILDKIT: '0' },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `--tag ${tag} --build-arg BASE_IMAGE=${baseImage} --build-arg RUNTIME_VERSION=0.1.30`,
    );
    const run = await runScript(
      'docker',
      ['run', '--rm', '--network', 'host', tag, 'cat', '/runtime-version'],
      { env: { DOCKER_HOST: host } },
    );
    expect(run.stdout).toBe('runtime=0.1.30\n');
    await runScript('docker', ['image', 'rm', tag], { env: { DOCKER_HOST: host } });
  });
});
