import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

// Results a CLI start would compute again from the same text, kept on disk between starts: the CLI runs once per
// Nx task, on fragments and scripts that rarely change, and parsing them cold (dockerfile-utils' validator,
// tree-sitter's WASM bash grammar, zod) was most of a compose's or a lint's time.
//
// Safe by construction, not by care:
// - Only pure functions of one text are remembered (their code reads nothing else: no file, no clock, no env).
// - The code that computed a result is the CLI's bundle, and the folder of results lives inside that bundle's
//   folder (bin/cli-bundle.js), which is named after the bundle's inputs: any change of a source, of a package
//   they bundle, or of the external shell parser is another folder, never an old result.
// - An entry holds the whole input text, and is used only when that text is the input asked about, its check
//   matches its content, and it parses: a corrupt, truncated or foreign entry (a hash that collides) is a miss,
//   and the result is computed again and written over it.
// - A result is kept only when its stored form reads back as the very value computed (a value JSON cannot carry,
//   such as undefined or a class instance, is not kept): a hit returns what computing would.
// - Entries are written to a temporary file and renamed, so a reader never sees half of one; parallel Nx tasks
//   writing the same entry write the same content.
// Without a folder (tests, benches and tools that import the sources) nothing is remembered.

/** One kind of result: a name for its entries (bump `version` when the stored form changes) and that form. */
export interface ResultKind<T> {
  name: string;
  version: number;
  /** The result as JSON data; unpack(pack(x)) must equal x, or x is not kept. */
  pack(value: T): unknown;
  unpack(data: unknown): T;
}

/** A kind whose results are JSON data already. */
export const jsonKind = <T>(name: string, version: number): ResultKind<T> => ({
  name,
  version,
  pack: (value) => value,
  unpack: (data) => data as T,
});

let folder: string | undefined;
/** Stored forms read or written by this process, by kind and input: a result asked for twice is read once. */
const known = new Map<string, string>();

/** Where results are kept from now on (the CLI's bundle folder's results/); undefined keeps none. */
export function rememberResultsIn(dir: string | undefined): void {
  folder = dir;
  known.clear();
}

/** A 53-bit hash (cyrb53) as hex: names an entry and checks it; node:crypto cost a start ~4 ms to load. */
function hashOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

interface Entry {
  kind: string;
  input: string;
  /** The packed result, as JSON text. */
  result: string;
  check: string;
}

const entryName = (kind: string, input: string) => `${kind}-${hashOf(`${kind}\0${input}`)}.json`;
/**
 * An entry's check: of its result and its name, which is the hash of its kind and input. The input itself is not
 * hashed again (most of what a start hashed): an entry is used only when its input is the very text asked about.
 */
const checkOf = (name: string, result: string) => hashOf(`${name}\0${result}`);

/** The stored form of a kind's result for `input`, from this process's reads or from its entry; else undefined. */
function storedResult(kind: string, input: string): string | undefined {
  if (folder === undefined) return undefined;
  const memoryKey = `${kind}\0${input}`;
  const inMemory = known.get(memoryKey);
  if (inMemory !== undefined) return inMemory;
  const name = entryName(kind, input);
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Partial<Entry>;
  } catch {
    return undefined;
  }
  if (
    entry?.kind !== kind ||
    entry.input !== input ||
    typeof entry.result !== 'string' ||
    entry.check !== checkOf(name, entry.result)
  )
    return undefined;
  known.set(memoryKey, entry.result);
  return entry.result;
}

function store(kind: string, input: string, result: string): void {
  if (folder === undefined) return;
  known.set(`${kind}\0${input}`, result);
  const name = entryName(kind, input);
  const file = join(folder, name);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(folder, { recursive: true });
    const entry: Entry = { kind, input, result, check: checkOf(name, result) };
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, file);
  } catch {
    // A read-only checkout or a full disk: the next start computes it again, as this one did.
    rmSync(temp, { force: true });
  }
}

const kindKey = (kind: ResultKind<unknown>) => `${kind.name}.${kind.version}`;

/** Whether `input`'s result of `kind` is remembered (and now read): asking for it then computes nothing. */
export function isRemembered<T>(kind: ResultKind<T>, input: string): boolean {
  const stored = storedResult(kindKey(kind), input);
  if (stored === undefined) return false;
  try {
    JSON.parse(stored);
    return true;
  } catch {
    return false;
  }
}

/** `compute()`'s result for `input`: the one remembered, else computed now (and remembered when it can be). */
export function remembered<T>(kind: ResultKind<T>, input: string, compute: () => T): T {
  const key = kindKey(kind);
  const stored = storedResult(key, input);
  if (stored !== undefined) {
    try {
      return kind.unpack(JSON.parse(stored));
    } catch {
      // Not what this kind stores (a check can collide too): computed again below.
    }
  }
  const value = compute();
  const packed = JSON.stringify(kind.pack(value));
  if (packed !== undefined && isDeepStrictEqual(kind.unpack(JSON.parse(packed)), value))
    store(key, input, packed);
  return value;
}
