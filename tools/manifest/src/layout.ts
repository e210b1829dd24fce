import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Where a workspace keeps its units, by name. Kept free of the schemas (and so of zod) because the Nx plugin
// needs these names on every `nx` start, through lenient.ts.

export const LAYER_MANIFEST = 'layer.json';
export const LAYER_FRAGMENT = 'layer.Dockerfile';
export const IMAGE_MANIFEST = 'image.json';
/** A project's image test, relative to its folder. */
export const IMAGE_TEST_FILE = 'test/image-test.json';
/** Layers live in packages/<name>/: a layer's name is its folder's name, so both resolve the same way. */
export const LAYERS_FOLDER = 'packages';

/** Image apps live in apps/<name>/ (a folder with an image.json). */
export const IMAGES_FOLDER = 'apps';

/** The layer names the workspace has (folders of packages/ with a layer.json), sorted. */
export function listLayerNames(workspaceRoot: string): string[] {
  const folder = join(workspaceRoot, LAYERS_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, LAYER_MANIFEST)))
    .sort();
}

/** The image app folders the workspace has (folders of apps/ with an image.json), sorted by name. */
export function listImageDirs(workspaceRoot: string): string[] {
  const folder = join(workspaceRoot, IMAGES_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => existsSync(join(folder, name, IMAGE_MANIFEST)))
    .sort()
    .map((name) => join(folder, name));
}
