import { resolve } from 'node:path';
import type { RegisterCommand } from '../command';

export const registerTest: RegisterCommand = (program, { action }) => {
  program
    .command('test')
    .description("run a project's tests (vitest and Python unittest) and write their counts")
    .argument('<project-dir>', 'a layer, image or machinery folder')
    .requiredOption('--report <file>', 'where to write the JSON counts, relative to the workspace root')
    .action(
      action(async (projectDir: string, options: { report: string }) => {
        const { findWorkspaceRoot } = await import('@image-layers/manifest/load');
        const { runProjectTests } = await import('@image-layers/test-runner/project-tests');
        const dir = resolve(projectDir);
        const root = findWorkspaceRoot(dir);
        return runProjectTests(root, dir, resolve(root, options.report));
      }),
    );
};
