import { execFileSync } from 'node:child_process';

/** Where each host tool the tests need comes from; `npm test` installs these as root (tools/test-runner/bin/setup-test-tools.sh). */
const debianPackageOf: Record<string, string> = {
  shellcheck: 'shellcheck',
  git: 'git',
  visudo: 'sudo',
  sudo: 'sudo',
  gosu: 'gosu',
  unshare: 'util-linux',
  python3: 'python3',
  chroot: 'coreutils',
  mount: 'mount',
  umount: 'mount',
  useradd: 'passwd',
  groupadd: 'passwd',
  usermod: 'passwd',
  strace: 'strace',
};

/**
 * Fails the test, naming the tool and how to get it, when a host tool is missing. Tests call this
 * instead of skipping: a missing tool is a broken setup, never a silent pass.
 */
export function requireTool(command: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v "$1"`, 'sh', command], { encoding: 'utf8' }).trim();
  } catch {
    const pkg = debianPackageOf[command] ?? command;
    throw new Error(
      `${command} is not installed; these tests run the real tool. ` +
        `Run \`npm test\` as root (it installs Debian's ${pkg}), or \`apt-get install -y ${pkg}\`.`,
    );
  }
}
