import type { ShellCommand } from '../shell';

const values = (command: ShellCommand) => command.args.map((arg) => arg.value);

/** `python3 -m MODULE ...`: the module, when the command is a Python running one. */
function pythonModule(command: ShellCommand): string | undefined {
  if (!/^python[0-9.]*$/.test(command.name)) return undefined;
  const words = values(command);
  const index = words.indexOf('-m');
  return index === -1 ? undefined : words[index + 1];
}

/** `pip install`, `pip3.11 install` or `python3 -m pip install`. */
export function isPipInstall(command: ShellCommand): boolean {
  const isPip = /^pip[0-9.]*$/.test(command.name) || /^pip[0-9.]*$/.test(pythonModule(command) ?? '');
  return isPip && values(command).includes('install');
}

/** pipx and pipenv manage their own caches. */
export const isPipWrapper = (command: ShellCommand) =>
  /pipx|pipenv/.test(command.name) || /^(pipx|pipenv)$/.test(pythonModule(command) ?? '');
