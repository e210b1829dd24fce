import { type Command, Option } from 'commander';
import type * as Run from './lint-paths';

// The `lint` command's options. What it runs (rules, WASM parser, formatters) loads only when it runs, so the
// other commands of the CLI start as fast as before.

/** How the CLI runs an action: its returned exit code, or what it throws mapped to one (image-layers' cli/command.ts). */
export interface ActionRunner {
  action<A extends unknown[]>(run: (...args: A) => Promise<number | void>): (...args: A) => Promise<void>;
}

/** Adds the `lint` command to the CLI. */
export function registerLintCommand(program: Command, { action }: ActionRunner): void {
  program
    .command('lint')
    .description(
      'lint Dockerfiles, layer fragments and composed images: hadolint rules (DL), layer-aware rules (IL), shellcheck (SC)',
    )
    .argument(
      '[paths...]',
      'Dockerfiles, layer folders (fragment + scripts) or image folders (composed in memory, reported at each fragment)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['tty', 'json', 'sarif']).default('tty'),
    )
    .addOption(
      new Option(
        '--failure-threshold <level>',
        'exit 1 when a finding is at least this severe (default: .hadolint.yaml, else info)',
      ).choices(['error', 'warning', 'info', 'style', 'none', 'ignore']),
    )
    .option('--config <file>', '.hadolint.yaml to use (default: the nearest one above each path)')
    .option('--list-rules', 'print every rule with its code, severity and one-line description')
    .action(
      action(async (paths: string[], options: Run.LintOptions) => {
        const { runLint } = await import('@image-layers/lint/lint-paths');
        const result = await runLint(paths, options);
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
        return result.exitCode;
      }),
    );
}
