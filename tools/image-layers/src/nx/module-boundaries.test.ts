import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { ALLOWED, plugin, readProjects, testPathPatterns } from './module-boundaries';

// The module-boundary rule, run by ESLint: on imports planted in memory at real paths of the workspace (nothing is
// written into the checkout, at paths of a fixture workspace), on the machinery's own projects and a fixture workspace's layers, and through the
// workspace's own eslint.config.mjs.

/** ESLint with only the boundary rule, rooted at `root`. */
const boundariesOnly = (root: string) =>
  new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ['**/node_modules/**', '**/files/**'] },
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      {
        // The workspace's eslint-disable comments name typescript-eslint's rules, which are off here.
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        plugins: { 'image-layers': plugin, '@typescript-eslint': tseslint.plugin },
        rules: { 'image-layers/module-boundaries': ['error', { workspaceRoot: root }] },
      },
    ],
  });
/**
 * Where imports are planted: a fixture workspace (layers base, user, tools; image img) with the machinery's real
 * package.json files (their tags) and nx.json, so that no test here reads the real layers or images.
 */
const planted = makeFixtureWorkspace();
afterAll(planted.cleanup);
for (const name of readdirSync(join(workspaceRoot, 'tools'))) {
  const manifest = join(workspaceRoot, 'tools', name, 'package.json');
  if (existsSync(manifest)) planted.write(`tools/${name}/package.json`, readFileSync(manifest, 'utf8'));
}
planted.write('nx.json', readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
const eslint = boundariesOnly(planted.root);

/** The boundary messages for `code` as if it were the file at `path` (relative to `root`). */
async function messagesFor(path: string, code: string, linter = eslint, root = planted.root) {
  const [result] = await linter.lintText(code, { filePath: join(root, path) });
  expect(result!.messages.filter((message) => message.ruleId !== 'image-layers/module-boundaries')).toEqual(
    [],
  );
  return result!.messages.map((message) => message.message);
}

describe('an import against the direction is an error naming the file, the project, both tags and what to do', () => {
  test.each([
    [
      'compose importing a feature',
      'tools/compose/src/compose.ts',
      "import { runImageTest } from '@image-layers/image-test/test-image';",
      'tools/compose/src/compose.ts (layer:compose) imports @image-layers/image-test (layer:feature), which layer:compose may not import: layer:compose may import only layer:manifest, layer:support.',
    ],
    [
      'a relative import escaping the project',
      'tools/compose/src/compose.ts',
      "export { lintTargets } from '../../lint/src/targets';",
      'tools/compose/src/compose.ts (layer:compose) imports @image-layers/lint (layer:feature)',
    ],
    [
      'the model importing the composer, by a type',
      'tools/manifest/src/load.ts',
      "import type { Composition } from '@image-layers/compose/compose';",
      'tools/manifest/src/load.ts (layer:manifest) imports @image-layers/compose (layer:compose), which layer:manifest may not import: layer:manifest may import no other project.',
    ],
    [
      'the support importing the model, by an import type',
      'tools/support/src/processes.ts',
      "export type Unit = import('@image-layers/manifest/load').LoadedUnit;",
      'tools/support/src/processes.ts (layer:support) imports @image-layers/manifest (layer:manifest)',
    ],
    [
      'one feature importing a sibling',
      'tools/lint/src/targets.ts',
      "const docs = import('@image-layers/docs/layer-readme');",
      'tools/lint/src/targets.ts (layer:feature) imports @image-layers/docs (layer:feature)',
    ],
    [
      'a feature importing the CLI, by require',
      'tools/image-test/bin/x.js',
      "const { main } = require('image-layers');",
      'tools/image-test/bin/x.js (layer:feature) imports image-layers (layer:entry)',
    ],
    [
      'a test importing upward (an upward edge of the project graph all the same)',
      'tools/compose/src/compose.test.ts',
      "import { lintUnits } from '@image-layers/lint/units';",
      'tools/compose/src/compose.test.ts (layer:compose) imports @image-layers/lint (layer:feature), which layer:compose may not import: layer:compose may import only layer:manifest, layer:support, type:test.',
    ],
    [
      'the test helpers importing the composer (a cycle with its tests)',
      'tools/testing/src/fixture-workspace.ts',
      "import { compose } from '@image-layers/compose/compose';",
      'tools/testing/src/fixture-workspace.ts (type:test) imports @image-layers/compose (layer:compose)',
    ],
    [
      "a layer's test importing the CLI or the Nx plugin (the machinery's top)",
      'packages/tools/test/tools.test.ts',
      "import { createNodes } from 'image-layers/src/nx/plugin';",
      'packages/tools/test/tools.test.ts (type:image-layer) imports image-layers (layer:entry)',
    ],
  ])('%s', async (_what, path, code, message) => {
    const [found, ...more] = await messagesFor(path, code);
    expect(more).toEqual([]);
    expect(found).toContain(message);
    expect(found).toContain('move what both need down into a project');
  });
});

describe('production code imports no test helpers', () => {
  test('a production file importing @image-layers/testing is an error saying only test files may', async () => {
    const [found, ...more] = await messagesFor(
      'tools/support/src/processes.ts',
      "import { makeTempDir } from '@image-layers/testing';",
    );
    expect(more).toEqual([]);
    expect(found).toContain(
      'tools/support/src/processes.ts is production code (layer:support) and imports @image-layers/testing (type:test), the dev-only test helpers: only test files may',
    );
  });
  test("a production file importing a test kit, its own project's or another's, is an error", async () => {
    expect(await messagesFor('tools/lint/src/cli.ts', "import { lintCliIn } from './cli.test-kit';")).toEqual(
      [
        expect.stringContaining(
          'tools/lint/src/cli.ts is production code and imports ./cli.test-kit, a test kit',
        ),
      ],
    );
    expect(
      await messagesFor(
        'tools/image-layers/src/cli/main.ts',
        "import { composeBroken } from '@image-layers/compose/compose-broken.test-kit';",
      ),
    ).toEqual([expect.stringContaining('a test kit')]);
  });
  test("test files (outside nx.json's production input) may import the test helpers and what their project may", async () => {
    const allowed = [
      ['tools/compose/src/compose.test.ts', "import { makeTempDir } from '@image-layers/testing';"],
      ['tools/lint/src/rules/rule-test-kit.ts', "import { compose } from '@image-layers/compose/compose';"],
      ['packages/tools/test/server-fixture.ts', "import { runScript } from '@image-layers/testing';"],
      [
        'tools/image-layers/bench/compose.bench.ts',
        "import { fixture } from '@image-layers/testing/fixture-workspace';",
      ],
      ['apps/img/test/seed.test.ts', "import { compose } from '@image-layers/compose/compose';"],
      ['tools/image-layers/src/cli/main.ts', "import { lintCli } from '@image-layers/lint/cli';"],
    ];
    for (const [path, code] of allowed) expect(await messagesFor(path!, code!), path).toEqual([]);
  });
});

describe('the real workspace', () => {
  // That the workspace keeps the direction is the code-checks project's lint target (eslint tools packages apps),
  // whose inputs are the whole workspace's sources; a test here would replay a stale green when a layer changed.
  test('every machinery project (tools/*) has a tag with a row in the table', () => {
    const projects = readProjects(workspaceRoot).filter((project) => project.root.startsWith('tools/'));
    expect(projects.map((project) => project.root)).toEqual(
      expect.arrayContaining(['tools/manifest', 'tools/compose', 'tools/testing', 'tools/image-layers']),
    );
    expect(projects.filter((project) => !project.tags.some((tag) => tag in ALLOWED))).toEqual([]);
  });
  test('layers and images are tagged from their manifests (read on a fixture workspace, not the real layers)', () => {
    const fixture = makeFixtureWorkspace();
    try {
      const tagged = readProjects(fixture.root).map((project): [string, string[]] => [
        project.root,
        project.tags,
      ]);
      expect(tagged).toEqual(
        expect.arrayContaining([
          ['packages/base', ['type:image-layer']],
          ['packages/tools', ['type:image-layer']],
          ['apps/img', ['type:image']],
        ]),
      );
      for (const [, tags] of tagged) expect(tags.every((tag) => tag in ALLOWED)).toBe(true);
    } finally {
      fixture.cleanup();
    }
  });
  test("test files are what nx.json's production input leaves out", () => {
    const patterns = testPathPatterns(workspaceRoot);
    const isTest = (path: string) => patterns.some((pattern) => pattern.test(path));
    for (const path of [
      'src/a.test.ts',
      'src/rules/rule-test-kit.ts',
      'src/cli.test-kit.ts',
      'test/root.ts',
      'bench/x.ts',
    ])
      expect(isTest(path), path).toBe(true);
    for (const path of ['src/compose.ts', 'src/test/x.ts', 'bin/image-layers.js', 'src/contest.ts'])
      expect(isTest(path), path).toBe(false);
  });
  test("eslint.config.mjs runs the rule: `eslint` fails on a back-edge planted in compose's source", async () => {
    const planted =
      "import { runImageTest } from '@image-layers/image-test/test-image';\nexport { runImageTest };\n";
    const run = await runScript(
      join(workspaceRoot, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', 'tools/compose/src/compose.ts'],
      { cwd: workspaceRoot, input: planted, timeoutMs: 120_000 },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'tools/compose/src/compose.ts (layer:compose) imports @image-layers/image-test (layer:feature)',
    );
    expect(run.stdout).toContain('image-layers/module-boundaries');
  });
});

describe('in a workspace of its own', () => {
  const temp = makeTempDir('image-layers-boundaries-');
  afterAll(temp.cleanup);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(temp.path, path)), { recursive: true });
    writeFileSync(join(temp.path, path), text);
  };
  write(
    'nx.json',
    JSON.stringify({ namedInputs: { production: ['default', '!{projectRoot}/**/*.spec.ts'] } }),
  );
  write('tools/a/package.json', JSON.stringify({ name: '@w/a' }));
  write('tools/b/package.json', JSON.stringify({ name: '@w/b', nx: { tags: ['layer:compose'] } }));
  write('tools/t/package.json', JSON.stringify({ name: '@w/t', nx: { tags: ['type:test'] } }));

  test('a project without a known tag is told to get one', async () => {
    const messages = await messagesFor(
      'tools/a/src/x.ts',
      "import '@w/b/y';",
      boundariesOnly(temp.path),
      temp.path,
    );
    expect(messages).toEqual([
      expect.stringContaining(
        'tools/a/src/x.ts belongs to @w/a, whose tags (no tags) have no row in the dependency table: give it one of layer:manifest',
      ),
    ]);
  });
  test('its nx.json says which files are tests', async () => {
    const linter = boundariesOnly(temp.path);
    expect(await messagesFor('tools/b/src/x.spec.ts', "import '@w/t';", linter, temp.path)).toEqual([]);
    expect(await messagesFor('tools/b/src/x.test.ts', "import '@w/t';", linter, temp.path)).toEqual([
      expect.stringContaining('is production code (layer:compose) and imports @w/t (type:test)'),
    ]);
  });
});
