import type { Argument, Flag, From, Instruction } from 'dockerfile-ast';

type DockerfileAst = typeof import('dockerfile-ast');
let dockerfileAst: DockerfileAst | undefined;

/**
 * dockerfile-ast, loaded on the first parse, with its argument split made once per text (below): a CLI start
 * whose fragments' readings are remembered (compose/fragment.ts, manifest/remembered.ts) parses nothing, and
 * loading it cost a compose ~3 ms. A require() rather than an import(), as parsing is synchronous: esbuild
 * bundles it as a module run on its first require, vitest and Node load the package as an import would.
 * dockerfile-utils' validator parses with this same package: call this before it, for the split.
 */
export function loadDockerfileAst(): DockerfileAst {
  if (dockerfileAst) return dockerfileAst;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous and lazy, as said above
  const ast = require('dockerfile-ast') as DockerfileAst;
  splitArgumentsOnce(ast);
  return (dockerfileAst = ast);
}

// dockerfile-ast splits an instruction's text into arguments anew on every getArguments() (getArgumentsRange(),
// getVariables(), ...), and dockerfile-utils' validator and this model ask many times per instruction, each on a
// parse of its own (the validator parses a fragment again; the composed Dockerfile repeats the fragments): the
// largest part of a CLI start's compose. The split is a function of the instruction's text, escape character,
// keyword length and first column, so it is made once per those, with lines kept relative to the instruction's.
// Each call gets new Argument, Range and Position objects: dockerfile-ast writes into what it gets back (From's
// getImageNameRange() moves its argument's range, the list is shift()ed), so sharing them changed later answers.
type Split = [value: string, line: number, character: number, endLine: number, endCharacter: number][];
interface AstPosition {
  line: number;
  character: number;
}
interface AstInstructionText {
  escapeChar: string;
  document: { offsetAt(position: AstPosition): number };
  getRange(): { start: AstPosition };
  getInstructionRange(): { start: AstPosition; end: AstPosition };
  getTextContent(): string;
}
const splits = new Map<string, Split>();
function splitArgumentsOnce({ Argument, Instruction }: DockerfileAst): void {
  const astInstruction = Instruction.prototype as unknown as {
    getRawArguments(this: AstInstructionText): Argument[];
  };
  const splitArguments = astInstruction.getRawArguments;
  astInstruction.getRawArguments = function (this: AstInstructionText): Argument[] {
    const text = this.getTextContent();
    // The last argument's end is placed by what follows the text when it ends with a CR: not a function of it.
    if (text.endsWith('\r')) return splitArguments.call(this);
    const start = this.getRange().start;
    const keyword = this.getInstructionRange();
    const keywordLength = this.document.offsetAt(keyword.end) - this.document.offsetAt(keyword.start);
    const key = `${this.escapeChar}\0${start.character}\0${keywordLength}\0${text}`;
    let split = splits.get(key);
    if (!split) {
      split = splitArguments.call(this).map((arg) => {
        const range = arg.getRange();
        return [
          arg.getValue(),
          range.start.line - start.line,
          range.start.character,
          range.end.line - start.line,
          range.end.character,
        ];
      });
      // A bound on what a long-lived process (a test run) keeps; a CLI start splits a few hundred.
      if (splits.size >= 10_000) splits.clear();
      splits.set(key, split);
    }
    return split.map(
      ([value, line, character, endLine, endCharacter]) =>
        new Argument(value, {
          start: { line: start.line + line, character },
          end: { line: start.line + endLine, character: endCharacter },
        }),
    );
  };
}

// The one Dockerfile model of the machinery: the text is parsed here, once, by dockerfile-ast, and read into
// typed instructions (keyword, arguments, flags, spans, heredocs, ONBUILD triggers, stages). The composer, the
// linter, the image test and the test helpers all read this, so they all see the same instructions. It sits at
// the bottom of the machinery (beside the manifests, whose fragments it reads) so that every project, the test
// helpers included, can import it.

