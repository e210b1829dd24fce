import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { copyWorkspace } from '@image-layers/testing/workspace-copy';
import { runScript, workspaceRoot } from '@image-layers/testing';

// The Nx cache replays a green only when nothing the task reads has changed. Proven here on a fixture workspace:
// this repository's machinery (tools/, the root configuration, the plugin) with the fixture layers base, user and
// tools and the image img, through the real `nx` and a real cache folder. The edits are the ones that replayed a
// stale green before the machinery was split into projects (issue 9), and one file of each machinery project.
// Builds run for real (they are cheap). The test and image-test targets need vitest or an engine to run, so for
// them Nx is asked what it hashes (`nx show target inputs`), which is what decides whether it replays.

const fixture = makeFixtureWorkspace();
const root = fixture.root;
afterAll(fixture.cleanup);

const nx = (...args: string[]) =>
  runScript(join(root, 'node_modules/.bin/nx'), args, {
    cwd: root,
    env: { NX_DAEMON: 'false', NX_TUI: 'false', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    timeoutMs: 180_000,
  });

/** The projects whose build ran in one `nx run-many -t build`; the others were replayed from the cache. */
async function buildsThatRan(): Promise<string[]> {
  const result = await nx('run-many', '-t', 'build', '--outputStyle=static', '--parallel=2');
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  const lines = [...result.stdout.matchAll(/^> nx run (\S+):build(.*)$/gm)];
  expect(lines.length).toBeGreaterThan(0);
  return lines
    .filter((line) => !/cache/.test(line[2]!))
    .map((line) => line[1]!)
    .sort();
}

/** The files Nx hashes for `target`. */
async function inputsOf(target: string): Promise<Set<string>> {
  const result = await nx('show', 'target', 'inputs', target, '--json');
  expect(result.exitCode, `${target}: ${result.stdout}${result.stderr}`).toBe(0);
  return new Set((JSON.parse(result.stdout) as { files: string[] }).files);
}

const edit = (file: string, comment = '// an edit by the cache-replay test') =>
  appendFileSync(join(root, file), `\n${comment}\n`);

/** The machinery projects: tools/<dir> with its package name. */
const machinery = readdirSync(join(workspaceRoot, 'tools'))
  .filter((dir) => existsSync(join(workspaceRoot, 'tools', dir, 'package.json')))
  .map((dir) => ({
    dir,
    name: (
      JSON.parse(readFileSync(join(workspaceRoot, 'tools', dir, 'package.json'), 'utf8')) as { name: string }
    ).name,
  }));
const projectOfPackage = new Map(machinery.map((project) => [project.name, project.dir]));

/**
 * Every workspace file `entry` (relative to the root) loads, transitively: its imports, require()s and import()s
 * of relative paths and of the workspace packages (`@image-layers/<x>/<y>` is tools/<x>/src/<y>.ts, as the
 * packages' "exports" say); node: built-ins and npm packages end the walk.
 */
function importClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const resolveFile = (base: string) =>
    [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find(
      (candidate) => existsSync(join(root, candidate)) && !candidate.endsWith('/'),
    );
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const { fileName: spec } of importedFiles) {
      let target: string | undefined;
      if (spec.startsWith('.')) target = resolveFile(normalize(join(dirname(file), spec)));
      else {
        const [scope, name, ...rest] = spec.split('/');
        const pkg = scope === 'image-layers' ? 'image-layers' : `${scope}/${name}`;
        const dir = projectOfPackage.get(pkg);
        if (dir === undefined) continue;
        const sub = scope === 'image-layers' ? [name, ...rest].filter(Boolean) : rest;
        target = resolveFile(join('tools', dir, 'src', sub.length ? sub.join('/') : 'index'));
      }
      if (target && existsSync(join(root, target)) && !readdirSafe(join(root, target))) visit(target);
    }
  };
  for (const entry of entries) visit(entry);
  return seen;
}
const readdirSafe = (path: string) => {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
};

const LAYERS = ['base', 'tools', 'user'];
const UNITS = [...LAYERS, 'img'].sort();
const CLI_ENTRY = 'tools/image-layers/bin/image-layers.js';
/** What the CLI loads: the bin, the bundle it runs, and the bundle's entry, with all they import. */
const CLI_FILES = [CLI_ENTRY, 'tools/image-layers/bin/cli-bundle.js', 'tools/image-layers/src/cli/start.ts'];
/** The project of the workspace-wide checks (tools/code-checks), whose tests read every layer and image. */
const WORKSPACE_CHECKS = '@image-layers/code-checks';

