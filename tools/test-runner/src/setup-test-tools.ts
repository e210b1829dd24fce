import { spawnSync } from 'node:child_process';
import { missingTestPackages } from '@image-layers/support/tools';

/**
 * Installs the Debian packages of the tools the tests run for real (the map is support/tools.ts), only what is
 * missing. As root it runs apt-get; otherwise it prints the one command that would, and fails. Returns whether
 * every tool is there afterwards.
 */
export function installTestTools(): boolean {
  const missing = missingTestPackages();
  if (missing.length === 0) return true;
  const list = missing.join(' ');
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `The tests need Debian packages that are missing: ${list}\n` +
        `Install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${list}\n`,
    );
    return false;
  }
  process.stdout.write(`Installing test tools from Debian: ${list}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', '--no-install-recommends', ...missing])) {
    process.stderr.write(`apt-get could not install: ${list} (is a Debian mirror reachable?)\n`);
    return false;
  }
  const still = missingTestPackages();
  if (still.length > 0) process.stderr.write(`still missing after apt-get: ${still.join(' ')}\n`);
  return still.length === 0;
}
