import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

// The one map of the host tools the tests run for real to the Debian packages that provide them: requireTool
// names the package when a tool is missing, and `npm test` installs whatever is missing from it
// (tools/test-runner/src/setup-test-tools.ts), so the two cannot drift.

/** Command -> Debian package. A path (/usr/bin/python3) means that exact binary, not whatever PATH finds. */
export const TEST_TOOL_PACKAGES: Readonly<Record<string, string>> = {
  shellcheck: 'shellcheck',
  git: 'git',
  visudo: 'sudo',
  sudo: 'sudo',
  gosu: 'gosu',
  unshare: 'util-linux',
  curl: 'curl',
  '/usr/bin/python3': 'python3',
  python3: 'python3',
  chroot: 'coreutils',
  mount: 'mount',
  umount: 'mount',
  useradd: 'passwd',
  groupadd: 'passwd',
  usermod: 'passwd',
  strace: 'strace',
  mkfifo: 'coreutils',
};

/** Python modules the tests import with Debian's /usr/bin/python3 (the adapter parses YAML as it does in the image). */
export const TEST_PYTHON_MODULES: Readonly<Record<string, string>> = { yaml: 'python3-yaml' };

/** Wheels the tests serve from Debian's /usr/share/python-wheels (python-runtime's tooling upgrade), by name prefix. */
export const PYTHON_WHEELS_DIR = '/usr/share/python-wheels';
export const TEST_WHEEL_PACKAGES: Readonly<Record<string, string>> = {
  'pip-': 'python3-pip-whl',
  'setuptools-': 'python3-setuptools-whl',
};

const found = (command: string): string | undefined => {
  try {
    return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

/** The Debian packages of the map whose command or Python module this host lacks, sorted, each once. */
export function missingTestPackages(): string[] {
  const missing = Object.entries(TEST_TOOL_PACKAGES)
    .filter(([command]) => found(command) === undefined)
    .map(([, pkg]) => pkg);
  for (const [module, pkg] of Object.entries(TEST_PYTHON_MODULES)) {
    try {
      execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    } catch {
      missing.push(pkg);
    }
  }
  let wheels: string[] = [];
  try {
    wheels = readdirSync(PYTHON_WHEELS_DIR);
  } catch {
    // No folder: every wheel package is missing.
  }
  for (const [prefix, pkg] of Object.entries(TEST_WHEEL_PACKAGES))
    if (!wheels.some((name) => name.startsWith(prefix) && name.endsWith('.whl'))) missing.push(pkg);
  return [...new Set(missing)].sort();
}

/**
 * Fails the test, naming the tool and how to get it, when a host tool is missing. Tests call this
 * instead of skipping: a missing tool is a broken setup, never a silent pass.
 */
export function requireTool(command: string): string {
  const path = found(command);
  if (path !== undefined) return path;
  const pkg = TEST_TOOL_PACKAGES[command];
  if (pkg === undefined) {
    // A tool outside the map would have no install step: the map must list it before a test may need it.
    throw new Error(
      `${command} is not installed, and tools/support/src/tools.ts does not say which Debian package has it: add it there`,
    );
  }
  throw new Error(
    `${command} is not installed; these tests run the real tool. ` +
      `Run \`npm test\` as root (it installs Debian's ${pkg}), or \`apt-get install -y ${pkg}\`.`,
  );
}
