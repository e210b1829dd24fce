import { resolve } from 'node:path';
import type { RegisterCommand } from '../command';
import { reportFailure } from '../failure';

export const registerCheck: RegisterCommand = (program, { action }) => {
  program
    .command('check')
    .description("validate a layer's manifest, fragment, files and generated README")
    .argument('<layer-dir...>', 'layer folders, e.g. packages/git-auth')
    .action(
      action(async (dirs: string[]) => {
        const { checkLayer } = await import('@image-layers/docs/layer-readme-check');
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
        return exitCode;
      }),
    );
};
