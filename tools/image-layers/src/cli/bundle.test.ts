import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { writeComposedImage } from '@image-layers/compose/write';
import { appDir, makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';
import { cli, makeFixtureWorkspace, snapshot } from '@image-layers/testing/fixture-workspace';
import { copyWorkspace } from '@image-layers/testing/workspace-copy';

// The bin runs the CLI's bundle (bin/cli-bundle.js), never its sources: proven here that a bundle is built when
// there is none, rebuilt when a source changes, that it composes exactly what the library does, and that each
// command's chunks hold only its own modules.

interface Metafile {
  outputs: Record<
    string,
    {
      imports: { path: string; kind: string }[];
      entryPoint?: string;
      inputs: Record<string, { bytesInOutput: number }>;
    }
  >;
}

const bundleDir = (root: string) => join(root, 'tools/image-layers/dist/cli');
const bundles = (root: string) =>
  existsSync(bundleDir(root))
    ? readdirSync(bundleDir(root)).filter((name) => /^[0-9a-f]{16}$/.test(name))
    : [];

describe('on a copy of the machinery (the fixture layers and image, no bundle yet)', () => {
  const fixture = makeFixtureWorkspace();
  const root = fixture.root;
  const bin = join(root, 'tools/image-layers/bin/image-layers.js');
  const compose = () =>
    runScript('node', [bin, 'compose', 'apps/img', '--out', 'dist/img'], { cwd: root, timeoutMs: 60_000 });
  beforeAll(() => copyWorkspace(root, (file) => !/^(packages|apps)\//.test(file)), 60_000);
  afterAll(fixture.cleanup);

  test('the first run builds the missing bundle, and the next one runs it as it is', async () => {
    expect(existsSync(bundleDir(root))).toBe(false);
    const first = await compose();
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('composed img: 3 layers, 3 context files -> dist/img\n');
    expect(bundles(root)).toHaveLength(1);
    const current = readFileSync(join(bundleDir(root), 'current.json'), 'utf8');
    expect(JSON.parse(current).inputs.map(([file]: [string]) => file)).toEqual(
      expect.arrayContaining([
        'tools/image-layers/src/cli/start.ts',
        'tools/compose/src/compose.ts',
        'tools/image-layers/bin/cli-bundle.js',
      ]),
    );
    expect((await compose()).stdout).toBe(first.stdout);
    expect(readFileSync(join(bundleDir(root), 'current.json'), 'utf8')).toBe(current);
  }, 60_000);

  test('an edit to a source rebuilds the bundle before the run, which uses the edit', async () => {
    const file = join(root, 'tools/image-layers/src/cli/commands/compose.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('`composed ${', '`composed (edited) ${'));
    const run = await compose();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('composed (edited) img: 3 layers, 3 context files -> dist/img\n');
    expect(bundles(root)).toHaveLength(2);
  }, 60_000);

  test('runs started at once with no bundle each get one (builds race into temporary folders)', async () => {
    rmSync(bundleDir(root), { recursive: true });
    const runs = await Promise.all([compose(), compose(), compose()]);
    for (const run of runs) expect(run.stdout + run.stderr).toBe(runs[0]!.stdout);
    expect(bundles(root)).toHaveLength(1);
    expect(readdirSync(bundleDir(root)).filter((name) => name.startsWith('tmp-'))).toEqual([]);
  }, 60_000);

  test('without esbuild and no bundle, one line says what to run', async () => {
    rmSync(bundleDir(root), { recursive: true });
    unlinkSync(join(root, 'node_modules/esbuild'));
    const run = await compose();
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      "image-layers: cannot build the CLI's bundle: esbuild is not installed: run `npm ci` at the workspace root\n",
    );
  }, 60_000);
});

describe('the bundle of this checkout', () => {
  const temp = makeTempDir('image-layers-bundle-');
  afterAll(temp.cleanup);
  let meta: Metafile;
  beforeAll(async () => {
    // A run makes the bundle current; its metafile says what is in each chunk.
    const run = await runScript('node', [cli, '--help'], { timeoutMs: 60_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    const { key } = JSON.parse(readFileSync(join(bundleDir(workspaceRoot), 'current.json'), 'utf8'));
    meta = JSON.parse(readFileSync(join(bundleDir(workspaceRoot), key, 'meta.json'), 'utf8')) as Metafile;
  }, 60_000);

  test('composes through the bin byte for byte what composeImage and writeComposedImage write in process', async () => {
    const image = appDir('claude-code-image');
    const run = await runScript('node', [cli, 'compose', image, '--out', join(temp.path, 'bin')], {
      timeoutMs: 60_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    writeComposedImage(composeImage(image), join(temp.path, 'library'));
    expect(snapshot(join(temp.path, 'bin'))).toEqual(snapshot(join(temp.path, 'library')));
    expect(Object.keys(snapshot(join(temp.path, 'bin')))).toContain('Dockerfile');
  });

  /** The source files a command loads: the chunks main.mjs imports, and those of the modules it import()s. */
  const loadedBy = (dynamicImports: string[]): string[] => {
    // (main.ts loads the module of the command a start runs, and only that one: its chunks are given with it.)
    const outputs = Object.entries(meta.outputs);
    const byName = new Map(outputs.map(([path, output]) => [path.split('/').pop()!, output]));
    const entry = (source: string) => outputs.find(([, output]) => output.entryPoint === source)!;
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const imported of byName.get(name)!.imports)
        if (imported.kind === 'import-statement' && byName.has(imported.path.split('/').pop()!))
          visit(imported.path.split('/').pop()!);
    };
    visit('main.mjs');
    for (const source of dynamicImports) visit(entry(source)[0].split('/').pop()!);
    // The files with code in those chunks (esbuild lists the tree-shaken ones too, with no bytes).
    return [...seen].flatMap((name) =>
      Object.entries(byName.get(name)!.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([file]) => file),
    );
  };

  test("every command starts with commander and the CLI's own modules only: no zod, no Dockerfile parser", () => {
    const start = loadedBy([]);
    expect(start).toContain('tools/image-layers/src/cli/main.ts');
    expect(start.filter((file) => /zod|dockerfile-|tools\/(lint|compose|image-test)\//.test(file))).toEqual(
      [],
    );
  });

  test('compose loads the composer, none of the linter, the Docker driver, YAML or execa', () => {
    const files = loadedBy([
      'tools/image-layers/src/cli/commands/compose.ts',
      'tools/manifest/src/load.ts',
      'tools/compose/src/compose.ts',
      'tools/compose/src/write.ts',
    ]);
    expect(files).toContain('tools/compose/src/compose.ts');
    expect(
      files.filter((file) => /tools\/(lint|image-test)\/|\/(yaml|execa|web-tree-sitter)\//.test(file)),
    ).toEqual([]);
    // zod without its locales (tree-shaken: the manifest imports it as a namespace).
    expect(files.some((file) => file.includes('/zod/'))).toBe(true);
    expect(files.filter((file) => /zod\/.*locales\/(?!en\.)/.test(file))).toEqual([]);
  });

  test('lint loads the linter, and the WASM shell parser stays outside the bundle', () => {
    const files = loadedBy(['tools/lint/src/cli.ts', 'tools/lint/src/lint-paths.ts']);
    expect(files).toContain('tools/lint/src/engine.ts');
    expect(files.filter((file) => file.includes('web-tree-sitter'))).toEqual([]);
    const imports = Object.values(meta.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect(imports).toContain('web-tree-sitter');
  });
});
