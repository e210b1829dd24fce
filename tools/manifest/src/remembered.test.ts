import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRemembered, jsonKind, rememberResultsIn, remembered } from './remembered';

// A remembered result must always be the one computing would give: these poison, swap and truncate entries and
// show that a result follows its input, never what a file in the results folder says.

const LENGTHS = jsonKind<{ length: number }>('test-lengths', 1);
const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.json'));

describe('remembered results', () => {
  let temp: { path: string; cleanup(): void };
  let computed: string[];
  const length = (input: string) =>
    remembered(LENGTHS, input, () => {
      computed.push(input);
      return { length: input.length };
    });
  /** A new process, as far as the results are concerned: what this one read is forgotten. */
  const restart = () => rememberResultsIn(temp.path);

  beforeEach(() => {
    const path = mkdtempSync(join(tmpdir(), 'image-layers-remembered-'));
    temp = { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
    computed = [];
    restart();
  });
  afterEach(() => {
    rememberResultsIn(undefined);
    temp.cleanup();
  });

  it('computes once per input across starts, and anew for another input', () => {
    expect(length('abc')).toEqual({ length: 3 });
    restart();
    expect(length('abc')).toEqual({ length: 3 });
    expect(length('abcd')).toEqual({ length: 4 });
    expect(computed).toEqual(['abc', 'abcd']);
    expect(isRemembered(LENGTHS, 'abc')).toBe(true);
    expect(isRemembered(LENGTHS, 'other')).toBe(false);
  });

  it('keeps nothing without a folder', () => {
    rememberResultsIn(undefined);
    length('abc');
    length('abc');
    expect(computed).toEqual(['abc', 'abc']);
  });

  it('ignores a poisoned entry (a result that is not what the input gives): computed again', () => {
    length('abc');
    const [name] = entries(temp.path);
    const file = join(temp.path, name!);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...entry, result: JSON.stringify({ length: 99 }) }));
    restart();
    expect(length('abc')).toEqual({ length: 3 });
    expect(computed).toEqual(['abc', 'abc']);
    // And the entry is right again.
    restart();
    expect(length('abc')).toEqual({ length: 3 });
    expect(computed).toHaveLength(2);
  });

  it("ignores a foreign entry (another input's, under this input's name) and a truncated or empty one", () => {
    length('abc');
    length('xyz!');
    const [first, second] = entries(temp.path).map((name) => join(temp.path, name));
    const abc = readFileSync(first!, 'utf8').includes('"abc"') ? first! : second!;
    const xyz = abc === first ? second! : first!;
    writeFileSync(abc, readFileSync(xyz));
    restart();
    expect(length('abc')).toEqual({ length: 3 });
    for (const broken of ['{"kind":', '', 'null', '[]']) {
      writeFileSync(abc, broken);
      restart();
      expect(length('abc')).toEqual({ length: 3 });
    }
    expect(computed.filter((input) => input === 'abc')).toHaveLength(6);
  });

  it('keeps only results that read back as computed', () => {
    const ODD = jsonKind<{ value?: number; when?: Date }>('test-odd', 1);
    remembered(ODD, 'a', () => ({ value: undefined }));
    remembered(ODD, 'b', () => ({ when: new Date(0) }));
    expect(entries(temp.path)).toEqual([]);
  });
});
