import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Node, Parser } from 'web-tree-sitter';
import { isRemembered, remembered, type ResultKind } from '@image-layers/manifest/remembered';

// RUN bodies and scripts are parsed by tree-sitter-bash (its WASM grammar under web-tree-sitter): a full
// syntax tree, so `a && b || true`, pipes, heredocs and command substitutions are what the shell sees,
// never a split on spaces. The tree is read once into the plain values below and freed.

/** A word of a command: `value` is what the shell passes (quotes removed), `raw` what was written. */
export interface ShellWord {
  value: string;
  raw: string;
  /** Offsets in the script. */
  start: number;
  end: number;
}

export interface ShellCommand {
  /** The command's base name (`/usr/bin/apt-get` -> `apt-get`). */
  name: string;
  word: ShellWord;
  args: ShellWord[];
}

/** `guarded || fallback`: the commands whose failure the fallback answers. */
export interface ShellFallback {
  guarded: ShellCommand[];
  fallback: string;
  /** Offset of the `||`. */
  operator: number;
}

export interface ShellScript {
  source: string;
  /** Every simple command, in order, including those inside $(...), if, loops and functions. */
  commands: ShellCommand[];
  /** Offsets of `|` and `|&` operators. */
  pipes: number[];
  fallbacks: ShellFallback[];
  /** `$NAME` and `${NAME...}` uses. */
  variables: { name: string; start: number }[];
  /** Offsets where the parser found no valid shell. */
  errors: number[];
  /** Why the script was not read to its end (a limit of this linter), reported at the first of `errors`. */
  unread?: string;
}

/**
 * How deep commands may sit inside commands (`a "$(b "$(c)")"` is 3). Each level re-reads the words of the
 * levels inside it, so the cost grows with the square of the depth: 100,000 nested `$(` took 12 s. Real
 * scripts stay under ten; past this the rest of the command is not read, and IL0001 says so at its place.
 */
export const MAX_COMMAND_NESTING = 200;

/** An empty script: what a RUN that is not shell, or that the parser could not read, is linted as. */
export const emptyShellScript = (source = ''): ShellScript => ({
  source,
  commands: [],
  pipes: [],
  fallbacks: [],
  variables: [],
  errors: [],
});

let parser: Parser | undefined;

/** Loads the WASM runtime and the bash grammar once per process (~20 ms). */
export async function loadShellParser(): Promise<void> {
  if (parser) return;
  // The grammar is one large WASM module: V8's optimizing tier spends ~1.5 s compiling it in the background
  // (and a process waits for that before it exits), while the baseline compiler alone parses faster at our sizes.
  setFlagsFromString('--liftoff-only');
  // Loaded here, not with this module: a lint whose scripts' parses are all remembered never needs it, and
  // web-tree-sitter (outside the CLI's bundle, so without its code cache) cost such a lint ~8 ms to load.
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  const grammar = createRequire(__filename).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const language = await Language.load(grammar);
  const instance = new Parser();
  instance.setLanguage(language);
  parser = instance;
}

function unquote(node: Node): string {
  switch (node.type) {
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.text.slice(1, -1);
    case 'concatenation':
      return node.children.map((child) => (child ? unquote(child) : '')).join('');
    default:
      return node.text;
  }
}

function word(node: Node): ShellWord {
  return { value: unquote(node), raw: node.text, start: node.startIndex, end: node.endIndex };
}

