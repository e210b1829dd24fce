import { Option } from 'commander';
import type { RegisterCommand } from '../command';
import { UsageError } from '../failure';

export const registerExplain: RegisterCommand = (program, { action }) => {
  program
    .command('explain')
    .description(
      'for each image a change reaches: the first Dockerfile step whose build cache it invalidates, and every step re-run after it',
    )
    .argument('[images...]', 'image apps, by name or folder (default: every image of the workspace)')
    .option('--files <paths...>', 'explain an edit of these files (or folders)')
    .option('--since <git-ref>', 'explain what changed since this commit, the working tree included')
    .addOption(new Option('--format <format>', 'output format').choices(['tty', 'json']).default('tty'))
    .action(
      action(async (images: string[], options: { files?: string[]; since?: string; format: string }) => {
        const { findWorkspaceRoot } = await import('@image-layers/manifest/load');
        if ((options.files === undefined) === (options.since === undefined))
          throw new UsageError(
            'explain needs one change to explain: --files <paths...> (an edit of those files) or --since <git-ref> (what changed since that commit); e.g. image-layers explain claude-code-image --files packages/git-auth/files/scripts/molecule-askpass',
          );
        const { explainFiles, explainSince, selectImages } = await import('@image-layers/explain/explain');
        const { formatJson, formatTty } = await import('@image-layers/explain/format');
        const root = findWorkspaceRoot(process.cwd());
        const dirs = selectImages(root, images);
        const explanation = options.since
          ? await explainSince(root, dirs, options.since)
          : await explainFiles(root, dirs, options.files!);
        process.stdout.write(options.format === 'json' ? formatJson(explanation) : formatTty(explanation));
      }),
    );
};
