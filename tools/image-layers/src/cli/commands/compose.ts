import { join, relative, resolve } from 'node:path';
import type { RegisterCommand } from '../command';

export const registerCompose: RegisterCommand = (program, { action }) => {
  program
    .command('compose')
    .description('compose an image app into a Dockerfile and its build context')
    .argument('<image-dir>', 'the image app folder (with image.json), e.g. apps/claude-code-image')
    .option('--out <dir>', 'output folder (default: dist/<image-dir> under the workspace root)')
    .action(
      action(async (imageDir: string, options: { out?: string }) => {
        const { findWorkspaceRoot } = await import('@image-layers/manifest/load');
        const { composeImage } = await import('@image-layers/compose/compose');
        const { writeComposedImage } = await import('@image-layers/compose/write');
        const dir = resolve(imageDir);
        const root = findWorkspaceRoot(dir);
        const out = resolve(options.out ?? join(root, 'dist', relative(root, dir)));
        const composed = composeImage(dir);
        writeComposedImage(composed, out);
        process.stdout.write(
          `composed ${composed.image.name}: ${composed.layers.length} layers, ${composed.contextFiles.length} context files -> ${relative(process.cwd(), out) || '.'}\n`,
        );
      }),
    );
};
