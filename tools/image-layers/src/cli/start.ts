import { rememberResultsIn } from '@image-layers/manifest/remembered';
import { reportFailure } from './failure';
import { main } from './main';

// The process entry of the `image-layers` bin (bin/image-layers.js): the entry point of the CLI's bundle
// (bin/cli-bundle.js), and what the bin's tests and benches can require through register-typescript.js too.

/**
 * Runs the CLI on `argv` and sets the process's exit code; never throws, so a user never sees a stack trace.
 * `results` is where this build of the CLI keeps what it computed from texts (manifest/remembered.ts): the bin
 * gives its bundle's folder, which no other build of the sources shares.
 */
export async function start(argv: string[], options: { results?: string } = {}): Promise<void> {
  rememberResultsIn(options.results);
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    // main reports its own failures; this catches what escapes it.
    process.exitCode = reportFailure(error);
  }
}
