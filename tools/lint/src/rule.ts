import type { Argument, Flag } from 'dockerfile-ast';
import type { LintDocument, LintInstruction, RunShell } from './document';
import type { ShellCommand, ShellWord } from './shell';
import type { Hit, Position, Rule } from './types';

// The shared vocabulary of rule modules, so that every rule reads alike: pick instructions or shell
// commands, ask about their flags and words, and say where the hit is.

export const defineRule = (rule: Rule): Rule => rule;

/**
 * Every instruction, each ONBUILD followed by its trigger: what a rule about one instruction's form checks,
 * since `ONBUILD ADD x /y` is an ADD in every build that starts FROM this image (hadolint's `onbuild` rules).
 */
export function withTriggers(doc: LintDocument): LintInstruction[] {
  return doc.instructions.flatMap((instruction) =>
    instruction.trigger ? [instruction, instruction.trigger] : [instruction],
  );
}

/** The instructions (ONBUILD triggers included) with one of these keywords. */
export function instructions(doc: LintDocument, ...keywords: string[]): LintInstruction[] {
  return withTriggers(doc).filter((instruction) => keywords.includes(instruction.keyword));
}

/**
 * The instructions of this image's own stages with one of these keywords, triggers left out: for rules about
 * the state a stage ends in (its last USER, its CMD count, its base), which a trigger does not change here.
 */
export function stageInstructions(doc: LintDocument, ...keywords: string[]): LintInstruction[] {
  return doc.instructions.filter((instruction) => keywords.includes(instruction.keyword));
}

/** Every RUN with its parsed script, ONBUILD RUN included. */
export function runs(doc: LintDocument): { instruction: LintInstruction; run: RunShell }[] {
  return withTriggers(doc).flatMap((instruction) =>
    instruction.run ? [{ instruction, run: instruction.run }] : [],
  );
}

/** Every simple command of every RUN, in order. */
export function commands(
  doc: LintDocument,
): { instruction: LintInstruction; run: RunShell; command: ShellCommand }[] {
  return runs(doc).flatMap(({ instruction, run }) =>
    run.shell.commands.map((command) => ({ instruction, run, command })),
  );
}

/** The `--mount=`, `--network=` ... flags of a RUN (none for any other instruction). */
export function runFlags(instruction: LintInstruction): Flag[] {
  if (instruction.keyword !== 'RUN') return [];
  return instruction.flags.map((flag) => flag.node);
}

/** hadolint's "command has args": the command is `name` and one of its words is one of `words`. */
export function is(command: ShellCommand, name: string | string[], ...words: string[]): boolean {
  if (!(Array.isArray(name) ? name : [name]).includes(command.name)) return false;
  return words.length === 0 || command.args.some((arg) => words.includes(arg.value));
}

/** The flags a word sets: `--name[=value]` gives `name`, `-abc` gives a, b and c. */
export function flagsOf(value: string): string[] {
  if (value === '-' || value === '--' || !value.startsWith('-')) return [];
  if (value.startsWith('--')) return [value.slice(2).split('=')[0]!];
  return [...value.slice(1)];
}

export function hasFlag(command: ShellCommand, ...names: string[]): boolean {
  return command.args.some((arg) => flagsOf(arg.value).some((flag) => names.includes(flag)));
}

/** The value of `-x VALUE`, `-xVALUE`, `--long VALUE` or `--long=VALUE`, for each time the flag is given. */
export function flagValues(command: ShellCommand, short: string, long?: string): string[] {
  const values: string[] = [];
  command.args.forEach((arg, index) => {
    const next = command.args[index + 1]?.value;
    const cluster = /^-[A-Za-z]*$/.test(arg.value) && arg.value.endsWith(short);
    if (cluster && next !== undefined) values.push(next);
    else if (
      arg.value.startsWith(`-${short}`) &&
      !arg.value.startsWith('--') &&
      arg.value.length > short.length + 1
    )
      values.push(arg.value.slice(short.length + 1));
    else if (long && arg.value === `--${long}` && next !== undefined) values.push(next);
    else if (long && arg.value.startsWith(`--${long}=`)) values.push(arg.value.slice(long.length + 3));
  });
  return values;
}

/** The words that are not flags, leaving out the values of the flags named in `takingValues`. */
export function positional(command: ShellCommand, takingValues: string[] = []): ShellWord[] {
  const words: ShellWord[] = [];
  let skip = false;
  for (const arg of command.args) {
    if (skip) {
      skip = false;
      continue;
    }
    const flags = flagsOf(arg.value);
    if (flags.length === 0) {
      if (arg.value !== '--') words.push(arg);
      continue;
    }
    if (!arg.value.includes('=') && flags.some((flag) => takingValues.includes(flag))) skip = true;
  }
  return words;
}

/** The words after the subcommand `sub` (e.g. the packages of `apt-get install`). */
export function after(words: ShellWord[], sub: string[]): ShellWord[] {
  const index = words.findIndex((word) => sub.includes(word.value));
  return index === -1 ? [] : words.slice(index + 1);
}

export const atInstruction = (instruction: LintInstruction): Position => ({
  line: instruction.line,
  column: instruction.column,
});

export const atWord = (run: RunShell, word: ShellWord): Position => run.at(word.start);

export const atArgument = (argument: Argument): Position => ({
  line: argument.getRange().start.line,
  column: argument.getRange().start.character,
});

/** The instruction's first argument, or the instruction itself when it has none. */
export const atFirstArgument = (instruction: LintInstruction): Position => {
  const first = instruction.node.getArguments()[0];
  return first ? atArgument(first) : atInstruction(instruction);
};

export const hit = (at: Position, message?: string): Hit =>
  message === undefined ? { at } : { at, message };
