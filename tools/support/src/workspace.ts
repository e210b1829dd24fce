import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The monorepo's root folder (this file lives in tools/support/src). */
export const workspaceRoot = resolve(__dirname, '../../..');

/** The folder of a layer package, e.g. layerDir('git-auth') -> <root>/packages/git-auth. */
export function layerDir(layer: string): string {
  return join(workspaceRoot, 'packages', layer);
}

/** A file a layer ships into the image, by its path under the layer's files/ folder. */
export function layerFile(layer: string, pathInFiles: string): string {
  return join(layerDir(layer), 'files', pathInFiles);
}

/** The image app's folder, e.g. appDir('claude-code-image'). */
export function appDir(app: string): string {
  return join(workspaceRoot, 'apps', app);
}

/**
 * A fresh temporary folder; call the returned cleanup in afterEach/afterAll.
 * Tests never write inside the repository.
 */
export function makeTempDir(prefix = 'image-layers-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
