import { execFileSync as runSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runScript, type ScriptRun } from '@image-layers/support/processes';
import { requireTool } from '@image-layers/support/tools';
import { makeTempDir } from '@image-layers/support/workspace';

export interface ChrootUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell?: string;
}

export interface ChrootGroup {
  name: string;
  gid: number;
  members?: string[];
}

export interface ChrootRootOptions {
  /** Users besides root; default: agent, uid/gid 1000, home /home/agent (as the agent-user layer makes it). */
  users?: ChrootUser[];
  /** Groups besides root's and each user's own; default: docker (gid 999) with agent (the t4-escalation layer). */
  groups?: ChrootGroup[];
  /** The host name programs inside see (a UTS namespace of their own). */
  hostname?: string;
  /**
   * An empty, writable /usr/local of the root's own (the folder /.usr-local inside, bound over the host's
   * read-only one in each run), for what installs under /usr/local as a build does (node-runtime's Node).
   */
  writableUsrLocal?: boolean;
}

export interface ChrootRunOptions {
  /** The environment inside, exactly: Docker's PATH and HOME=/root unless given here. */
  env?: Record<string, string | undefined>;
  /** The working folder inside the root (Docker's WORKDIR); default `/`. */
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export interface ChrootRoot {
  /** The root's folder on the host. */
  path: string;
  /** The host path of a path inside the root. */
  at(inside: string): string;
  /** Creates a folder inside (and its parents), with a mode and owner. */
  mkdir(inside: string, options?: { mode?: number; uid?: number; gid?: number }): string;
  /** Writes a file inside (parents created root-owned), with a mode and owner. */
  writeFile(inside: string, content: string, options?: { mode?: number; uid?: number; gid?: number }): string;
  /** Copies host files or folders (read only there) to the same paths inside, e.g. /etc/sudoers, /etc/pam.d. */
  copyFromHost(...hostPaths: string[]): void;
  /** Makes a symbolic link inside (parents created root-owned) to `target`, a path as seen from inside. */
  symlink(target: string, inside: string): string;
  /**
   * Runs a command as root inside the root, as PID 1 of fresh mount, PID and UTS namespaces: the command
   * sees a Debian-like system (the host's /usr read-only), and every process it leaves behind dies with it,
   * as in a container. Never throws on a non-zero exit.
   */
  run(command: string, args?: string[], options?: ChrootRunOptions): Promise<ScriptRun>;
  /** Removes the root, unmounting first anything still mounted inside it; refuses if that fails. */
  cleanup(): void;
}

/** Text of a file of lines, each ended by a newline. */
const lines = (entries: string[]) => entries.map((line) => `${line}\n`).join('');

const dockerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const defaultUsers: ChrootUser[] = [{ name: 'agent', uid: 1000, gid: 1000, home: '/home/agent' }];
const defaultGroups: ChrootGroup[] = [{ name: 'docker', gid: 999, members: ['agent'] }];

// Runs on the host inside the new namespaces (so the mounts die with them), then chroots into the root.
// The mounts are private to the namespace (unshare's default propagation), never visible on the host.
const setupScript = `set -eu
root=$1 hostname=$2 cwd=$3 mount=$4 chroot=$5 usr_local=$6
shift 6
"$mount" --bind /usr "$root/usr"
"$mount" -o remount,bind,ro "$root/usr"
if [ -n "$usr_local" ]; then "$mount" --bind "$root$usr_local" "$root/usr/local"; fi
"$mount" --bind /dev "$root/dev"
"$mount" -t proc proc "$root/proc"
printf '%s' "$hostname" > /proc/sys/kernel/hostname
exec "$chroot" "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' in-root "$cwd" "$@"`;

/**
 * A throwaway Debian-like root file system in a temporary folder, for running an image's scripts for real
 * (real gosu, real chown, real users) without a container engine and without touching the host's users or
 * files: /bin, /lib, /lib64 and /sbin link into a read-only bind of the host's /usr (bookworm's merged /usr),
 * /etc holds only the user and group files, nsswitch.conf and hosts (copyFromHost adds more), and /root is
 * 0700 as on Debian. The host's /dev is bound in and a fresh /proc mounted for each run.
 */
export function makeChrootRoot(options: ChrootRootOptions = {}): ChrootRoot {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'makeChrootRoot needs root (mount namespaces, chown to other users): run the tests as root.',
    );
  }
  const tools = {
    unshare: requireTool('unshare'),
    chroot: requireTool('chroot'),
    mount: requireTool('mount'),
  };
  const users = options.users ?? defaultUsers;
  const groups = options.groups ?? defaultGroups;
  const temp = makeTempDir('chroot-root-');
  const path = temp.path;
  const hostname = options.hostname ?? 'chroot-root';
  const at = (inside: string) => join(path, inside);

  const mkdir: ChrootRoot['mkdir'] = (inside, { mode = 0o755, uid = 0, gid = 0 } = {}) => {
    const target = at(inside);
    mkdirSync(target, { recursive: true });
    chmodSync(target, mode);
    chownSync(target, uid, gid);
    return target;
  };
  const writeFile: ChrootRoot['writeFile'] = (inside, content, { mode = 0o644, uid = 0, gid = 0 } = {}) => {
    const target = at(inside);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, mode);
    chownSync(target, uid, gid);
    return target;
  };

  const symlink: ChrootRoot['symlink'] = (target, inside) => {
    mkdirSync(dirname(at(inside)), { recursive: true });
    symlinkSync(target, at(inside));
    return at(inside);
  };

  chmodSync(path, 0o755); // mkdtemp makes it 0700: other users could not resolve a single path inside.
  for (const dir of ['usr', 'dev', 'proc', 'etc']) mkdir(`/${dir}`);
  mkdir('/tmp', { mode: 0o1777 });
  mkdir('/root', { mode: 0o700 });
  for (const name of ['bin', 'lib', 'lib64', 'sbin']) symlink(`usr/${name}`, `/${name}`); // merged /usr
  const usrLocal = options.writableUsrLocal ? '/.usr-local' : '';
  if (usrLocal) mkdir(usrLocal);
  const members = (g: ChrootGroup) => (g.members ?? []).join(',');
  writeFile(
    '/etc/passwd',
    lines([
      'root:x:0:0:root:/root:/bin/bash',
      ...users.map((u) => `${u.name}:x:${u.uid}:${u.gid}::${u.home}:${u.shell ?? '/bin/bash'}`),
    ]),
  );
  writeFile(
    '/etc/group',
    lines([
      'root:x:0:',
      ...users.map((u) => `${u.name}:x:${u.gid}:`),
      ...groups.map((g) => `${g.name}:x:${g.gid}:${members(g)}`),
    ]),
  );
  // Locked passwords, as useradd leaves them: PAM's account check (sudo's, say) needs an entry per user, and
  // useradd/groupadd keep the shadow files in step when they exist, as on Debian.
  const shadow = ['root:*:19000:0:99999:7:::', ...users.map((u) => `${u.name}:!:19000:0:99999:7:::`)];
  writeFile('/etc/shadow', lines(shadow), { mode: 0o640 });
  const gshadow = [
    'root:*::',
    ...users.map((u) => `${u.name}:!::`),
    ...groups.map((g) => `${g.name}:!::${members(g)}`),
  ];
  writeFile('/etc/gshadow', lines(gshadow), { mode: 0o640 });
  writeFile('/etc/nsswitch.conf', lines(['passwd: files', 'group: files', 'shadow: files', 'hosts: files']));
  writeFile('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n`);
  for (const user of users) mkdir(user.home, { uid: user.uid, gid: user.gid });

  const mountsInside = () =>
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((point) => point === path || point.startsWith(`${path}/`));

  return {
    path,
    at,
    mkdir,
    writeFile,
    symlink,
    copyFromHost: (...hostPaths) => {
      for (const hostPath of hostPaths) {
        mkdirSync(dirname(at(hostPath)), { recursive: true });
        cpSync(hostPath, at(hostPath), { recursive: true, preserveTimestamps: true });
      }
    },
    run: (command, args = [], runOptions = {}) =>
      runScript(
        tools.unshare,
        [
          '--mount',
          '--pid',
          '--uts',
          '--fork',
          '--kill-child',
          '/bin/sh',
          '-c',
          setupScript,
          'chroot-setup',
          path,
          hostname,
          runOptions.cwd ?? '/',
          tools.mount,
          tools.chroot,
          usrLocal,
          command,
          ...args,
        ],
        {
          env: { PATH: dockerPath, HOME: '/root', ...runOptions.env },
          input: runOptions.input,
          timeoutMs: runOptions.timeoutMs,
        },
      ),
    cleanup: () => {
      // The mounts live in namespaces that died with their last process; should one ever leak to the host,
      // it is unmounted first, and the host's /usr and /dev are never reached by the recursive delete.
      for (const point of mountsInside().reverse()) {
        try {
          runSync(requireTool('umount'), ['--lazy', point]);
        } catch {
          // reported just below
        }
      }
      const leaked = mountsInside();
      if (leaked.length > 0) {
        throw new Error(`refusing to remove ${path}: still mounted inside it: ${leaked.join(', ')}`);
      }
      temp.cleanup();
    },
  };
}
