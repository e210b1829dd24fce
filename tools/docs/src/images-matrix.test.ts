import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeFixtureWorkspace, validWorkspaceFiles } from '@image-layers/testing/fixture-workspace';
import { runScript, workspaceRoot } from '@image-layers/testing';
import { expectedImagesMatrix, renderImagesMatrix } from './images-matrix';

let cleanup = () => {};
afterEach(() => cleanup());
const cli = join(workspaceRoot, 'tools/image-layers/bin/image-layers.js');

/** A fixture workspace with a second image, img2, that uses two of the layers and sets an option. */
function workspace() {
  const base = validWorkspaceFiles();
  const fixture = makeFixtureWorkspace({
    'apps/img2/image.json': JSON.stringify({
      name: 'img2',
      description: 'a second fixture image',
      layers: [{ layer: 'base', options: { PACKAGES: ['curl', 'jq'] } }, 'user'],
    }),
    'apps/img2/image.Dockerfile': base['apps/img/image.Dockerfile']!,
    'apps/img2/files/start.sh': base['apps/img/files/start.sh']!,
  });
  cleanup = fixture.cleanup;
  return fixture;
}

describe('apps/README.md, the images x layers table', () => {
  test('a row per image, a column per layer at its version, the position in each cell; the options set below', () => {
    const { root } = workspace();
    const text = renderImagesMatrix(root);
    expect(text).toContain(
      '| image | [base](../packages/base/) 1.0.0 | [user](../packages/user/) 1.0.0 | [tools](../packages/tools/) 1.0.0 |',
    );
    expect(text).toContain('| [img](img/) | 1 | 2 | 3 |');
    expect(text).toContain('| [img2](img2/) | 1 | 2 |  |');
    expect(text).toContain('| img2 | base | `PACKAGES` | `curl jq` |');
    expect(text).not.toContain('| img | base |');
  });

  test('image-layers docs writes it, keeps the hand-written notes, and --check fails once an image.json changes', async () => {
    const fixture = workspace();
    const docs = (...args: string[]) => runScript('node', [cli, 'docs', ...args], { cwd: fixture.root });
    expect((await docs()).exitCode).toBe(0);
    const file = join(fixture.root, 'apps/README.md');
    fixture.write('apps/README.md', `${readFileSync(file, 'utf8')}A note by hand.\n`);
    expect((await docs('--check')).exitCode).toBe(0);
    fixture.write(
      'apps/img2/image.json',
      JSON.stringify({
        name: 'img2',
        description: 'a second fixture image',
        layers: ['base', 'user', 'tools'],
      }),
    );
    const check = await docs('--check');
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toBe(
      'apps/README.md: out of date: run `npx image-layers docs` and commit the result\n',
    );
    expect((await docs()).exitCode).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('| [img2](img2/) | 1 | 2 | 3 |');
    expect(written.endsWith('A note by hand.\n')).toBe(true);
    expect(expectedImagesMatrix(fixture.root).expected).toBe(written);
  });
});
