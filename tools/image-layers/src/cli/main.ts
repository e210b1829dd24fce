import { Command, CommanderError } from 'commander';
import { registerLintCommand } from '@image-layers/lint/cli';
import { commandContext, type RegisterCommand } from './command';
import { registerCheck } from './commands/check';
import { registerCompose } from './commands/compose';
import { registerDocs } from './commands/docs';
import { registerExplain } from './commands/explain';
import { registerImage } from './commands/image';
import { registerImageTest } from './commands/image-test';
import { registerTest } from './commands/test';
import { EXIT, reportFailure } from './failure';

// The `image-layers` CLI: one module per command (commands/, and the linter's own in tools/lint/src/cli.ts), each
// loading what it runs only when it runs. Exit codes and messages are failure.ts's, for every command alike.

const COMMANDS: RegisterCommand[] = [
  registerCompose,
  registerCheck,
  registerTest,
  registerImageTest,
  registerImage,
  registerDocs,
  registerLintCommand,
  registerExplain,
];

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.done;
  const program = new Command('image-layers')
    .description('Compose container images from image-layer packages.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const context = commandContext((code) => {
    exitCode = Math.max(exitCode, code);
  });
  for (const register of COMMANDS) register(program, context);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    // Commander has printed its usage error (unknown flag or command, missing argument), or the help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.environment;
    return reportFailure(error);
  }
  return exitCode;
}
