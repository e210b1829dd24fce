import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';
import { copyWorkspace } from '@image-layers/testing/workspace-copy';

// The real workspace's Nx graph, through the real `nx` binary and the workspace's plugin, on a copy of the workspace
// (its committed and working-tree files, with node_modules linked), so edits made here never touch the checkout.
// It lives in code-checks because it reads every layer and image: this project's test target hashes them all
// (tools/code-checks/package.json), so adding an image or a layer re-runs it instead of replaying a stale green.

const temp = makeTempDir('image-layers-nx-');
const copy = join(temp.path, 'workspace');
const nx = (...args: string[]) =>
  runScript(join(copy, 'node_modules/.bin/nx'), args, {
    cwd: copy,
    env: { NX_DAEMON: 'false', NX_TUI: 'false', CI: 'true' },
    timeoutMs: 120_000,
  });

beforeAll(() => copyWorkspace(copy));
afterAll(temp.cleanup);

// What the graph must show, derived from the manifests on disk (never a hand-kept list, so adding a layer or an
// image changes no expectation here): every layer and image is a project, and a change to a layer reaches the
// images that list it and the layers whose requirements it provides, transitively.
const manifest = (file: string) =>
  JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as Record<string, unknown>;
const LAYERS = readdirSync(join(workspaceRoot, 'packages')).filter((name) =>
  existsSync(join(workspaceRoot, 'packages', name, 'layer.json')),
);
const IMAGES = readdirSync(join(workspaceRoot, 'apps')).filter((name) =>
  existsSync(join(workspaceRoot, 'apps', name, 'image.json')),
);
const EVERY_PROJECT = [...LAYERS, ...IMAGES].sort();
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const layersOf = (image: string) =>
  (manifest(`apps/${image}/image.json`).layers as unknown[]).map((entry) =>
    typeof entry === 'string' ? entry : (entry as { layer: string }).layer,
  );
function reachedBy(layer: string): string[] {
  const reached = new Set([layer]);
  for (let grew = true; grew;) {
    grew = false;
    for (const other of LAYERS.filter((name) => !reached.has(name))) {
      const requires = strings(manifest(`packages/${other}/layer.json`).requires);
      // A layer's image test may name the layers it is built on (test/image-test.json "layers"): edges too.
      const testSpec = `packages/${other}/test/image-test.json`;
      const builtOn = existsSync(join(workspaceRoot, testSpec)) ? strings(manifest(testSpec).layers) : [];
      const met = [...reached].some(
        (name) =>
          builtOn.includes(name) ||
          [name, ...strings(manifest(`packages/${name}/layer.json`).provides)].some((c) =>
            requires.includes(c),
          ),
      );
      if (met) grew = reached.add(other).size > 0;
    }
  }
  const images = IMAGES.filter((image) => layersOf(image).some((name) => reached.has(name)));
  return [...reached, ...images].sort();
}

/** The files an image app holds of its own (files/ and its fragment), as paths from the workspace root. */
const ownFilesOf = (image: string): string[] => {
  const dir = join(workspaceRoot, 'apps', image, 'files');
  const files = existsSync(dir)
    ? (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(workspaceRoot.length + 1))
    : [];
  return [`apps/${image}/image.json`, ...files];
};

/**
 * The layers and images `nx show projects --affected --files=...` lists. Nx also lists this project, code-checks,
 * for any change to a layer or image: its docs, check and test targets read every unit (the images table, the
 * one-source check, this test), so Nx's input-based affected rightly re-runs them. It is the workspace's check,
 * not a layer or an image, and it is left out of the comparisons below (which then are exact), after checking it
 * is there.
 */
async function affectedBy(files: string[]): Promise<string[]> {
  const result = await nx('show', 'projects', '--affected', `--files=${files.join(',')}`, '--json');
  expect(result.exitCode, result.stderr).toBe(0);
  const affected = JSON.parse(result.stdout) as string[];
  expect(affected).toContain('@image-layers/code-checks');
  return affected.filter((name) => name !== '@image-layers/code-checks').sort();
}

