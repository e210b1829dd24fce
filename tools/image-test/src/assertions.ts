import type { Container } from './container';
import type {
  CommandAssertion,
  ContainerChecks,
  FileAssertion,
  GroupAssertion,
  MetadataAssertion,
  ProcessAssertion,
  UserAssertion,
} from '@image-layers/manifest/image-test-schema';

// Each assertion of image-test.json, evaluated through a Container (any driver) with the plain tools every
// Debian image has (stat, getent, id, cat, /proc): one result a test, named after what it proves.

export interface AssertionResult {
  name: string;
  passed: boolean;
  /** Why it failed: what was expected and what was found. */
  detail?: string;
}

const pass = (name: string): AssertionResult => ({ name, passed: true });
const failure = (name: string, detail: string): AssertionResult => ({ name, passed: false, detail });

/** Mismatches of expected vs found, as `what: expected X, found Y` lines. */
function differences(pairs: [string, unknown, unknown][]): string[] {
  return pairs
    .filter(([, expected, found]) => expected !== undefined && expected !== found)
    .map(([what, expected, found]) => `${what}: expected ${String(expected)}, found ${String(found)}`);
}

function patternProblems(text: string, contains: string[], excludes: string[], what: string): string[] {
  return [
    ...contains
      .filter((pattern) => !new RegExp(pattern, 'm').test(text))
      .map((pattern) => `${what} does not match /${pattern}/`),
    ...excludes
      .filter((pattern) => new RegExp(pattern, 'm').test(text))
      .map((pattern) => `${what} matches /${pattern}/, which it must not`),
  ];
}

const normalMode = (mode: string) => mode.replace(/^0(?=[0-7]{4}$)/, '').padStart(4, '0');
const statTypes: Record<string, string> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
  'symbolic link': 'symlink',
};

export function fileName(file: FileAssertion): string {
  if (!file.exists) return `${file.path} does not exist`;
  const facts = [file.type, file.mode, file.owner, file.target && `-> ${file.target}`]
    .filter(Boolean)
    .join(', ');
  const content = file.contains.length || file.excludes.length ? ' with the expected content' : '';
  return `${file.path}${facts ? `: ${facts}` : ' exists'}${content}`;
}

export async function checkFile(container: Container, file: FileAssertion): Promise<AssertionResult> {
  const name = fileName(file);
  const stat = await container.exec(['stat', '--format', '%F|%a|%U:%G', '--', file.path]);
  if (!file.exists) return stat.exitCode === 0 ? failure(name, 'it exists') : pass(name);
  if (stat.exitCode !== 0) return failure(name, `missing: ${stat.stderr.trim()}`);
  const [type = '', mode = '', owner = ''] = stat.stdout.trim().split('|');
  const problems = differences([
    ['type', file.type, statTypes[type] ?? type],
    ['mode', file.mode && normalMode(file.mode), normalMode(mode)],
    ['owner', file.owner, owner],
  ]);
  if (file.target !== undefined) {
    const link = await container.exec(['readlink', '--', file.path]);
    problems.push(...differences([['link target', file.target, link.stdout.trim()]]));
  }
  if (file.contains.length || file.excludes.length) {
    const content = await container.exec(['cat', '--', file.path]);
    problems.push(...patternProblems(content.stdout, file.contains, file.excludes, 'content'));
  }
  return problems.length ? failure(name, problems.join('; ')) : pass(name);
}

export async function checkUser(container: Container, user: UserAssertion): Promise<AssertionResult> {
  const facts = [
    user.uid !== undefined && `uid ${user.uid}`,
    user.gid !== undefined && `gid ${user.gid}`,
    user.home && `home ${user.home}`,
    user.shell && `shell ${user.shell}`,
    user.groups.length > 0 && `in ${user.groups.join(', ')}`,
  ];
  const name = `user ${user.name}: ${facts.filter(Boolean).join(', ') || 'exists'}`;
  const entry = await container.exec(['getent', 'passwd', user.name]);
  if (entry.exitCode !== 0)
    return failure(name, `no such user (getent passwd ${user.name} exited ${entry.exitCode})`);
  const [, , uid, gid, , home, shell] = entry.stdout.trim().split(':');
  const problems = differences([
    ['uid', user.uid, Number(uid)],
    ['gid', user.gid, Number(gid)],
    ['home', user.home, home],
    ['shell', user.shell, shell],
  ]);
  if (user.groups.length > 0) {
    const groups = (await container.exec(['id', '--name', '--groups', user.name])).stdout.trim().split(/\s+/);
    problems.push(
      ...user.groups
        .filter((group) => !groups.includes(group))
        .map((group) => `not in group ${group} (in: ${groups.join(' ')})`),
    );
  }
  return problems.length ? failure(name, problems.join('; ')) : pass(name);
}

export async function checkGroup(container: Container, group: GroupAssertion): Promise<AssertionResult> {
  const facts = [
    group.gid !== undefined && `gid ${group.gid}`,
    group.members.length > 0 && `members ${group.members.join(', ')}`,
  ];
  const name = `group ${group.name}: ${facts.filter(Boolean).join(', ') || 'exists'}`;
  const entry = await container.exec(['getent', 'group', group.name]);
  if (entry.exitCode !== 0) return failure(name, 'no such group');
  const [, , gid, members = ''] = entry.stdout.trim().split(':');
  const listed = members.split(',').filter(Boolean);
  const problems = [
    ...differences([['gid', group.gid, Number(gid)]]),
    ...group.members
      .filter((member) => !listed.includes(member))
      .map((member) => `${member} is not a member (members: ${listed.join(' ') || 'none'})`),
  ];
  return problems.length ? failure(name, problems.join('; ')) : pass(name);
}