beforeAll(async () => {
  copyWorkspace(root, (file) => !/^(packages|apps)\//.test(file));
  // The fixture layers' READMEs are checked by their build: generate them as a user would.
  const docs = await runScript('node', [join(root, CLI_ENTRY), 'docs'], { cwd: root });
  expect(docs.exitCode, docs.stderr).toBe(0);
  // What the tools layer leaves in an image, so its image test gets as far as resolving its chain.
  mkdirSync(join(root, 'packages/tools/test'));
  writeFileSync(
    join(root, 'packages/tools/test/image-test.json'),
    JSON.stringify({ files: [{ path: '/usr/local/bin/hello', mode: '0755' }] }),
  );
  // Test support another layer's tests import (as adapter-core's runtime doubles are): user's, read by tools.
  mkdirSync(join(root, 'packages/user/test/support'), { recursive: true });
  writeFileSync(join(root, 'packages/user/test/support/kit.py'), '# a test kit of the user layer\n');
  // A stand-in an image test mounts from another layer's test/image-test/ (as the entrypoint's runtime stand-in is).
  mkdirSync(join(root, 'packages/user/test/image-test'), { recursive: true });
  writeFileSync(join(root, 'packages/user/test/image-test/runtime'), '#!/bin/sh\n', { mode: 0o755 });
  execFileSync('git', ['init', '-q'], { cwd: root });
  expect(await buildsThatRan()).toEqual(UNITS);
}, 240_000);

describe('the Nx cache replays a build only when nothing it reads changed', () => {
  test('nothing changed: every build is replayed', async () => {
    expect(await buildsThatRan()).toEqual([]);
  });

  test("a layer's test file is read by no build; its fragment by its own, the layers built on it and the image", async () => {
    mkdirSync(join(root, 'packages/user/test'), { recursive: true });
    writeFileSync(join(root, 'packages/user/test/user.test.ts'), '// a test of the user layer\n');
    expect(await buildsThatRan()).toEqual([]);
    edit('packages/user/layer.Dockerfile', '# an edit by the cache-replay test');
    expect(await buildsThatRan()).toEqual(['img', 'tools', 'user']);
  });

  test('a comment in the linter (lint/src/run-script.ts) re-runs every build, since each runs the CLI that loads it', async () => {
    edit('tools/lint/src/run-script.ts');
    expect(await buildsThatRan()).toEqual(UNITS);
  });

  test("an edit to the CLI's source re-runs every build, and the runs use it: the CLI's bundle is never stale", async () => {
    // The bin runs a bundle under tools/image-layers/dist/ (gitignored, so Nx hashes the source, never it): a
    // replayed green is ruled out by the hash, a stale bundle by the bin, which rebuilds it when a source changed.
    const file = join(root, 'tools/image-layers/src/cli/commands/compose.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('`composed ${', '`composed (edited) ${'));
    const result = await nx('run-many', '-t', 'build', '--outputStyle=static', '--parallel=2');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/local cache|remote cache/);
    expect(result.stdout).toContain('composed (edited) img: 3 layers');
  });
});

describe('what each test and image-test target hashes, as Nx resolves it', () => {
  const unitTargets = UNITS.flatMap((unit) =>
    ['build', 'lint', 'test', 'image-test'].map((t) => `${unit}:${t}`),
  );
  const machineryTests = () => machinery.filter(({ dir }) => hasTests(dir)).map(({ name }) => `${name}:test`);
  const hasTests = (dir: string) =>
    readdirSync(join(workspaceRoot, 'tools', dir, 'src'), { recursive: true }).some((f) =>
      String(f).endsWith('.test.ts'),
    );
  let inputs: Map<string, Set<string>>;
  beforeAll(async () => {
    inputs = new Map();
    for (const target of [...unitTargets, ...machineryTests()]) inputs.set(target, await inputsOf(target));
  }, 240_000);

  test('every target that runs the CLI hashes every file the CLI loads', () => {
    const closure = [...importClosure(CLI_FILES)];
    expect(closure.length).toBeGreaterThan(50);
    for (const target of unitTargets)
      expect(
        closure.filter((file) => !inputs.get(target)!.has(file)),
        `${target} does not hash these files the CLI loads`,
      ).toEqual([]);
  });

  test("every machinery project's test target hashes every file its tests load, and its own test files", () => {
    for (const { dir, name } of machinery.filter((project) => hasTests(project.dir))) {
      const own = execFileSync('git', ['ls-files', `tools/${dir}`], { cwd: workspaceRoot, encoding: 'utf8' })
        .split('\n')
        .filter((file) => file.endsWith('.ts'));
      const missing = [...importClosure(own)].filter((file) => !inputs.get(`${name}:test`)!.has(file));
      expect(missing, `${name}:test does not hash these files its tests load`).toEqual([]);
    }
  });

  test("a machinery project's test target hashes no other project's tests and no layer or image", () => {
    for (const target of machineryTests()) {
      const [project] = target.split(':test');
      const dir = machinery.find(({ name }) => name === project)!.dir;
      // code-checks' tests read every layer and image (the workspace's graph, on purpose): only they may hash them.
      const readsUnits = project === WORKSPACE_CHECKS;
      const foreign = [...inputs.get(target)!].filter(
        (file) =>
          (!readsUnits && /^(packages|apps)\//.test(file)) ||
          (/\.test\.ts$|test-kit\.ts$/.test(file) && !file.startsWith(`tools/${dir}/`)),
      );
      expect(foreign, `${target} hashes files it does not read`).toEqual([]);
    }
  });

  test("a layer's image-test stand-ins (test/image-test/) are hashed by the image tests of what is built on it", () => {
    for (const target of ['user:image-test', 'tools:image-test', 'img:image-test'])
      expect(inputs.get(target)!.has('packages/user/test/image-test/runtime'), target).toBe(true);
    expect(inputs.get('base:image-test')!.has('packages/user/test/image-test/runtime')).toBe(false);
  });

  test('replay 1: a comment in lint/src/run-script.ts is hashed by every image test (the harness runs through the CLI)', () => {
    for (const unit of UNITS)
      expect(inputs.get(`${unit}:image-test`)!.has('tools/lint/src/run-script.ts')).toBe(true);
  });

  test("replay 4: a layer's test reads the fragments of the layers it is built on, and a layer's test file is its own", () => {
    expect(inputs.get('tools:test')!.has('packages/user/layer.Dockerfile')).toBe(true);
    expect(inputs.get('tools:test')!.has('packages/base/layer.Dockerfile')).toBe(true);
    expect(inputs.get('base:test')!.has('packages/user/layer.Dockerfile')).toBe(false);
    expect(inputs.get('img:test')!.has('packages/user/test/user.test.ts')).toBe(false);
  });

  test("a layer's test/support is hashed by the tests and image tests built on it, and by no one else", () => {
    const kit = 'packages/user/test/support/kit.py';
    for (const target of ['tools:test', 'tools:image-test', 'img:test', 'user:test'])
      expect(inputs.get(target)!.has(kit), target).toBe(true);
    for (const target of ['base:test', 'base:image-test', 'user:build', 'tools:build', 'img:build'])
      expect(inputs.get(target)!.has(kit), target).toBe(false);
  });

  test('one file of each machinery project the CLI loads is hashed by every unit target', () => {
    // Every project the CLI loads a file of (so not the test helpers, nor the workspace's code checks).
    const loaded = new Set([...importClosure(CLI_FILES)].map((file) => file.split('/')[1]));
    for (const { dir } of machinery.filter((project) => loaded.has(project.dir))) {
      const file = relative(
        root,
        join(
          root,
          'tools',
          dir,
          'src',
          readdirSync(join(root, 'tools', dir, 'src'), { recursive: true })
            .map(String)
            .find((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-kit'))!,
        ),
      );
      for (const target of unitTargets)
        expect(inputs.get(target)!.has(file), `${target} hashes ${file}`).toBe(true);
    }
  });
});

describe('adding a layer', () => {
  test('replays 2 and 3: a rival provider of user:agent reaches "tools" (built on user:agent) and no machinery or image test', async () => {
    const before = await inputsOf('tools:image-test');
    expect(before.has('packages/zz-new/layer.json')).toBe(false);
    mkdirSync(join(root, 'packages/zz-new'));
    writeFileSync(
      join(root, 'packages/zz-new/layer.json'),
      JSON.stringify({ name: 'zz-new', version: '1.0.0', description: 'a rival', provides: ['user:agent'] }),
    );
    writeFileSync(join(root, 'packages/zz-new/layer.Dockerfile'), 'RUN true\n');
    expect((await inputsOf('tools:image-test')).has('packages/zz-new/layer.json')).toBe(true);
    expect((await inputsOf('tools:test')).has('packages/zz-new/layer.json')).toBe(true);
    const machineryTestTargets = (await nx('show', 'projects', '--with-target', 'test', '--json')).stdout;
    // (img's targets do hash it: Nx's ^ is transitive, and img is built on tools. A re-run, never a stale replay.)
    const unaffected = [
      'base:image-test',
      ...(JSON.parse(machineryTestTargets) as string[])
        .filter((project) => project !== WORKSPACE_CHECKS && machinery.some(({ name }) => name === project))
        .map((project) => `${project}:test`),
    ];
    // The workspace's own checks read every unit, so a new layer re-runs them (a re-run, never a stale replay).
    expect((await inputsOf(`${WORKSPACE_CHECKS}:test`)).has('packages/zz-new/layer.json')).toBe(true);
    for (const target of unaffected)
      expect((await inputsOf(target)).has('packages/zz-new/layer.json'), target).toBe(false);
    // The harness refuses the ambiguous chain with its fix, before it needs an engine.
    const harness = await runScript(
      'node',
      [join(root, CLI_ENTRY), 'image-test', 'packages/tools', '--report', 'dist/r.json'],
      {
        cwd: root,
      },
    );
    expect(harness.exitCode).toBe(1);
    expect(harness.stderr).toContain('"user" and "zz-new" all provide');
    // `nx affected` follows the new layer to what it reaches, and to no machinery project but the workspace's
    // code checks (its boundary rule reads which folders are layers; no project depends on it).
    const affected = await nx(
      'show',
      'projects',
      '--affected',
      '--files=packages/zz-new/layer.json',
      '--json',
    );
    expect((JSON.parse(affected.stdout) as string[]).sort()).toEqual([
      '@image-layers/code-checks',
      'img',
      'tools',
      'zz-new',
    ]);
  }, 120_000);
});