/** A heredoc's start (`<<EOF`, `<<-"EOF"`), not a here-string (`<<<`) nor an escaped `\<<`. */
export const HEREDOC = /(?<![<\\])<<(?!<)(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** A 0-based place in a Dockerfile's text (a line, and a column in it), as dockerfile-ast gives it. */
export interface Position {
  line: number;
  column: number;
}

/** 0-based lines and columns from a Position to an exclusive end. */
export interface Span extends Position {
  endLine: number;
  endColumn: number;
}

export interface DockerfileArgument {
  /** The word as dockerfile-ast reads it (quotes kept, escaped newlines joined). */
  value: string;
  span: Span;
  node: Argument;
}

export interface DockerfileFlag {
  /** `chmod` of `--chmod=755`. */
  name: string;
  /** `755` of `--chmod=755`; null for a bare `--link`. */
  value: string | null;
  span: Span;
  node: Flag;
}

export interface Heredoc {
  /** The terminator's name (`EOF`). */
  name: string;
  /** `<<-`: leading tabs are stripped from the body and terminator. */
  strip: boolean;
  /** 0-based place of the `<<`. */
  line: number;
  column: number;
}

export interface DockerfileInstruction {
  /** Position among the top-level instructions; a trigger shares its ONBUILD's. */
  index: number;
  /** Upper case, as Docker reads it. */
  keyword: string;
  node: Instruction;
  /** 0-based first and last line. */
  line: number;
  endLine: number;
  /** 0-based column of the keyword: 0, except for an ONBUILD's trigger. */
  column: number;
  span: Span;
  /** The words after the keyword and its flags. */
  args: DockerfileArgument[];
  /** `--name[=value]` flags (COPY, ADD, RUN, FROM, HEALTHCHECK); none for other instructions. */
  flags: DockerfileFlag[];
  /** The argument text as written (flags included, continuations kept); '' for none. */
  argumentsText: string;
  /** Heredocs a RUN, COPY or ADD opens (in its shell form). */
  heredocs: Heredoc[];
  /** Index into `stages`; -1 before the first FROM. */
  stage: number;
  /** Of `ONBUILD X ...`: the instruction X, which runs in the builds that use this image as their base. */
  trigger?: DockerfileInstruction;
  /** Set on a trigger: the ONBUILD that holds it. */
  onbuild?: DockerfileInstruction;
}

export interface DockerfileStage {
  from: From;
  alias?: string;
  /** The FROM instruction that starts the stage. */
  instruction: DockerfileInstruction;
}

export interface DockerfileModel {
  text: string;
  /** The escape character (`\`, or what an `# escape=` directive sets). */
  escape: string;
  /** The top-level instructions, in order (an ONBUILD's trigger hangs off it). */
  instructions: DockerfileInstruction[];
  stages: DockerfileStage[];
  /** The top-level instructions with this keyword (any case), in order. */
  all(keyword: string): DockerfileInstruction[];
  /** Every instruction, each ONBUILD followed by its trigger. */
  withTriggers(): DockerfileInstruction[];
}

const spanOf = (range: {
  start: { line: number; character: number };
  end: { line: number; character: number };
}): Span => ({
  line: range.start.line,
  column: range.start.character,
  endLine: range.end.line,
  endColumn: range.end.character,
});

function flagsOf(node: Instruction): DockerfileFlag[] {
  const withFlags = node as unknown as { getFlags?(): Flag[] };
  return (withFlags.getFlags?.() ?? []).map((flag) => ({
    name: flag.getName(),
    value: flag.getValue(),
    span: spanOf(flag.getRange()),
    node: flag,
  }));
}

/**
 * The heredocs a RUN, COPY or ADD opens: `<<NAME` on the instruction's command lines (its first line and the
 * lines it continues onto with the escape character), not in the heredoc bodies after them.
 */
function heredocsOf(node: Instruction, keyword: string, lines: string[], escape: string): Heredoc[] {
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return [];
  const args = node.getArguments();
  if (args.length === 0 || /^\s*\[/.test(args[0]!.getValue())) return [];
  const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`);
  const range = node.getRange();
  const found: Heredoc[] = [];
  for (let line = range.start.line; line <= range.end.line; line++) {
    const from = line === range.start.line ? range.start.character : 0;
    const content = (lines[line] ?? '').slice(from);
    if (line > range.start.line && /^\s*(#.*)?$/.test(content)) continue;
    const joined = continuation.exec(content);
    const kept = joined ? content.slice(0, joined.index) : content;
    for (const match of kept.matchAll(HEREDOC))
      found.push({ name: match[3]!, strip: match[1] === '-', line, column: from + match.index });
    if (!joined) break;
  }
  return found;
}

/** Parses Dockerfile text (dockerfile-ast never throws). */
export function parseDockerfile(text: string): DockerfileModel {
  const dockerfile = loadDockerfileAst().DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const stages: DockerfileStage[] = [];
  const instructions: DockerfileInstruction[] = [];
  const describe = (node: Instruction, index: number, stage: number): DockerfileInstruction => {
    const keyword = node.getKeyword().toUpperCase();
    const span = spanOf(node.getRange());
    return {
      index,
      keyword,
      node,
      line: span.line,
      endLine: span.endLine,
      column: span.column,
      span,
      args: node
        .getArguments()
        .map((arg) => ({ value: arg.getValue(), span: spanOf(arg.getRange()), node: arg })),
      flags: flagsOf(node),
      argumentsText: node.getArgumentsContent() ?? '',
      heredocs: heredocsOf(node, keyword, lines, escape),
      stage,
    };
  };
  for (const node of dockerfile.getInstructions()) {
    const isFrom = node.getKeyword().toUpperCase() === 'FROM';
    const instruction = describe(node, instructions.length, stages.length - (isFrom ? 0 : 1));
    if (isFrom) {
      const from = node as From;
      stages.push({ from, alias: from.getBuildStage() ?? undefined, instruction });
    }
    if (instruction.keyword === 'ONBUILD') {
      const trigger = (
        node as unknown as { getTriggerInstruction?(): Instruction | null }
      ).getTriggerInstruction?.();
      if (trigger) {
        instruction.trigger = describe(trigger, instruction.index, instruction.stage);
        instruction.trigger.onbuild = instruction;
      }
    }
    instructions.push(instruction);
  }
  return {
    text,
    escape,
    instructions,
    stages,
    all: (keyword) => instructions.filter((instruction) => instruction.keyword === keyword.toUpperCase()),
    withTriggers: () =>
      instructions.flatMap((instruction) =>
        instruction.trigger ? [instruction, instruction.trigger] : [instruction],
      ),
  };
}

/** An instruction of the model as JSON data: every field but dockerfile-ast's nodes (and the trigger's back link). */
export interface PlainInstruction extends Omit<
  DockerfileInstruction,
  'node' | 'args' | 'flags' | 'trigger' | 'onbuild'
> {
  args: Omit<DockerfileArgument, 'node'>[];
  flags: Omit<DockerfileFlag, 'node'>[];
  trigger?: PlainInstruction;
}

/** The model's instructions as JSON data (plainInstructions' inverse is instructionsOf). */
export function plainInstructions(instructions: DockerfileInstruction[]): PlainInstruction[] {
  const plain = (instruction: DockerfileInstruction): PlainInstruction => ({
    index: instruction.index,
    keyword: instruction.keyword,
    line: instruction.line,
    endLine: instruction.endLine,
    column: instruction.column,
    span: instruction.span,
    args: instruction.args.map(({ value, span }) => ({ value, span })),
    flags: instruction.flags.map(({ name, value, span }) => ({ name, value, span })),
    argumentsText: instruction.argumentsText,
    heredocs: instruction.heredocs,
    stage: instruction.stage,
    ...(instruction.trigger ? { trigger: plain(instruction.trigger) } : {}),
  });
  return instructions.map(plain);
}

/**
 * The instructions of `plain` (plainInstructions of the text `model()` parses) as the model's: each dockerfile-ast
 * node is the one of `model()`, parsed on first use, so a reader of the plain fields alone never parses the text.
 */
export function instructionsOf(
  plain: PlainInstruction[],
  model: () => DockerfileModel,
): DockerfileInstruction[] {
  const lazy = <T extends object>(target: T, node: () => unknown): T =>
    Object.defineProperty(target, 'node', { get: node, enumerable: true });
  const described = (
    instruction: PlainInstruction,
    parsed: () => DockerfileInstruction,
  ): DockerfileInstruction => {
    const { trigger, ...fields } = instruction;
    const result = lazy(
      {
        ...fields,
        args: instruction.args.map((arg, index) =>
          lazy({ ...arg } as DockerfileArgument, () => parsed().args[index]!.node),
        ),
        flags: instruction.flags.map((flag, index) =>
          lazy({ ...flag } as DockerfileFlag, () => parsed().flags[index]!.node),
        ),
      } as DockerfileInstruction,
      () => parsed().node,
    );
    if (trigger) {
      result.trigger = described(trigger, () => parsed().trigger!);
      result.trigger.onbuild = result;
    }
    return result;
  };
  return plain.map((instruction, index) => described(instruction, () => model().instructions[index]!));
}
