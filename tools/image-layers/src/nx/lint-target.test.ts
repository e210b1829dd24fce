import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createNodes } from './plugin';
import { runScript, workspaceRoot } from '@image-layers/testing';
import { NPM_TEST_TARGETS } from '@image-layers/test-runner/run-all';

type Nodes = {
  projects?: Record<
    string,
    { targets?: Record<string, { command?: string; cache?: boolean; inputs?: unknown[] }> }
  >;
};

async function targetsOf(file: string) {
  const context = { workspaceRoot, nxJsonConfiguration: {}, configFiles: [file] } as unknown as Parameters<
    (typeof createNodes)[1]
  >[2];
  const results = (await createNodes[1]([file], {}, context)) as [string, Nodes][];
  return Object.values(results[0]![1].projects!)[0]!.targets!;
}

describe('the inferred lint target', () => {
  test('every layer gets a cached lint of its fragment and scripts, keyed on its definition and the .hadolint.yaml files', async () => {
    const lint = (await targetsOf('packages/git-auth/layer.json')).lint!;
    expect(lint).toMatchObject({
      command: 'node tools/image-layers/bin/image-layers.js lint {projectRoot}',
      cache: true,
    });
    expect(lint.inputs).toEqual(
      expect.arrayContaining([
        'definition',
        '{workspaceRoot}/.hadolint.y*ml',
        '{projectRoot}/.hadolint.y*ml',
        { runtime: 'shellcheck --version' },
      ]),
    );
    expect(lint.inputs).not.toContain('^definition');
  });
  test("every image gets a cached lint of its composition, keyed also on its layers' definitions", async () => {
    const lint = (await targetsOf('apps/claude-code-image/image.json')).lint!;
    expect(lint).toMatchObject({
      command: 'node tools/image-layers/bin/image-layers.js lint {projectRoot}',
      cache: true,
    });
    expect(lint.inputs).toEqual(expect.arrayContaining(['definition', '^definition']));
  });
});

describe("the machinery's own typecheck and lint targets (named as Nx names them)", () => {
  const targets = (
    JSON.parse(readFileSync(join(workspaceRoot, 'tools/image-layers/package.json'), 'utf8')) as {
      nx: { targets: Record<string, { command: string; cache: boolean }> };
    }
  ).nx.targets;
  /** The files Nx hashes for a target, as `nx show target inputs` resolves them. */
  const inputFiles = async (target: string) => {
    const run = await runScript(
      join(workspaceRoot, 'node_modules/.bin/nx'),
      ['show', 'target', 'inputs', `image-layers:${target}`, '--json'],
      { cwd: workspaceRoot, env: { NX_DAEMON: 'false', NX_TUI: 'false' }, timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as { files: string[] }).files;
  };

  test('typecheck is tsc alone and lint is ESLint alone, both cached', () => {
    expect(targets.typecheck).toMatchObject({ command: 'tsc -p tsconfig.json --noEmit', cache: true });
    expect(targets.lint).toMatchObject({ command: 'eslint tools packages apps', cache: true });
  });
  test('npm test runs both', () => {
    expect(NPM_TEST_TARGETS).toEqual(expect.arrayContaining(['typecheck', 'lint']));
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
