import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type Node } from 'web-tree-sitter';

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
}

let parser: Parser | undefined;

/** Loads the WASM runtime and the bash grammar once per process (~20 ms). */
export async function loadShellParser(): Promise<void> {
  if (parser) return;
  // The grammar is one large WASM module: V8's optimizing tier spends ~1.5 s compiling it in the background
  // (and a process waits for that before it exits), while the baseline compiler alone parses faster at our sizes.
  setFlagsFromString('--liftoff-only');
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

/** Parses a script; call loadShellParser() first. */
export function parseShell(source: string): ShellScript {
  if (!parser) throw new Error('loadShellParser() must finish before parseShell()');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const script: ShellScript = { source, commands: [], pipes: [], fallbacks: [], variables: [], errors: [] };
  const byNode = new Map<number, ShellCommand>();
  const lists: Node[] = [];
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'command': {
        const command = commandOf(node);
        if (command) {
          script.commands.push(command);
          byNode.set(node.id, command);
        }
        break;
      }
      case 'ERROR':
        script.errors.push(node.startIndex);
        break;
      case '|':
      case '|&':
        if (node.parent?.type === 'pipeline') script.pipes.push(node.startIndex);
        break;
      case 'variable_name':
        if (node.parent?.type === 'simple_expansion' || node.parent?.type === 'expansion') {
          script.variables.push({ name: node.text, start: node.startIndex });
        }
        break;
      case 'list':
        lists.push(node);
        break;
    }
    if (node.isMissing) script.errors.push(node.startIndex);
    for (let i = 0; i < node.childCount; i++) visit(node.child(i)!);
  };
  visit(tree.rootNode);
  for (const list of lists) {
    const operator = list.children.find((child) => child?.type === '||');
    const left = list.namedChildren[0];
    const right = list.namedChildren[list.namedChildren.length - 1];
    if (!operator || !left || !right || left === right) continue;
    const guarded = script.commands.filter(
      (command) => command.word.start >= left.startIndex && command.word.end <= left.endIndex,
    );
    script.fallbacks.push({ guarded, fallback: right.text.trim(), operator: operator.startIndex });
  }
  tree.delete();
  return script;
}
