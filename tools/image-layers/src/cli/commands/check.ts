import { resolve } from 'node:path';
import type { RegisterCommand } from '../command';
import { reportFailure } from '../failure';

export const registerCheck: RegisterCommand = (program, { action }) => {
  program
    .command('check')
    .description(
      "validate a layer's manifest, fragment, files and generated README; with no folder, every layer of the workspace and that no file is shipped by two units (one source for each shared block)",
    )
    .argument('[layer-dir...]', 'layer folders, e.g. packages/git-auth (none: the whole workspace)')
    .action(
      action(async (given: string[]) => {
        const { checkLayer } = await import('@image-layers/docs/layer-readme-check');
        const { findWorkspaceRoot, LAYERS_FOLDER, listLayerNames } =
          await import('@image-layers/manifest/load');
        const wholeWorkspace = given.length === 0;
        const root = wholeWorkspace ? findWorkspaceRoot(process.cwd()) : undefined;
        const dirs = root ? listLayerNames(root).map((name) => resolve(root, LAYERS_FOLDER, name)) : given;
        // Every layer is checked and reported, so one broken layer does not hide the next one's problems.
        let exitCode = 0;
        for (const dir of dirs) {
          try {
            const { layer, files } = checkLayer(resolve(dir));
            process.stdout.write(
              `layer ${layer.name} ${layer.manifest.version}: ok (${files.length} files)\n`,
            );
          } catch (error) {
            exitCode = Math.max(exitCode, reportFailure(error));
          }
        }
        if (root) {
          const { copiedFileErrors } = await import('@image-layers/compose/one-source');
          const copies = copiedFileErrors(root);
          for (const error of copies) exitCode = Math.max(exitCode, reportFailure(error));
          if (copies.length === 0) process.stdout.write('workspace: no file is shipped by two units\n');
        }
        return exitCode;
      }),
    );
};
