import { Command, CommanderError } from 'commander';
import { commandContext, type RegisterCommand } from './command';
import { EXIT, reportFailure } from './failure';

// The `image-layers` CLI: one module per command (commands/, and the linter's own in tools/lint/src/cli.ts), each
// loading what it runs only when it runs. Exit codes and messages are failure.ts's, for every command alike.

/**
 * Each command's module, in the order --help lists them. A start loads and registers only the command it runs
 * (argv's first word): registering all eight cost every start their modules and commander's work for them.
 * `.js`: how TypeScript's nodenext resolution names a relative import(); esbuild and vitest find the `.ts`.
 */
const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  compose: async () => (await import('./commands/compose.js')).registerCompose,
  check: async () => (await import('./commands/check.js')).registerCheck,
  test: async () => (await import('./commands/test.js')).registerTest,
  'image-test': async () => (await import('./commands/image-test.js')).registerImageTest,
  image: async () => (await import('./commands/image.js')).registerImage,
  docs: async () => (await import('./commands/docs.js')).registerDocs,
  lint: async () => (await import('@image-layers/lint/cli')).registerLintCommand,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
};

/**
 * The commands a run of `argv` needs registered: the one it names first, or (`--help`, `help compose`, no command
 * or an unknown one) all of them, so the help lists them all and commander can suggest the nearest name.
 */
function commandsFor(argv: string[]): string[] {
  const first = argv[2];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.done;
  const program = new Command('image-layers')
    .description('Compose container images from image-layer packages.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const context = commandContext((code) => {
    exitCode = Math.max(exitCode, code);
  });
  const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, context);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander has printed its usage error (unknown flag or command, missing argument), or the help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.environment;
    return reportFailure(error);
  }
  return exitCode;
}
