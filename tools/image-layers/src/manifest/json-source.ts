import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ImageLayersError, type SourceLocation } from '../errors';

/** A JSON file kept with its syntax tree, so any field can be pointed at by line and column. */
export interface JsonSource {
  file: string;
  text: string;
  value: unknown;
  /** The location of the value at `path` (or of its nearest existing parent). */
  locate(path: readonly (string | number)[]): SourceLocation;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Reads and parses strict JSON, with syntax errors that name the file, line and column. */
export function readJsonSource(file: string, unit?: string): JsonSource {
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first || !tree) {
    const at = lineAndColumn(text, first?.offset ?? 0);
    throw new ImageLayersError({
      code: 'invalid-json',
      unit,
      location: { file, ...at },
      message: first ? `invalid JSON: ${printParseErrorCode(first.error)}` : 'the file is empty',
      fix: 'fix the JSON syntax at this position (strict JSON: no comments, no trailing commas)',
    });
  }
  return {
    file,
    text,
    value: JSON.parse(text),
    locate(path) {
      let node: Node | undefined;
      for (let depth = path.length; depth >= 0 && !node; depth--) {
        node = findNodeAtLocation(tree, path.slice(0, depth) as (string | number)[]);
      }
      // Point at the property's key when there is one: that is where a reader looks.
      const target = node?.parent?.type === 'property' ? node.parent : node;
      return { file, ...lineAndColumn(text, target?.offset ?? 0) };
    },
  };
}
