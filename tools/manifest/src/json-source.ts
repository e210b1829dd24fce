import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ImageLayersError, type SourceLocation } from './errors';
import { readUnitFile } from './unit-file';
import { lineStarts, positionIn } from './line-index';
import { jsonKind, remembered } from './remembered';

/** A JSON file kept with its syntax tree, so any field can be pointed at by line and column. */
export interface JsonSource {
  file: string;
  text: string;
  value: unknown;
  /** The location of the value at `path` (or of its nearest existing parent). */
  locate(path: readonly (string | number)[]): SourceLocation;
}

/** Deeper than any manifest needs (layer.json is 4 levels deep); far below what would exhaust the parser's stack. */
export const MAX_JSON_DEPTH = 64;

/** 1-based line and column of an offset, as error messages give them. */
function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  // Found on first use: most manifests are never pointed into.
  let starts: number[] | undefined;
  return (offset) => {
    const { line, column } = positionIn((starts ??= lineStarts(text)), offset);
    return { line: line + 1, column: column + 1 };
  };
}

/** The offset where nesting first goes deeper than MAX_JSON_DEPTH, read without recursion. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > MAX_JSON_DEPTH) return index;
    } else if (char === '}' || char === ']') depth--;
  }
  return undefined;
}

/** Every key that appears twice in one object: JSON.parse keeps the last silently, so the first would be ignored. */
function duplicateKeys(tree: Node): Node[] {
  const duplicates: Node[] = [];
  const pending: Node[] = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (key && seen.has(String(key.value))) duplicates.push(key);
        if (key) seen.add(String(key.value));
      }
    }
    pending.push(...(node.children ?? []));
  }
  return duplicates.sort((a, b) => a.offset - b.offset);
}

/** What is wrong with a JSON text, first: where and what; null when it is strict JSON with no key twice. */
type JsonProblem = { offset: number; message: string; fix: string } | null;
const JSON_PROBLEMS = jsonKind<JsonProblem>('json-problem', 1);

const parseStrict = (text: string, errors: ParseError[] = []) =>
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });

function jsonProblem(text: string): JsonProblem {
  const deep = tooDeepAt(text);
  if (deep !== undefined)
    return {
      offset: deep,
      message: `nested more than ${MAX_JSON_DEPTH} levels deep`,
      fix: 'a manifest is a few levels deep: check the brackets here',
    };
  const errors: ParseError[] = [];
  const tree = parseStrict(text, errors);
  const first = errors[0];
  if (first || !tree) {
    return {
      offset: first?.offset ?? 0,
      message: first ? `invalid JSON: ${printParseErrorCode(first.error)}` : 'the file is empty',
      fix: 'fix the JSON syntax at this position (strict JSON: no comments, no trailing commas)',
    };
  }
  const duplicate = duplicateKeys(tree)[0];
  if (duplicate) {
    return {
      offset: duplicate.offset,
      message: `the key "${String(duplicate.value)}" appears twice in one object: JSON keeps only the last, so the first is silently ignored`,
      fix: 'keep one of the two',
    };
  }
  return null;
}

/** Reads and parses strict JSON, with syntax errors that name the file, line and column. */
export function readJsonSource(file: string, unit?: string, unitDir?: string): JsonSource {
  const text = readUnitFile(file, { unit, unitDir });
  const at = lineIndex(text);
  // Remembered between CLI starts (remembered.ts): reading a manifest's syntax cold cost a compose ~8 ms.
  const problem = remembered(JSON_PROBLEMS, text, () => jsonProblem(text));
  if (problem) {
    throw new ImageLayersError({
      code: 'invalid-json',
      unit,
      location: { file, ...at(problem.offset) },
      message: problem.message,
      fix: problem.fix,
    });
  }
  // The syntax tree, for locate() alone: built when a field is first pointed at (most manifests never are).
  let tree: Node | undefined;
  // Children of an object by key, built once per object on first use: finding thousands of fields stays linear.
  const keyed = new Map<Node, Map<string, Node>>();
  const child = (node: Node, segment: string | number): Node | undefined => {
    if (node.type === 'array') return typeof segment === 'number' ? node.children?.[segment] : undefined;
    if (node.type !== 'object') return undefined;
    let byKey = keyed.get(node);
    if (!byKey) {
      byKey = new Map();
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) byKey.set(String(key.value), value);
      }
      keyed.set(node, byKey);
    }
    return byKey.get(String(segment));
  };
  return {
    file,
    text,
    value: JSON.parse(text),
    locate(path) {
      let node = (tree ??= parseStrict(text)!);
      for (const segment of path) {
        const next = child(node, segment);
        if (!next) break;
        node = next;
      }
      // Point at the property's key when there is one: that is where a reader looks.
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { file, ...at(target.offset) };
    },
  };
}
