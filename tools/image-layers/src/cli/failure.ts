import { ImageLayersError, ImageLayersErrors } from '@image-layers/manifest/errors';
import { ImageBuildError } from '@image-layers/image-test/build-image';

/** Exit codes: 0 done, 1 a problem in the user's layers, images or files, 2 usage or environment. */
export const EXIT = { done: 0, problem: 1, environment: 2 } as const;

/**
 * Turns any error into what the user sees: one message (file, line, what is wrong, what to do) on standard
 * error and an exit code. Never a stack trace, unless IMAGE_LAYERS_DEBUG=1 asks for one.
 */
export function reportFailure(error: unknown): number {
  if (error instanceof ImageLayersError || error instanceof ImageLayersErrors) {
    process.stderr.write(`${error.format()}\n`);
    return EXIT.problem;
  }
  if (error instanceof ImageBuildError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT.problem;
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
