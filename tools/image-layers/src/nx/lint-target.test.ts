import { afterAll, describe, expect, test } from 'vitest';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { createNodes } from './plugin';

// The targets the plugin infers for a layer and an image of a fixture workspace: what they are does not depend on
// which layers the real workspace has, so the real ones are not read.
const workspace = makeFixtureWorkspace();
afterAll(workspace.cleanup);
const workspaceRoot = workspace.root;
const LAYER = 'packages/tools/layer.json';
const IMAGE = 'apps/img/image.json';

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
    const lint = (await targetsOf(LAYER)).lint!;
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
    const lint = (await targetsOf(IMAGE)).lint!;
    expect(lint).toMatchObject({
      command: 'node tools/image-layers/bin/image-layers.js lint {projectRoot}',
      cache: true,
    });
    expect(lint.inputs).toEqual(expect.arrayContaining(['definition', '^definition']));
  });
});

describe('every inferred target explains itself (nx show project <name>)', () => {
  test.each([LAYER, IMAGE])('%s', async (file) => {
    const targets = (await targetsOf(file)) as Record<string, { metadata?: { description?: string } }>;
    expect(Object.keys(targets).length).toBeGreaterThan(3);
    for (const [name, target] of Object.entries(targets))
      expect(target.metadata?.description?.length ?? 0, `${file} ${name}`).toBeGreaterThan(20);
  });
});
