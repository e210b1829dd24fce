import { Command, CommanderError } from 'commander';
import { checkLayer, expectedLayerReadme } from '@image-layers/docs/layer-readme-check';
import { composeImage } from '@image-layers/compose/compose';
import { findWorkspaceRoot, LAYERS_FOLDER, listLayerNames } from '@image-layers/manifest/load';
import { join, relative, resolve } from 'node:path';
import { jsonSchemas } from '@image-layers/manifest/json-schema';
import { writeComposedImage, writeFileAtomic } from '@image-layers/compose/write';
import { runProjectTests } from '@image-layers/test-runner/run-project-tests';
import { registerLintCommand } from '@image-layers/lint/cli';
import { runImageTest } from '@image-layers/image-test/run';
import { buildImage } from '@image-layers/image-test/build-image';
import { reportFailure } from './failure';

const fail = reportFailure;

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('image-layers')
    .description('Compose container images from image-layer packages.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('compose')
    .description('compose an image app into a Dockerfile and its build context')
    .argument('<image-dir>', 'the image app folder (with image.json), e.g. apps/claude-code-image')
    .option('--out <dir>', 'output folder (default: dist/<image-dir> under the workspace root)')
    .action((imageDir: string, options: { out?: string }) => {
      try {
        const dir = resolve(imageDir);
        const root = findWorkspaceRoot(dir);
        const out = resolve(options.out ?? join(root, 'dist', relative(root, dir)));
        const composed = composeImage(dir);
        writeComposedImage(composed, out);
        process.stdout.write(
          `composed ${composed.image.name}: ${composed.layers.length} layers, ${composed.contextFiles.length} context files -> ${relative(process.cwd(), out) || '.'}\n`,
        );
      } catch (error) {
        exitCode = fail(error);
      }
    });

  program
    .command('check')
    .description("validate a layer's manifest, fragment and files")
    .argument('<layer-dir...>', 'layer folders, e.g. packages/git-auth')
    .action((dirs: string[]) => {
      for (const dir of dirs) {
        try {
          const { layer, files } = checkLayer(resolve(dir));
          process.stdout.write(`layer ${layer.name} ${layer.manifest.version}: ok (${files.length} files)\n`);
        } catch (error) {
          exitCode = fail(error);
        }
      }
    });

  program
    .command('test')
    .description("run a project's tests (vitest and Python unittest) and write their counts")
    .argument('<project-dir>', 'a layer or image folder')
    .requiredOption('--report <file>', 'where to write the JSON counts, relative to the workspace root')
    .action((projectDir: string, options: { report: string }) => {
      try {
        const dir = resolve(projectDir);
        const root = findWorkspaceRoot(dir);
        exitCode = runProjectTests(root, dir, resolve(root, options.report));
      } catch (error) {
        exitCode = fail(error);
      }
    });

  program
    .command('image-test')
    .description(
      'build a layer (on the local base, with the layers it requires) or an image, and assert test/image-test.json inside it',
    )
    .argument('<project-dir>', 'a layer or image folder with test/image-test.json')
    .requiredOption('--report <file>', 'where to write the JSON counts, relative to the workspace root')
    .action(async (projectDir: string, options: { report: string }) => {
      try {
        const dir = resolve(projectDir);
        const root = findWorkspaceRoot(dir);
        exitCode = await runImageTest(root, dir, resolve(root, options.report));
      } catch (error) {
        exitCode = fail(error);
      }
    });

  program
    .command('image')
    .description(
      'docker build of a composed image (buildx where present), e.g. for `nx run claude-code-image:image`',
    )
    .argument('<image-dir>', 'the image app folder, e.g. apps/claude-code-image')
    .option('--context <dir>', 'the composed build context (default: dist/<image-dir>)')
    .option('--tags <tags...>', "tags (default: image.json's tags); repeat or separate with commas")
    .option('--buildArgs <pairs...>', 'build arguments NAME=value, e.g. RUNTIME_VERSION=0.1.30')
    .option('--cacheFrom <sources...>', 'cache sources (image refs; buildx: type=registry,ref=...)')
    .option('--cacheTo <destination>', 'cache export (needs buildx), e.g. type=local,dest=/tmp/cache')
    .option('--platform <platform>', 'target platform, e.g. linux/amd64')
    .action(
      async (
        imageDir: string,
        options: {
          context?: string;
          tags?: string[];
          buildArgs?: string[];
          cacheFrom?: string[];
          cacheTo?: string;
          platform?: string;
        },
      ) => {
        const split = (values?: string[]) => values?.flatMap((value) => value.split(',')).filter(Boolean);
        try {
          const dir = resolve(imageDir);
          const root = findWorkspaceRoot(dir);
          exitCode = await buildImage(root, dir, {
            ...options,
            context: options.context && resolve(options.context),
            tags: split(options.tags),
            buildArgs: split(options.buildArgs),
            cacheFrom: options.cacheFrom,
          });
        } catch (error) {
          exitCode = fail(error);
        }
      },
    );

  program
    .command('docs')
    .description("write each layer's README.md from its layer.json and fragment")
    .action(() => {
      try {
        const root = findWorkspaceRoot(process.cwd());
        for (const name of listLayerNames(root)) {
          const readme = expectedLayerReadme(join(root, LAYERS_FOLDER, name));
          if (readme.existing !== readme.expected) writeFileAtomic(readme.file, readme.expected);
        }
      } catch (error) {
        exitCode = fail(error);
      }
    });

  registerLintCommand(program, (code) => {
    exitCode = Math.max(exitCode, code);
  });

  program
    .command('schemas')
    .description('write the JSON Schema files of layer.json and image.json (generated from the zod schemas)')
    .action(() => {
      try {
        const folder = join(__dirname, '..', '..', 'schema');
        for (const [file, text] of Object.entries(jsonSchemas())) writeFileAtomic(join(folder, file), text);
      } catch (error) {
        exitCode = fail(error);
      }
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportFailure(error);
  }
  return exitCode;
}
