import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeFixtureWorkspace, validWorkspaceFiles } from '@image-layers/testing/fixture-workspace';
import { runScript, workspaceRoot } from '@image-layers/testing';
import { copiedFileErrors } from './one-source';

let cleanup = () => {};
afterEach(() => cleanup());
const workspace = (overrides: Parameters<typeof makeFixtureWorkspace>[0]) => {
  const fixture = makeFixtureWorkspace(overrides);
  cleanup = fixture.cleanup;
  return fixture.root;
};
const hello = validWorkspaceFiles()['packages/tools/files/bin/hello']!;

describe('one source for each shared block: a file two units ship byte for byte is refused', () => {
  test('an image app holding a copy of a layer file: delete it and list the layer', () => {
    const root = workspace({ 'apps/img/files/hello': hello });
    const errors = copiedFileErrors(root);
    expect(errors.map((error) => error.format(root))).toEqual([
      'apps/img/files/hello: error copied-file [img] the same bytes as packages/tools/files/bin/hello (layer tools): a copy drifts from its original\n  fix: delete it and list "tools" in apps/img/image.json (the layer ships it)',
    ]);
  });
  test('two layers holding the same file, under any name', () => {
    const root = workspace({ 'packages/user/files/scripts/hi': hello });
    expect(copiedFileErrors(root).map((error) => [error.code, error.unit, error.location.file])).toEqual([
      ['copied-file', 'user', join(root, 'packages/user/files/scripts/hi')],
    ]);
  });
  test('a file with one byte changed is not a copy, nor are two empty files (package markers)', () => {
    const text = typeof hello === 'string' ? hello : hello.text;
    const root = workspace({
      'apps/img/files/hello': { text: `${text} `, mode: 0o755 },
      'apps/img/files/pkg/__init__.py': '',
      'packages/tools/files/pkg/__init__.py': '',
    });
    expect(copiedFileErrors(root)).toEqual([]);
  });
  test('`image-layers check` with no folder checks the workspace: exit 1 on a copy, 0 without', async () => {
    const cli = join(workspaceRoot, 'tools/image-layers/bin/image-layers.js');
    // The fixture layers' READMEs are generated first, as a user would, so that each layer's own check passes.
    const checked = async (root: string) => {
      expect((await runScript('node', [cli, 'docs'], { cwd: root })).exitCode).toBe(0);
      return runScript('node', [cli, 'check'], { cwd: root });
    };
    const failed = await checked(workspace({ 'apps/img/files/hello': hello }));
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('layer tools 1.0.0: ok');
    expect(failed.stderr).toContain('apps/img/files/hello: error copied-file [img]');
    const clean = await checked(workspace({}));
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain('workspace: no file is shipped by two units');
    expect(clean.exitCode).toBe(0);
  });
});
