import { join } from 'node:path';
import {
  appDir,
  makeEntrypointRoot,
  makeHostileEntrypointRoot,
  type EntrypointRoot,
} from '@image-layers/testing';

// The app's own root hook (the CLI's ~/.claude and the sessions link) run by the real entrypoint of the
// entrypoint layer, in a chroot (@image-layers/testing's makeEntrypointRoot).

export const claudeHomeHook = join(appDir('claude-code-image'), 'files/entrypoint.d/root/50-claude-home.sh');

/** A root with the entrypoint and this app's hook; hostile: with the tier-4 sudoers drop-in in place too. */
export function makeClaudeHomeRoot(options: { hostile?: boolean } = {}): EntrypointRoot {
  const make = options.hostile ? makeHostileEntrypointRoot : makeEntrypointRoot;
  return make({ hooks: { '/entrypoint.d/root/50-claude-home.sh': claudeHomeHook } });
}