function commandOf(node: Node): ShellCommand | undefined {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return undefined;
  // command_name wraps the word, string or concatenation that names the command.
  const nameWord = word(nameNode.namedChildren[0] ?? nameNode);
  const args: ShellWord[] = [];
  for (let i = 0; i < node.childCount; i++) {
    if (node.fieldNameForChild(i) === 'argument') args.push(word(node.child(i)!));
  }
  return { name: nameWord.value.replace(/^.*\//, ''), word: nameWord, args };
}

/** What the walk keeps of a `list` node (`left && right`, `left || right`) to answer "whose failure does `||` catch". */
interface ListPart {
  start: number;
  end: number;
  /** Set when the part is itself a list. */
  list?: { operator: string; left: ListPart; right: ListPart };
}

/** A parsed script as JSON data, kept without its source (the input): a fallback names its commands by index. */
const SHELL_SCRIPTS: ResultKind<ShellScript> = {
  name: 'shell-script',
  version: 1,
  pack: (script) => ({
    ...script,
    fallbacks: script.fallbacks.map(({ guarded, ...fallback }) => ({
      ...fallback,
      guarded: guarded.map((command) => script.commands.indexOf(command)),
    })),
  }),
  unpack: (data) => {
    const { fallbacks, ...script } = data as Omit<ShellScript, 'fallbacks'> & {
      fallbacks: (Omit<ShellFallback, 'guarded'> & { guarded: number[] })[];
    };
    return {
      ...script,
      fallbacks: fallbacks.map(({ guarded, ...fallback }) => ({
        ...fallback,
        guarded: guarded.map((index) => script.commands[index]!),
      })),
    };
  },
};

/**
 * Whether parsing these scripts needs the parser loaded (loadShellParser): not when each one's parse is
 * remembered between CLI starts (manifest/remembered.ts), which saves a lint loading the WASM grammar at all.
 */
export function shellParserNeeded(sources: string[]): boolean {
  return !parser && sources.some((source) => !isRemembered(SHELL_SCRIPTS, source));
}

/** Parses a script; call loadShellParser() first, unless shellParserNeeded() says there is no need. */
export function parseShell(source: string): ShellScript {
  const script = remembered(SHELL_SCRIPTS, source, () => ({ ...parseShellTree(source), source: '' }));
  return { ...script, source };
}

function parseShellTree(source: string): ShellScript {
  if (!parser) throw new Error('loadShellParser() must finish before parseShell()');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const script = emptyShellScript(source);
  /** Start offsets of the command nodes, in the order of `commands` (a pre-order walk, so ascending). */
  const commandStarts: number[] = [];
  const lists = new Map<number, ListPart>();
  const fallbacks: {
    list: ListPart & { list: NonNullable<ListPart['list']> };
    operator: number;
    fallback: string;
  }[] = [];
  const partOf = (node: Node): ListPart =>
    lists.get(node.id) ?? { start: node.startIndex, end: node.endIndex };
  // An explicit walk with tree-sitter's cursor, not recursion: a RUN of 100,000 `&&` or 3,000 nested `$(`
  // nests the tree that deep, which the JavaScript stack cannot follow. Lists are read when the walk leaves them,
  // so their parts (lists themselves, left-nested) are known by then.
  const cursor = tree.walk();
  const parents: string[] = [];
  let commandDepth = 0;
  try {
    for (;;) {
      const type = cursor.nodeType;
      let descend = true;
      switch (type) {
        case 'command': {
          if (commandDepth >= MAX_COMMAND_NESTING) {
            script.unread ??= `commands nest more than ${MAX_COMMAND_NESTING} deep in $(...), backticks or subshells`;
            script.errors.push(cursor.startIndex);
            descend = false;
            break;
          }
          const command = commandOf(cursor.currentNode);
          if (command) {
            script.commands.push(command);
            commandStarts.push(cursor.startIndex);
          }
          break;
        }
        case 'ERROR':
          script.errors.push(cursor.startIndex);
          break;
        case '|':
        case '|&':
          if (parents.at(-1) === 'pipeline') script.pipes.push(cursor.startIndex);
          break;
        case 'variable_name': {
          const parent = parents.at(-1);
          if (parent === 'simple_expansion' || parent === 'expansion')
            script.variables.push({ name: cursor.nodeText, start: cursor.startIndex });
          break;
        }
      }
      if (cursor.nodeIsMissing) script.errors.push(cursor.startIndex);
      if (descend && cursor.gotoFirstChild()) {
        parents.push(type);
        if (type === 'command') commandDepth++;
        continue;
      }
      // Leave finished nodes until one has a next sibling, reading each list as it is left.
      for (;;) {
        if (cursor.nodeType === 'list') {
          const node = cursor.currentNode;
          const operator = node.children.find((child) => child?.type === '||' || child?.type === '&&');
          const left = node.namedChildren[0];
          const right = node.namedChildren[node.namedChildren.length - 1];
          if (operator && left && right && left.id !== right.id) {
            const list = {
              start: node.startIndex,
              end: node.endIndex,
              list: { operator: operator.type, left: partOf(left), right: partOf(right) },
            };
            lists.set(node.id, list);
            if (operator.type === '||')
              fallbacks.push({ list, operator: operator.startIndex, fallback: right.text.trim() });
          }
        }
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) {
          parents.length = 0;
          break;
        }
        if (parents.pop() === 'command') commandDepth--;
      }
      if (parents.length === 0 && cursor.currentDepth === 0) break;
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
  /** The commands whose start lies in [start, end): a binary search in the ascending starts. */
  const commandsIn = (start: number, end: number): ShellCommand[] => {
    let low = 0;
    let high = commandStarts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (commandStarts[middle]! < start) low = middle + 1;
      else high = middle;
    }
    let last = low;
    while (last < commandStarts.length && commandStarts[last]! < end) last++;
    return script.commands.slice(low, last);
  };
  /**
   * The commands whose failure reaches the `||`: in `a && b || f` both a and b; in `a || b || f` only b, since a's
   * failure is b's to answer. Read along the left spine without recursion, so a long chain stays linear.
   */
  const guardedBy = (part: ListPart): ShellCommand[] => {
    const guarded: ShellCommand[] = [];
    const pending = [part];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (!next.list) guarded.push(...commandsIn(next.start, next.end));
      else if (next.list.operator === '||') pending.push(next.list.right);
      else pending.push(next.list.right, next.list.left);
    }
    return guarded;
  };
  for (const { list, operator, fallback } of fallbacks)
    script.fallbacks.push({ guarded: guardedBy(list.list.left), fallback, operator });
  return script;
}