export async function checkCommand(
  container: Container,
  command: CommandAssertion,
  fill: (text: string) => string,
): Promise<AssertionResult> {
  const filledEnv = Object.fromEntries(Object.entries(command.env).map(([key, value]) => [key, fill(value)]));
  const run = await container.exec(command.run.map(fill), {
    user: command.user,
    env: filledEnv,
    workdir: command.workdir,
    stdin: command.stdin === undefined ? undefined : fill(command.stdin),
  });
  const problems = [
    ...differences([['exit code', command.exitCode, run.exitCode]]),
    ...patternProblems(run.stdout, command.stdout, command.stdoutExcludes, 'standard output'),
    ...patternProblems(run.stderr, command.stderr, command.stderrExcludes, 'standard error'),
  ];
  if (!problems.length) return pass(command.name);
  const output = `${run.stdout}${run.stderr}`.trim().split('\n').slice(-8).join('\n    ');
  return failure(command.name, `${problems.join('; ')}\n    ${output}`);
}

// One line a process: pid, real uid, real gid, command line (arguments joined by spaces).
const listProcesses = `for p in /proc/[0-9]*; do
  [ -r "$p/cmdline" ] || continue
  uid=$(sed -n 's/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p' "$p/status" 2>/dev/null)
  gid=$(sed -n 's/^Gid:[[:space:]]*\\([0-9]*\\).*/\\1/p' "$p/status" 2>/dev/null)
  printf '%s\\t%s\\t%s\\t%s\\n' "\${p#/proc/}" "$uid" "$gid" "$(tr '\\000' ' ' < "$p/cmdline" 2>/dev/null)"
done`;

export async function checkProcess(
  container: Container,
  expected: ProcessAssertion,
): Promise<AssertionResult> {
  const listing = await container.exec(['sh', '-c', listProcesses]);
  const processes = listing.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pid = '', uid = '', gid = '', commandLine = ''] = line.split('\t');
      return { pid: Number(pid), uid: Number(uid), gid: Number(gid), commandLine: commandLine.trim() };
    })
    .filter((process) => !process.commandLine.includes('/proc/[0-9]*')); // the listing shell itself
  const pattern = new RegExp(expected.commandLine);
  const found = processes.find(
    (process) =>
      pattern.test(process.commandLine) &&
      [expected.pid ?? process.pid, expected.uid ?? process.uid, expected.gid ?? process.gid].every(
        (value, index) => value === [process.pid, process.uid, process.gid][index],
      ),
  );
  if (found) return pass(expected.name);
  const table = processes
    .map((process) => `${process.pid} uid=${process.uid} gid=${process.gid} ${process.commandLine}`)
    .join('\n    ');
  return failure(
    expected.name,
    `no process matches /${expected.commandLine}/${expected.pid !== undefined ? ` as pid ${expected.pid}` : ''}${expected.uid !== undefined ? ` with uid ${expected.uid}` : ''}; processes:\n    ${table}`,
  );
}

/** Re-evaluates an observation until it passes or `settleMs` has gone by: a live container may still be starting. */
async function settled(check: () => Promise<AssertionResult>, settleMs: number): Promise<AssertionResult> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const result = await check();
    if (result.passed || Date.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Every check of one container, in a stable order: users, groups, files, commands, processes. In a container
 * whose entrypoint is still at work, observations (files, processes) get `settleMs` to come true; commands run once.
 */
export async function runChecks(
  container: Container,
  checks: ContainerChecks,
  fill: (text: string) => string,
  settleMs = 0,
): Promise<AssertionResult[]> {
  const results: AssertionResult[] = [];
  for (const user of checks.users) results.push(await checkUser(container, user));
  for (const group of checks.groups) results.push(await checkGroup(container, group));
  for (const file of checks.files) results.push(await settled(() => checkFile(container, file), settleMs));
  for (const command of checks.commands) results.push(await checkCommand(container, command, fill));
  for (const process of checks.processes)
    results.push(await settled(() => checkProcess(container, process), settleMs));
  return results;
}

/** The image's config (docker image inspect's .Config) against the metadata assertion: one result a field. */
export function checkMetadata(
  config: {
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
  },
  expected: MetadataAssertion,
): AssertionResult[] {
  const env = new Map(
    (config.Env ?? []).map((entry) => [
      entry.slice(0, entry.indexOf('=')),
      entry.slice(entry.indexOf('=') + 1),
    ]),
  );
  const results: AssertionResult[] = [];
  for (const [key, value] of Object.entries(expected.env)) {
    const name = `config: ENV ${key}=${value}`;
    results.push(
      env.get(key) === value
        ? pass(name)
        : failure(name, `found ${env.has(key) ? `${key}=${env.get(key)}` : `no ${key}`}`),
    );
  }
  const scalar = (field: string, want: string | undefined, found: string | undefined) => {
    if (want === undefined) return;
    const name = `config: ${field} ${want || '(none)'}`;
    results.push(want === (found ?? '') ? pass(name) : failure(name, `found ${found || '(none)'}`));
  };
  scalar('WORKDIR', expected.workdir, config.WorkingDir);
  scalar('USER', expected.user, config.User);
  const list = (field: string, want: string[] | undefined, found: string[] | null | undefined) => {
    if (want === undefined) return;
    const name = `config: ${field} ${JSON.stringify(want)}`;
    results.push(
      JSON.stringify(want) === JSON.stringify(found ?? [])
        ? pass(name)
        : failure(name, `found ${JSON.stringify(found ?? [])}`),
    );
  };
  list('ENTRYPOINT', expected.entrypoint, config.Entrypoint);
  list('CMD', expected.cmd, config.Cmd);
  return results;
}
