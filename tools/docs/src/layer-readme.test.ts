import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { checkLayer, expectedLayerReadme } from './layer-readme-check';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { HAND_WRITTEN_MARKER } from './layer-readme';

test("a layer's README is generated from layer.json and its fragment, and check fails while it is stale", () => {
  const workspace = makeFixtureWorkspace();
  const dir = join(workspace.root, 'packages/tools');
  try {
    expect(() => checkLayer(dir)).toThrow(expect.objectContaining({ code: 'missing-readme' }));
    const readme = expectedLayerReadme(dir);
    expect(readme.expected).toContain('# tools 1.0.0');
    expect(readme.expected).toContain('| `/usr/local/bin/hello` | `files/bin/hello` | 0755 |');
    expect(readme.expected).toContain('- **Requires:** `user:agent`');
    writeFileSync(readme.file, readme.expected);
    expect(checkLayer(dir).layer.name).toBe('tools');

    writeFileSync(
      join(dir, 'layer.json'),
      readFileSync(join(dir, 'layer.json'), 'utf8').replace('the tools fixture layer', 'a new description'),
    );
    expect(() => checkLayer(dir)).toThrow(
      expect.objectContaining({
        code: 'stale-readme',
        fix: expect.stringContaining('npx image-layers docs'),
      }),
    );
  } finally {
    workspace.cleanup();
  }
});

test('notes written below the marker survive regeneration', () => {
  const workspace = makeFixtureWorkspace();
  const dir = join(workspace.root, 'packages/tools');
  try {
    const first = expectedLayerReadme(dir);
    writeFileSync(first.file, `${first.expected}\nWhy hello exists: a greeting.\n`);
    writeFileSync(
      join(dir, 'layer.json'),
      readFileSync(join(dir, 'layer.json'), 'utf8').replace('the tools fixture layer', 'a new description'),
    );
    const second = expectedLayerReadme(dir);
    expect(second.expected).toContain('a new description');
    expect(second.expected.endsWith(`${HAND_WRITTEN_MARKER}\n\nWhy hello exists: a greeting.\n`)).toBe(true);
  } finally {
    workspace.cleanup();
  }
});
