import { chmodSync, copyFileSync, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appDir, makeChrootRoot, type ChrootRoot, type ScriptRun } from '@image-layers/testing';

export const entrypointSource = join(appDir('claude-code-image'), 'files', 'entrypoint.sh');

// Every stand-in writes what it saw under /var/record, a folder root and agent can both write.
const standIns: Record<string, string> = {
  // The workspace runtime: who, where and with what it ran; optionally it stays up until the refresh loop has
  // run N times, then exits with a chosen code (the container's exit code).
  '/opt/stand-ins/bin/molecule-runtime': `#!/bin/sh
runs() { if [ -f /var/record/refresh ]; then wc -l < /var/record/refresh; else echo 0; fi; }
{
  echo "uid=$(id -u) gid=$(id -g) groups=$(id -G)"
  echo "pid=$$"
  echo "cwd=$(pwd)"
  echo "home=$HOME"
  echo "session=$(cut -d' ' -f6 /proc/$$/stat)"
} > /var/record/runtime
: > /var/record/runtime.argv
for arg in "$@"; do printf '<%s>\\n' "$arg" >> /var/record/runtime.argv; done
tries=0
while [ "$(runs)" -lt "\${STANDIN_WAIT_REFRESH_RUNS:-0}" ] && [ "$tries" -lt 400 ]; do
  /usr/bin/sleep 0.05
  tries=$((tries + 1))
done
exit "\${STANDIN_RUNTIME_EXIT:-0}"
`,
  // The GitHub CLI: its arguments, its standard input and its uid; fails on demand.
  '/opt/stand-ins/bin/gh': `#!/bin/sh
echo "uid=$(id -u) home=$HOME args=$*" >> /var/record/gh
cat >> /var/record/gh.stdin
# A GitHub that never answers: gh waits until it is stopped.
if [ -n "\${STANDIN_GH_HANG:-}" ]; then /usr/bin/sleep 600; fi
exit "\${STANDIN_GH_EXIT:-0}"
`,
  // The real gosu does the drop; this only counts the calls.
  '/opt/stand-ins/bin/gosu': `#!/bin/sh
echo "$*" >> /var/record/gosu
exec /usr/sbin/gosu "$@"
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

export interface ImageRoot {
  root: ChrootRoot;
  /** Runs /entrypoint.sh as Docker would: as root, WORKDIR /app, the stand-ins first on PATH. */
  start(args?: string[], env?: Record<string, string>): Promise<ScriptRun>;
  /** A stand-in's record, or undefined when it never wrote one. */
  record(name: string): string | undefined;
  /** uid, gid and permission bits of a path inside (the link itself for a symbolic link). */
  owner(inside: string): { uid: number; gid: number; mode: number };
  cleanup(): void;
}

/**
 * A root file system shaped like the image where the entrypoint runs (agent uid 1000 in the docker group,
 * root-owned /configs and /workspace volumes, WORKDIR /app), with the real entrypoint.sh at /entrypoint.sh.
 */
export function makeImageRoot(
  options: { tokenHelper?: 'executable' | 'not-executable' | 'absent'; refreshLoop?: boolean } = {},
): ImageRoot {
  const root = makeChrootRoot({ hostname: 'workspace-test-host' });
  const { tokenHelper = 'executable', refreshLoop = true } = options;
  for (const [path, content] of Object.entries(standIns)) {
    if (path.endsWith('token-helper.sh') && tokenHelper === 'absent') continue;
    if (path.endsWith('refresh.sh') && !refreshLoop) continue;
    const notExecutable = path.endsWith('token-helper.sh') && tokenHelper === 'not-executable';
    root.writeFile(path, content, { mode: notExecutable ? 0o644 : 0o755 });
  }
  root.mkdir('/var/record', { mode: 0o777 });
  root.mkdir('/configs');
  root.mkdir('/workspace');
  // The image's COPY keeps the file's mode, so the copy does too.
  copyFileSync(entrypointSource, root.at('/entrypoint.sh'));
  chmodSync(root.at('/entrypoint.sh'), statSync(entrypointSource).mode & 0o7777);

  return {
    root,
    start: (args = [], env = {}) =>
      root.run('/entrypoint.sh', args, {
        cwd: '/app',
        env: {
          PATH: `/opt/stand-ins/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
          HOME: '/root',
          ...env,
        },
      }),
    record: (name) => {
      const file = root.at(join('/var/record', name));
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
    owner: (inside) => {
      const stats = lstatSync(root.at(inside));
      return { uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 };
    },
    cleanup: () => root.cleanup(),
  };
}
