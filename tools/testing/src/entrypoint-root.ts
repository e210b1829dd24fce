import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lchownSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Env } from 'dockerfile-ast';
import { expect } from 'vitest';
import type { ScriptRun } from '@image-layers/support/processes';
import { layerFile } from '@image-layers/support/workspace';
import { makeChrootRoot, type ChrootRoot } from './chroot-root';
import { layerManifest, parseLayerFragment } from './fragment';

// The entrypoint layer's script run for real: a chroot shaped like an image that lists the layer (agent uid
// 1000 in the docker group, root-owned /configs and /workspace volumes, WORKDIR /app), its files where its
// fragment COPYs them, the ENV its fragment sets, and whatever hooks the test's layer or image adds. Used by
// the entrypoint layer's tests and by every layer or image that ships hooks (git-auth, claude-code-image).

/** Every stand-in writes what it saw under /var/record, a folder root and agent can both write. */
const baseStandIns: Record<string, string> = {
  // The workspace runtime: who, where and with what it ran; optionally it stays up until the refresh loop has
  // run N times (a hook's background process), then exits with a chosen code (the container's exit code).
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
env > /var/record/runtime.env
tries=0
while [ "$(runs)" -lt "\${STANDIN_WAIT_REFRESH_RUNS:-0}" ] && [ "$tries" -lt 400 ]; do
  /usr/bin/sleep 0.05
  tries=$((tries + 1))
done
exit "\${STANDIN_RUNTIME_EXIT:-0}"
`,
  // The real gosu does the drop; this only counts the calls.
  '/opt/stand-ins/bin/gosu': `#!/bin/sh
echo "$*" >> /var/record/gosu
exec /usr/sbin/gosu "$@"
`,
};

export interface EntrypointRootOptions {
  /** Hooks to install: the path inside (/entrypoint.d/root/60-x.sh) -> the host file, copied with its mode. */
  hooks?: Record<string, string>;
  /** More files inside (stand-ins of what other layers install): path -> content, mode 755. */
  files?: Record<string, string>;
  /** Option values of the entrypoint layer, as an image.json would set them; defaults from its layer.json. */
  options?: Record<string, string | boolean | string[]>;
}

export interface EntrypointRoot {
  root: ChrootRoot;
  /** Runs /entrypoint.sh as Docker would: as root, WORKDIR /app, the layer's ENV, the stand-ins first on PATH. */
  start(args?: string[], env?: Record<string, string>): Promise<ScriptRun>;
  /** A stand-in's record, or undefined when it never wrote one. */
  record(name: string): string | undefined;
  /** uid, gid and permission bits of a path inside (the link itself for a symbolic link). */
  owner(inside: string): { uid: number; gid: number; mode: number };
  cleanup(): void;
}

/** The entrypoint script on the host, as the layer ships it. */
export const entrypointScript = layerFile('entrypoint', 'entrypoint.sh');

/**
 * The ENV the entrypoint layer's fragment sets, each `${ARG}` replaced by the option's value (list items joined
 * with spaces, as the composer writes them): read from layer.Dockerfile and layer.json, so the tests run the
 * script with what the image would hand it.
 */
export function entrypointEnv(options: EntrypointRootOptions['options'] = {}): Record<string, string> {
  const declared = layerManifest('entrypoint').options;
  const value = (name: string) => {
    if (!(name in declared)) throw new Error(`the entrypoint fragment's ENV uses \${${name}}, not an option`);
    const given = options[name] ?? declared[name]!.default;
    return Array.isArray(given) ? given.join(' ') : String(given);
  };
  const env: Record<string, string> = {};
  for (const instruction of parseLayerFragment('entrypoint').all('ENV')) {
    for (const property of (instruction as Env).getProperties()) {
      const raw = property.getValue() ?? '';
      env[property.getName()] = raw.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => value(name));
    }
  }
  return env;
}

