import { resolve } from 'node:path';
import type { RegisterCommand } from '../command';

export const registerImageTest: RegisterCommand = (program, { action }) => {
  program
    .command('image-test')
    .description(
      'build a layer (on the local base, with the layers it requires) or an image, and assert test/image-test.json inside it',
    )
    .argument('<project-dir>', 'a layer or image folder with test/image-test.json')
    .requiredOption('--report <file>', 'where to write the JSON counts, relative to the workspace root')
    .action(
      action(async (projectDir: string, options: { report: string }) => {
        const { findWorkspaceRoot } = await import('@image-layers/manifest/load');
        const { runImageTest } = await import('@image-layers/image-test/test-image');
        const dir = resolve(projectDir);
        const root = findWorkspaceRoot(dir);
        return runImageTest(root, dir, resolve(root, options.report));
      }),
    );
};
