import {
  layerFile,
  makeEntrypointRoot,
  makeHostileEntrypointRoot,
  type EntrypointRoot,
} from '@image-layers/testing';

// git-auth's entrypoint hooks run by the real entrypoint (the entrypoint layer's, through @image-layers/testing)
// in a chroot, with stand-ins for what they start: gh, the refresh loop and the token helper.

/** The hooks as the fragment COPYs them. */
export const gitAuthHooks = {
  '/entrypoint.d/root/60-git-credentials.sh': layerFile(
    'git-auth',
    'entrypoint.d/root/60-git-credentials.sh',
  ),
  '/entrypoint.d/agent/60-gh-token-refresh.sh': layerFile(
    'git-auth',
    'entrypoint.d/agent/60-gh-token-refresh.sh',
  ),
  '/entrypoint.d/agent/61-gh-auth-login.sh': layerFile('git-auth', 'entrypoint.d/agent/61-gh-auth-login.sh'),
};

const standIns: Record<string, string> = {
  // The GitHub CLI: its arguments, its standard input and its uid; fails on demand.
  '/opt/stand-ins/bin/gh': `#!/bin/sh
echo "uid=$(id -u) home=$HOME args=$*" >> /var/record/gh
cat >> /var/record/gh.stdin
# A GitHub that never answers: gh waits until it is stopped.
if [ -n "\${STANDIN_GH_HANG:-}" ]; then /usr/bin/sleep 600; fi
exit "\${STANDIN_GH_EXIT:-0}"
`,
  // The respawn loop's pause, recorded and skipped so a restart is observed without waiting 30 s.
  '/opt/stand-ins/bin/sleep': `#!/bin/sh
echo "$*" >> /var/record/sleep
`,
  // The refresh loop: output on both streams, a record of each run, then it runs on like the real loop
  // (or exits with a chosen code on its first run).
  '/app/scripts/molecule-gh-token-refresh.sh': `#!/bin/sh
echo 'refresh stand-in on stdout'
echo 'refresh stand-in on stderr' >&2
echo "uid=$(id -u) gid=$(id -g) session=$(cut -d' ' -f6 /proc/$$/stat)" >> /var/record/refresh
if [ "$(wc -l < /var/record/refresh)" -eq 1 ] && [ -n "\${STANDIN_REFRESH_FIRST_EXIT:-}" ]; then
  exit "$STANDIN_REFRESH_FIRST_EXIT"
fi
exec /usr/bin/sleep 3600
`,
  '/app/scripts/molecule-git-token-helper.sh': `#!/bin/sh
exit 0
`,
};

export interface GitAuthRootOptions {
  tokenHelper?: 'executable' | 'not-executable' | 'absent';
  refreshLoop?: boolean;
  /** With the tier-4 sudoers drop-in, for the hostile tests. */
  hostile?: boolean;
}

/** A root with the entrypoint, git-auth's hooks and the stand-ins, the token helper as asked. */
export function makeGitAuthRoot(options: GitAuthRootOptions = {}): EntrypointRoot {
  const { tokenHelper = 'executable', refreshLoop = true } = options;
  const files = Object.fromEntries(
    Object.entries(standIns).filter(
      ([path]) =>
        !(path.endsWith('token-helper.sh') && tokenHelper === 'absent') &&
        !(path.endsWith('refresh.sh') && !refreshLoop),
    ),
  );
  const make = options.hostile ? makeHostileEntrypointRoot : makeEntrypointRoot;
  const image = make({ hooks: gitAuthHooks, files });
  if (tokenHelper === 'not-executable')
    image.root.writeFile('/app/scripts/molecule-git-token-helper.sh', 'exit 0\n');
  return image;
}
