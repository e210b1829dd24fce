import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { workspaceRoot } from '@image-layers/support/workspace';

// The machinery's direction, checked on its imports: manifest and support at the bottom, then compose, then
// docs / lint / image-test, then the CLI and Nx plugin; nothing upward, and no production file imports the
// dev-only test helpers. (Nx's module-boundary lint rule would say the same; @nx/eslint-plugin has no release
// matching this workspace's Nx 23.3.1 yet, so the rule is this test until it has.)

const LEVEL: Record<string, number> = {
  manifest: 0,
  support: 0,
  'test-runner': 1,
  compose: 1,
  docs: 2,
  lint: 2,
  'image-test': 2,
};
const isTestFile = (file: string) => /\.test\.ts$|test-kit\.ts$/.test(file);

function machineryImports(): { file: string; from: string; to: string }[] {
  const found: { file: string; from: string; to: string }[] = [];
  for (const project of [...Object.keys(LEVEL), 'testing', 'image-layers']) {
    const src = join(workspaceRoot, 'tools', project, 'src');
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      for (const match of readFileSync(file, 'utf8').matchAll(/from '@image-layers\/([a-z-]+)[^']*'/g))
        if (match[1] !== project)
          found.push({ file: relative(workspaceRoot, file), from: project, to: match[1]! });
    }
  }
  return found;
}

describe('the machinery projects import downward only', () => {
  const imports = machineryImports();

  test('there are cross-project imports to check (the scan found the projects)', () => {
    expect(imports.length).toBeGreaterThan(20);
  });

  test('no production file imports a project at its own level or above, nor the test helpers', () => {
    const upward = imports.filter(({ file, from, to }) => {
      if (isTestFile(file)) return false;
      if (to === 'testing') return true;
      if (from === 'testing' || from === 'image-layers') return false;
      return (LEVEL[to] ?? Infinity) >= LEVEL[from]!;
    });
    expect(upward.map(({ file, to }) => `${file} imports @image-layers/${to}`)).toEqual([]);
  });

  test('the test helpers import only the bottom level (a helper importing compose would make a cycle)', () => {
    const helperImports = imports.filter(({ from, file }) => from === 'testing' && !isTestFile(file));
    expect(
      helperImports.filter(({ to }) => LEVEL[to] !== 0).map(({ file, to }) => `${file} -> ${to}`),
    ).toEqual([]);
  });
});
