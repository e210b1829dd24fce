import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { filesUnder, walk } from './walk';
import { makeTempDir } from './workspace';

let root: string;
let outside: string;
let cleanup: () => void;

const write = (path: string, text = 'x') => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeEach(() => {
  const temp = makeTempDir('image-layers-walk-');
  cleanup = temp.cleanup;
  root = join(temp.path, 'root');
  outside = join(temp.path, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 's');
  write('b.txt');
  write('a/z.txt');
  write('a/y/x.txt');
  write('a.txt');
  write('node_modules/dep/index.test.ts');
});
afterEach(() => cleanup());

const listed = (entries: { path: string; kind: string }[]) => entries.map((e) => `${e.kind} ${e.path}`);

describe('the one file walker', () => {
  test('depth-first, each folder sorted; folders themselves are not entries', () => {
    expect(listed(walk(root))).toEqual([
      'file a/y/x.txt',
      'file a/z.txt',
      'file a.txt',
      'file b.txt',
      'file node_modules/dep/index.test.ts',
    ]);
  });

  test("links: 'never' (the default) lists a link and does not follow it, in or out of the root", () => {
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(root, 'a'), join(root, 'loop'));
    expect(listed(walk(root)).filter((line) => line.startsWith('link'))).toEqual(['link loop', 'link out']);
    expect(filesUnder(root).some((file) => file.includes('secret'))).toBe(false);
  });

  test("links: 'inside' follows links that stay in the root (once), and refuses the others", () => {
    symlinkSync(outside, join(root, 'a', 'out'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    symlinkSync(root, join(root, 'a', 'up'));
    symlinkSync(join(root, 'b.txt'), join(root, 'c.txt'));
    const entries = walk(root, { links: 'inside' });
    expect(listed(entries)).toEqual([
      'link-outside a/out',
      'file a/y/x.txt',
      'file a/z.txt',
      'file a.txt',
      'file b.txt',
      'file c.txt',
      'dangling-link dangling',
      'file node_modules/dep/index.test.ts',
    ]);
    expect(entries[0]!.target).toBe(outside);
  });

  test('from starts under the root; a missing start is one missing entry', () => {
    expect(listed(walk(root, { from: 'a' }))).toEqual(['file a/y/x.txt', 'file a/z.txt']);
    expect(listed(walk(root, { from: 'a.txt', links: 'inside' }))).toEqual(['file a.txt']);
    expect(listed(walk(root, { from: 'gone' }))).toEqual(['missing gone']);
    expect(listed(walk(join(root, 'gone'), { links: 'inside' }))).toEqual(['missing ']);
  });

  test('the filter prunes folders and leaves out entries; filesUnder keeps names and skips folders', () => {
    expect(listed(walk(root, { filter: (path, kind) => kind !== 'folder' || path !== 'a' }))).toEqual([
      'file a.txt',
      'file b.txt',
      'file node_modules/dep/index.test.ts',
    ]);
    expect(filesUnder(root, (name) => name.endsWith('.ts'))).toEqual([
      join(root, 'node_modules/dep/index.test.ts'),
    ]);
    expect(filesUnder(root, (name) => name.endsWith('.ts'), ['node_modules'])).toEqual([]);
    expect(filesUnder(join(root, 'gone'))).toEqual([]);
  });
});
