import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runScript, workspaceRoot } from '@image-layers/testing';
import { NPM_TEST_TARGETS } from '@image-layers/test-runner/npm-test';

// The workspace-wide checks live in this project, which no project depends on: their inputs span every project,
// and on a project others depend on (the CLI's), every layer change would make every layer and image affected.

describe("the machinery's own typecheck, lint, docs and check targets (named as Nx names them)", () => {
  const targets = (
    JSON.parse(readFileSync(join(workspaceRoot, 'tools/code-checks/package.json'), 'utf8')) as {
      nx: { targets: Record<string, { command: string; cache: boolean }> };
    }
  ).nx.targets;
  /** The files Nx hashes for a target, as `nx show target inputs` resolves them. */
  const inputFiles = async (target: string) => {
    const run = await runScript(
      join(workspaceRoot, 'node_modules/.bin/nx'),
      ['show', 'target', 'inputs', `@image-layers/code-checks:${target}`, '--json'],
      { cwd: workspaceRoot, env: { NX_DAEMON: 'false', NX_TUI: 'false' }, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as { files: string[] }).files;
  };

  test('typecheck is tsc alone and lint is ESLint alone, both cached', () => {
    expect(targets.typecheck).toMatchObject({ command: 'tsc -p tsconfig.json --noEmit', cache: true });
    expect(targets.lint).toMatchObject({ command: 'eslint tools packages apps', cache: true });
  });
  test('npm test runs all four', () => {
    expect(NPM_TEST_TARGETS).toEqual(expect.arrayContaining(['typecheck', 'lint', 'docs', 'check']));
  });
  test('check is the workspace check (every layer, no file shipped twice), on the same inputs as docs', () => {
    expect(targets.check).toMatchObject({
      command: 'node tools/image-layers/bin/image-layers.js check',
      cache: true,
    });
    expect((targets.check as unknown as { inputs: string[] }).inputs).toEqual(
      (targets.docs as unknown as { inputs: string[] }).inputs,
    );
  });
  test('docs is the drift check of every generated document, re-run on any manifest, fragment, layer file or README', async () => {
    expect(targets.docs).toMatchObject({
      command: 'node tools/image-layers/bin/image-layers.js docs --check',
      cache: true,
    });
    const files = await inputFiles('docs');
    expect(files).toEqual(
      expect.arrayContaining([
        'apps/README.md',
        'apps/claude-code-image/image.json',
        'packages/git-auth/layer.json',
        'packages/git-auth/layer.Dockerfile',
        'packages/git-auth/files/scripts/molecule-askpass',
        'packages/git-auth/README.md',
        'tools/lint/docs/rules.md',
        'tools/docs/src/images-matrix.ts',
      ]),
    );
    expect(files.filter((file) => /\/test\/|\.test\.ts$/.test(file))).toEqual([]);
  });
  test('typecheck re-runs on any TypeScript file and tsconfig', async () => {
    expect(await inputFiles('typecheck')).toEqual(
      expect.arrayContaining([
        'tsconfig.json',
        'tsconfig.base.json',
        'vitest.config.mts',
        'tools/compose/src/compose.ts',
        'packages/git-auth/test/askpass.test.ts',
      ]),
    );
  });
  test('lint re-runs on its config, the boundary rule, and what the rule reads (tags, nx.json, units)', async () => {
    expect(await inputFiles('lint')).toEqual(
      expect.arrayContaining([
        'eslint.config.mjs',
        'tools/image-layers/src/nx/module-boundaries.ts',
        'tools/image-layers/bin/register-typescript.js',
        'nx.json',
        'tools/compose/package.json',
        'packages/git-auth/layer.json',
        'apps/claude-code-image/image.json',
        'tools/compose/src/compose.ts',
      ]),
    );
  });
});
