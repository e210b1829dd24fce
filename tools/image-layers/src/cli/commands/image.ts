import { resolve } from 'node:path';
import { collect, type RegisterCommand } from '../command';
import { UsageError } from '../failure';

interface ImageFlags {
  context?: string;
  tag: string[];
  buildArg: string[];
  cacheFrom: string[];
  cacheTo?: string;
  platform?: string;
}

/** NAME=value, as `docker build --build-arg` takes it (a bare NAME would silently pass the caller's environment). */
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*=/;

export const registerImage: RegisterCommand = (program, { action }) => {
  program
    .command('image')
    .description(
      'docker build of a composed image (buildx where present), e.g. for `nx run claude-code-image:image`',
    )
    .argument('<image-dir>', 'the image app folder, e.g. apps/claude-code-image')
    .option('--context <dir>', 'the composed build context (default: dist/<image-dir>)')
    .option(
      '--tag <name>',
      "a tag (default: image.json's tags); repeat it, or separate with commas",
      collect,
      [],
    )
    .option(
      '--build-arg <NAME=value>',
      'a build argument, e.g. RUNTIME_VERSION=0.1.30; repeat it',
      (value: string, previous: string[] = []) => [...previous, value],
      [],
    )
    .option(
      '--cache-from <source>',
      'a cache source (an image ref; buildx: type=registry,ref=...); repeat it',
      collect,
      [],
    )
    .option('--cache-to <destination>', 'cache export (needs buildx), e.g. type=local,dest=/tmp/cache')
    .option('--platform <platform>', 'target platform, e.g. linux/amd64')
    .action(
      action(async (imageDir: string, flags: ImageFlags) => {
        const wrong = flags.buildArg.filter((pair) => !BUILD_ARG.test(pair));
        if (wrong.length > 0)
          throw new UsageError(
            `--build-arg ${wrong.map((pair) => `"${pair}"`).join(', ')}: expected NAME=value, e.g. --build-arg RUNTIME_VERSION=0.1.30`,
          );
        const { findWorkspaceRoot } = await import('@image-layers/manifest/load');
        const { buildImage } = await import('@image-layers/image-test/build-image');
        const dir = resolve(imageDir);
        return buildImage(findWorkspaceRoot(dir), dir, {
          context: flags.context && resolve(flags.context),
          tags: flags.tag,
          buildArgs: flags.buildArg,
          cacheFrom: flags.cacheFrom,
          cacheTo: flags.cacheTo,
          platform: flags.platform,
        });
      }),
    );
};
