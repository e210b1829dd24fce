import type { LintInstruction } from './document';
import type { ShellCommand } from './shell';

// What a Dockerfile step costs when its cache is invalidated, by kind: the linter's IL1010 and `image-layers
// explain` both read it. The kinds are judged from the RUN's parsed shell (every simple command, in $(...) and
// conditionals too), never from its text.

export type StepKind =
  /** A package manager installs (apt-get, pip, npm, …): it fetches from its index and takes seconds to minutes. */
  | 'package-install'
  /** A download without a package manager (curl, wget, git clone, ADD of a URL). */
  | 'network-install'
  /** Another RUN: commands on what is in the image already (useradd, chmod, mkdir). */
  | 'run'
  /** COPY or ADD of build-context files: the step a file's edit invalidates. */
  | 'copy'
  /** FROM, ENV, ARG, USER, WORKDIR, ENTRYPOINT, …: no command runs; cheap to redo. */
  | 'metadata';

/** Package managers and the words that make them install (`apt-get install`, `npm ci`, `pip3 install`). */
const INSTALLING: Record<string, string[]> = {
  'apt-get': ['install', 'dist-upgrade', 'upgrade'],
  apt: ['install', 'upgrade'],
  aptitude: ['install'],
  apk: ['add', 'upgrade'],
  dnf: ['install', 'upgrade'],
  yum: ['install', 'update'],
  microdnf: ['install'],
  zypper: ['install', 'in'],
  pip: ['install'],
  pip3: ['install'],
  pipx: ['install'],
  uv: ['pip', 'tool', 'sync', 'add'],
  npm: ['install', 'i', 'ci', 'add', 'update'],
  pnpm: ['install', 'i', 'add'],
  yarn: ['install', 'add', 'global'],
  gem: ['install'],
  cargo: ['install'],
  go: ['install', 'get'],
  conda: ['install', 'create'],
};

const DOWNLOADERS = new Set(['curl', 'wget']);
const GIT_FETCHING = ['clone', 'fetch', 'pull'];

const firstWord = (command: ShellCommand) => command.args.find((arg) => !arg.value.startsWith('-'))?.value;

/** `python -m pip install` and `python3.11 -m pip install` are pip too. */
function asModule(command: ShellCommand): string | undefined {
  if (!/^python[0-9.]*$/.test(command.name)) return undefined;
  const module = command.args.findIndex((arg) => arg.value === '-m');
  return module >= 0 ? command.args[module + 1]?.value : undefined;
}

function installs(command: ShellCommand): boolean {
  const module = asModule(command);
  if (module) {
    const rest = command.args.slice(command.args.findIndex((arg) => arg.value === module) + 1);
    return (INSTALLING[module] ?? []).includes(rest.find((arg) => !arg.value.startsWith('-'))?.value ?? '');
  }
  const words = INSTALLING[command.name];
  return words !== undefined && words.includes(firstWord(command) ?? '');
}

const downloads = (command: ShellCommand): boolean =>
  DOWNLOADERS.has(command.name) ||
  (command.name === 'git' && GIT_FETCHING.includes(firstWord(command) ?? ''));

/** The commands of a RUN that install or download, for messages ("npm install", "curl"). */
export function installCommands(instruction: LintInstruction): ShellCommand[] {
  return (instruction.run?.shell.commands ?? []).filter((command) => installs(command) || downloads(command));
}

export function stepKind(instruction: LintInstruction): StepKind {
  const keyword = instruction.keyword;
  if (keyword === 'COPY' || keyword === 'ADD') {
    const url = instruction.args.some((arg) => /^[a-z]+:\/\//i.test(arg.value));
    if (keyword === 'ADD' && url) return 'network-install';
    return instruction.flags.some((flag) => flag.name === 'from') ? 'metadata' : 'copy';
  }
  if (keyword !== 'RUN') return 'metadata';
  const commands = instruction.run?.shell.commands ?? [];
  if (commands.some(installs)) return 'package-install';
  if (commands.some(downloads)) return 'network-install';
  return 'run';
}

/** The kinds that cost a network round trip and minutes: what no edit of a copied file should re-run. */
export const isExpensive = (kind: StepKind): boolean =>
  kind === 'package-install' || kind === 'network-install';
