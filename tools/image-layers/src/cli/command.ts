import type { Command } from 'commander';
import { reportFailure } from './failure';

// What every command module is: a function that adds its command to the program. Its action returns its exit
// code (or nothing for 0) and throws for everything else; action() maps what it throws through failure.ts, once.
// Each module loads what its command runs inside the action (await import), so a command starts with only its
// own modules: compose never loads the linter or the Docker driver.

export type ActionResult = number | void;

export interface CommandContext {
  /** Wraps an action: its result, or what it throws mapped by reportFailure, becomes the run's exit code. */
  action<A extends unknown[]>(
    run: (...args: A) => Promise<ActionResult> | ActionResult,
  ): (...args: A) => Promise<void>;
}

export type RegisterCommand = (program: Command, context: CommandContext) => void;

/** The context main() gives every command; the highest exit code of the run wins. */
export function commandContext(setExitCode: (code: number) => void): CommandContext {
  return {
    action:
      (run) =>
      async (...args) => {
        try {
          setExitCode((await run(...args)) ?? 0);
        } catch (error) {
          setExitCode(reportFailure(error));
        }
      },
  };
}

/** Commander's collector for a repeatable flag (`--tag a --tag b`), also splitting commas (`--tag a,b`). */
export const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];
