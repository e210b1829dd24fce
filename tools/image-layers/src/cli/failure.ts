import { ImageLayersError, ImageLayersErrors } from '@image-layers/manifest/errors';

// The CLI's one map from an error to what the user reads and the exit code. Every command's action runs through
// action() in command.ts, which hands anything thrown here; no command catches for itself.

/** Exit codes: 0 done, 1 a problem in the user's layers, images or files, 2 usage or environment. */
export const EXIT = { done: 0, problem: 1, environment: 2 } as const;

/** A wrong command line the parser cannot see (a flag's value): exit 2, with the hint every usage error ends with. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Errors of the environment, by class name: the image-test harness's ImageBuildError (no engine, no buildx, no
 * composed context). Matched by name so that this module, which every command loads, does not load the Docker
 * driver. Their messages already say what to do.
 */
const ENVIRONMENT_ERRORS = new Set(['ImageBuildError']);

/**
 * | error                                  | exit | what is printed                                     |
 * | -------------------------------------- | ---- | --------------------------------------------------- |
 * | ImageLayersError(s): the user's files  | 1    | `file:line:col: error CODE [unit] what` and `fix:`  |
 * | UsageError: a flag's value             | 2    | `error: what` and the --help hint                   |
 * | ImageBuildError: no engine, no context | 2    | `error: what, and how to get it`                    |
 * | a system error (ENOSPC, EACCES, ...)   | 2    | `error: path: syscall failed (CODE): what to check` |
 * | anything else: a bug                   | 2    | `error: internal error: what` and how to report it  |
 *
 * Never a stack trace, unless IMAGE_LAYERS_DEBUG=1 asks for one. Parser errors (unknown flag, missing argument)
 * are commander's, printed by it, and exit 2 too (main.ts).
 */
export function reportFailure(error: unknown): number {
  if (error instanceof ImageLayersError || error instanceof ImageLayersErrors) {
    process.stderr.write(`${error.format()}\n`);
    return EXIT.problem;
  }
  if (error instanceof UsageError) {
    process.stderr.write(
      `error: ${error.message}\n  hint: run \`image-layers <command> --help\` for its arguments and flags\n`,
    );
    return EXIT.environment;
  }
  if (error instanceof Error && ENVIRONMENT_ERRORS.has(error.name)) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT.environment;
  }
  const system = error as NodeJS.ErrnoException;
  if (system && typeof system.code === 'string' && typeof system.syscall === 'string') {
    // A file-system or process error: the machine, not the user's layers (a full disk, a busy mount, rights).
    const where = system.path ? `${system.path}: ` : '';
    process.stderr.write(
      `error: ${where}${system.syscall} failed (${system.code}): check that the path exists and is writable, and that the disk has room\n`,
    );
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `error: internal error: ${message}\n  this is a bug of image-layers: please report it with the command you ran (IMAGE_LAYERS_DEBUG=1 prints the stack trace)\n`,
    );
  }
  if (process.env.IMAGE_LAYERS_DEBUG === '1' && error instanceof Error)
    process.stderr.write(`${error.stack}\n`);
  return EXIT.environment;
}