describe("the workspace's Nx graph", () => {
  test('infers build and test targets for every layer and image, with no project.json', async () => {
    const result = await nx('show', 'projects', '--with-target', 'build', '--json');
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as string[]).sort()).toEqual(EVERY_PROJECT);
  });

  test('every layer and image has an image-test target, the image an image target; a change to agent-user reaches the layers built on it', async () => {
    const imageTests = await nx('show', 'projects', '--with-target', 'image-test', '--json');
    expect((JSON.parse(imageTests.stdout) as string[]).sort()).toEqual(EVERY_PROJECT);
    const images = await nx('show', 'projects', '--with-target', 'image', '--json');
    expect((JSON.parse(images.stdout) as string[]).sort()).toEqual(IMAGES.sort());
    // t4-escalation's image test builds it on agent-user (user:agent): the edge makes `nx affected` follow.
    expect(await affectedBy(['packages/agent-user/layer.Dockerfile'])).toEqual(reachedBy('agent-user'));
    expect(reachedBy('agent-user')).toEqual(expect.arrayContaining(['t4-escalation', 'claude-code-image']));
  });

  test('a change to the askpass script affects exactly git-auth and the images that list it', async () => {
    expect(await affectedBy(['packages/git-auth/files/scripts/molecule-askpass'])).toEqual(
      reachedBy('git-auth'),
    );
    expect(reachedBy('git-auth')).toEqual(expect.arrayContaining(['claude-code-image', 'git-auth']));
  });

  test.each(IMAGES)(
    "a change to a file of %s's own (its adapter, its hooks) affects that image alone",
    async (image) => {
      const files = ownFilesOf(image);
      expect(files.length).toBeGreaterThan(0);
      // All at once: Nx's --files takes a comma-separated list, and the union must still be the image alone.
      expect(await affectedBy(files), files.join(' ')).toEqual([image]);
    },
  );

  test('a change to a layer every image lists (the last such, e.g. the shared entrypoint) affects every image', async () => {
    const shared = LAYERS.filter((layer) => IMAGES.every((image) => layersOf(image).includes(layer)));
    expect(shared.length).toBeGreaterThan(0);
    const layer = shared.at(-1)!;
    const affected = await affectedBy([`packages/${layer}/layer.json`]);
    expect(affected, layer).toEqual(reachedBy(layer));
    expect(affected, layer).toEqual(expect.arrayContaining(IMAGES));
  });

  test('a change to the shared entrypoint affects every image, and git-auth, whose hooks it runs (entrypoint:hooks)', async () => {
    expect(await affectedBy(['packages/entrypoint/files/entrypoint.sh'])).toEqual(reachedBy('entrypoint'));
    expect(reachedBy('entrypoint')).toEqual(expect.arrayContaining(['entrypoint', 'git-auth', ...IMAGES]));
  });

  test("a change to a layer's test file leaves the image's build a cache hit; a change to its script does not", async () => {
    const first = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);

    // A new test file of the layer (not an edit of a named one, so renaming the layer's tests changes nothing here).
    writeFileSync(
      join(copy, 'packages/git-auth/test/added-by-graph-test.test.ts'),
      '// a test file added by the graph test\n',
    );
    const afterTestEdit = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(afterTestEdit.exitCode).toBe(0);
    // The image's build and the build of each layer it lists.
    const tasks = layersOf('claude-code-image').length + 1;
    expect(afterTestEdit.stdout).toContain(
      `Nx read the output from the cache instead of running the command for ${tasks} out of ${tasks} tasks`,
    );

    appendFileSync(
      join(copy, 'packages/git-auth/files/scripts/molecule-askpass'),
      '\n# a comment added by the plugin test\n',
    );
    const afterScriptEdit = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(afterScriptEdit.exitCode).toBe(0);
    // git-auth's build and the image's run again; every other layer's is replayed.
    expect(afterScriptEdit.stdout).toContain(
      `Nx read the output from the cache instead of running the command for ${tasks - 2} out of ${tasks} tasks`,
    );
  });
});
