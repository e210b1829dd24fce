import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { IMAGE_TEST_ENV_SCRIPT, testEngineAddress } from './engine';
import { loadImage } from '@image-layers/manifest/load';

// `nx run <image>:image`: docker build of the composed context, for users. buildx where the client has it
// (cache export, platforms); the engine's own builder otherwise. Without an engine, one line says how to get one.

export interface ImageBuildOptions {
  /** The composed build context (Dockerfile and files), `dist/<image dir>` by default. */
  context: string;
  /** Tags; image.json's "tags" when none is given. */
  tags: string[];
  /** NAME=value, e.g. RUNTIME_VERSION=0.1.30. */
  buildArgs: string[];
  cacheFrom: string[];
  cacheTo?: string;
  platform?: string;
}

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

/** The docker argument vector for one build; pure, so each option's effect is checked without an engine. */
export function dockerBuildArgs(options: ImageBuildOptions, builder: 'buildx' | 'legacy'): string[] {
  for (const pair of options.buildArgs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(pair))
      throw new ImageBuildError(
        `build argument "${pair}" is not NAME=value: write e.g. RUNTIME_VERSION=0.1.30`,
      );
  }
  if (builder === 'legacy' && options.cacheTo) {
    throw new ImageBuildError(
      `--cache-to needs docker buildx, which this client lacks: install the buildx plugin (docker-buildx-plugin from Docker's apt repository; Debian bookworm packages none), or build without --cache-to`,
    );
  }
  const args = builder === 'buildx' ? ['buildx', 'build', '--load'] : ['build'];
  for (const tag of options.tags) args.push('--tag', tag);
  for (const pair of options.buildArgs) args.push('--build-arg', pair);
  for (const source of options.cacheFrom) args.push('--cache-from', source);
  if (options.cacheTo) args.push('--cache-to', options.cacheTo);
  if (options.platform) args.push('--platform', options.platform);
  args.push(options.context);
  return args;
}

const env = (extra: Record<string, string> = {}) => ({ ...process.env, DOCKER_CLI_HINTS: 'false', ...extra });

/**
 * The engine to build on: DOCKER_HOST (or Docker's default socket) when it answers, else the project's image-test
 * engine when that one runs. Undefined when none answers.
 */
async function reachableEngine(): Promise<string | undefined> {
  const answers = async (host?: string) =>
    (
      await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
        env: env(host ? { DOCKER_HOST: host } : {}),
        reject: false,
        timeout: 20_000,
      })
    ).exitCode === 0;
  if (await answers()) return process.env.DOCKER_HOST ?? '';
  if (process.env.DOCKER_HOST) return undefined;
  const { host } = testEngineAddress();
  return (await answers(host)) ? host : undefined;
}

/** Builds the composed image; returns docker's exit code. */
export async function buildImage(
  root: string,
  imageDir: string,
  given: Partial<ImageBuildOptions>,
): Promise<number> {
  const image = loadImage(imageDir);
  const options: ImageBuildOptions = {
    context: given.context ?? join(root, 'dist', relative(root, imageDir)),
    tags: given.tags?.length ? given.tags : image.manifest.tags,
    buildArgs: given.buildArgs ?? [],
    cacheFrom: given.cacheFrom ?? [],
    cacheTo: given.cacheTo,
    platform: given.platform,
  };
  if (!existsSync(join(options.context, 'Dockerfile'))) {
    throw new ImageBuildError(
      `no composed Dockerfile in ${relative(process.cwd(), options.context)}: run \`npx nx build ${image.name}\` first (the image target depends on it)`,
    );
  }
  const host = await reachableEngine();
  if (host === undefined) {
    throw new ImageBuildError(
      `no Docker engine reachable${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}: start one (\`sudo ${IMAGE_TEST_ENV_SCRIPT} start\` runs Debian's docker.io here), or point DOCKER_HOST at yours`,
    );
  }
  const buildx = (await execa('docker', ['buildx', 'version'], { env: env(), reject: false })).exitCode === 0;
  const args = dockerBuildArgs(options, buildx ? 'buildx' : 'legacy');
  process.stdout.write(`docker ${args.join(' ')}${host ? ` (DOCKER_HOST=${host})` : ''}\n`);
  const run = await execa('docker', args, {
    env: env({ ...(host ? { DOCKER_HOST: host } : {}), ...(buildx ? {} : { DOCKER_BUILDKIT: '0' }) }),
    reject: false,
    stdio: 'inherit',
  });
  return run.exitCode ?? 1;
}