/** A root shaped like an image listing the entrypoint layer, with its files copied as its fragment COPYs them. */
export function makeEntrypointRoot(options: EntrypointRootOptions = {}): EntrypointRoot {
  const root = makeChrootRoot({ hostname: 'workspace-test-host' });
  for (const [path, content] of Object.entries({ ...baseStandIns, ...options.files })) {
    root.writeFile(path, content, { mode: 0o755 });
  }
  root.mkdir('/var/record', { mode: 0o777 });
  root.mkdir('/configs');
  root.mkdir('/workspace');
  root.mkdir('/app');
  for (const folder of ['/entrypoint.d', '/entrypoint.d/root', '/entrypoint.d/agent']) root.mkdir(folder);
  // The image's COPY keeps a file's mode and makes it root's, so the copies here do too.
  const install = (host: string, inside: string) => {
    copyFileSync(host, root.at(inside));
    chmodSync(root.at(inside), statSync(host).mode & 0o7777);
  };
  install(entrypointScript, '/entrypoint.sh');
  install(layerFile('entrypoint', 'entrypoint.d/lib.sh'), '/entrypoint.d/lib.sh');
  for (const [inside, host] of Object.entries(options.hooks ?? {})) install(host, inside);
  const layerEnv = entrypointEnv(options.options);

  return {
    root,
    start: (args = [], env = {}) =>
      root.run('/entrypoint.sh', args, {
        cwd: '/app',
        env: {
          PATH: `/opt/stand-ins/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
          HOME: '/root',
          ...layerEnv,
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

// The agent (uid 1000) writes /workspace, /home/agent and, once given them, /configs and the sessions volume;
// all of them outlive the container. So before any start it may have left links there, aimed at files only root
// may change. The hostile tests plant them as the agent would (agent-owned links), start the real entrypoint as
// root with the real gosu and chown, and check that root changed nothing outside the agent's own paths.

export const agentIds = { uid: 1000, gid: 1000 };

/**
 * makeEntrypointRoot with the tier-4 layer's sudoers drop-in in place: /etc/sudoers.d and its file are what
 * would hand out root if the agent could own or write them.
 */
export function makeHostileEntrypointRoot(options: EntrypointRootOptions = {}): EntrypointRoot {
  const image = makeEntrypointRoot(options);
  image.root.writeFile('/etc/sudoers.d/agent-t4', 'agent ALL=(ALL) NOPASSWD:ALL\n', { mode: 0o440 });
  return image;
}

/**
 * Every entry under a folder inside the root, each with its type, owner, mode and content (a digest) or link
 * target: two pictures are equal only when nothing in the tree was created, removed or changed.
 */
export function picture(image: EntrypointRoot, inside: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const visit = (path: string) => {
    const host = image.root.at(path);
    const stats = lstatSync(host);
    const owner = `${stats.uid}:${stats.gid} ${(stats.mode & 0o7777).toString(8)}`;
    if (stats.isSymbolicLink()) {
      entries[path] = `link ${owner} -> ${readlinkSync(host)}`;
    } else if (stats.isDirectory()) {
      entries[path] = `folder ${owner}`;
      for (const name of readdirSync(host).sort()) visit(join(path, name));
    } else {
      const digest = createHash('sha256').update(readFileSync(host)).digest('hex');
      entries[path] = `file ${owner} ${digest}`;
    }
  };
  visit(inside);
  return entries;
}

/** Plants a symbolic link as the agent makes one: the link itself owned by uid 1000. */
export function plantLink(image: EntrypointRoot, target: string, inside: string): void {
  image.root.symlink(target, inside);
  lchownSync(image.root.at(inside), agentIds.uid, agentIds.gid);
}

/** Starts the entrypoint and checks that /etc, every file and folder in it, is exactly as before. */
export async function startLeavingEtcAlone(image: EntrypointRoot): Promise<ScriptRun> {
  const etc = picture(image, '/etc');
  const run = await image.start();
  expect(picture(image, '/etc')).toEqual(etc);
  return run;
}

/** The start went all the way: exit 0, and the runtime ran as agent. */
export function expectStartedAsAgent(image: EntrypointRoot, run: ScriptRun): void {
  expect(run.exitCode, run.stderr).toBe(0);
  expect(image.record('runtime')).toMatch(/^uid=1000 gid=1000 /m);
}

/** A real folder (not a link to one) owned by agent. */
export function expectAgentFolder(image: EntrypointRoot, inside: string): void {
  const stats = lstatSync(image.root.at(inside));
  expect(stats.isDirectory(), `${inside} is a real folder`).toBe(true);
  expect({ uid: stats.uid, gid: stats.gid }, inside).toEqual(agentIds);
}
