import { reportFailure } from './failure';
import { main } from './main';

// The process entry of the `image-layers` bin (bin/image-layers.js): the entry point of the CLI's bundle
// (bin/cli-bundle.js), and what the bin's tests and benches can require through register-typescript.js too.

/** Runs the CLI on `argv` and sets the process's exit code; never throws, so a user never sees a stack trace. */
export async function start(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    // main reports its own failures; this catches what escapes it.
    process.exitCode = reportFailure(error);
  }
}
