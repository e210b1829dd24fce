import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { ImageLayersError, throwIfAny } from './errors';
import { readJsonSource, type JsonSource } from './json-source';
import { jsonKind, remembered, type ResultKind } from './remembered';
import { manifestSchemas, type ImageManifest, type LayerManifest } from './schema';
import { readUnitFile } from './unit-file';
import { IMAGE_MANIFEST, LAYER_FRAGMENT, LAYER_MANIFEST } from './layout';

export { IMAGE_MANIFEST, LAYER_FRAGMENT, LAYER_MANIFEST, LAYERS_FOLDER, listLayerNames } from './layout';

export interface LoadedLayer {
  name: string;
  dir: string;
  manifest: LayerManifest;
  source: JsonSource;
  fragmentFile: string;
  fragmentText: string;
}

export interface LoadedImage {
  name: string;
  dir: string;
  manifest: ImageManifest;
  source: JsonSource;
  fragmentFile: string;
  fragmentText: string;
}

/** The folder holding nx.json, searched upwards from `from`. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new ImageLayersError({
        code: 'no-workspace',
        location: { file: resolve(from) },
        message: 'no nx.json found in this folder or any parent',
        fix: 'run the command inside the image-layers workspace (the folder with nx.json)',
      });
    }
    dir = parent;
  }
  return dir;
}

/** A manifest as its schema reads it (defaults filled in), kept only when valid: the errors are always made anew. */
const LAYER_MANIFESTS = jsonKind<LayerManifest>('layer-manifest', 1);
const IMAGE_MANIFESTS = jsonKind<ImageManifest>('image-manifest', 1);

/**
 * validate() for a manifest whose valid value is remembered between CLI starts (remembered.ts): zod's first
 * checks in a process cost a compose ~10 ms. An invalid one is not kept, so its errors come from validate().
 */
function validateManifest<T extends z.ZodType>(
  kind: ResultKind<z.output<T>>,
  schema: () => T,
  source: JsonSource,
  unit: string,
): z.output<T> {
  return remembered(kind, JSON.stringify(source.value), () => validate(schema(), source, unit));
}

export function validate<T extends z.ZodType>(schema: T, source: JsonSource, unit: string): z.output<T> {
  const result = schema.safeParse(source.value);
  if (result.success) return result.data;
  throwIfAny(
    result.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = keys.length > 0 ? [...issue.path, keys[0]!] : issue.path;
      const field = path.length > 0 ? path.join('.') : '(top level)';
      return new ImageLayersError({
        code: 'invalid-manifest',
        unit,
        location: source.locate(path as (string | number)[]),
        message: `${field}: ${issue.message}`,
        fix:
          keys.length > 0
            ? `remove or rename ${keys.map((key) => `"${key}"`).join(', ')}; the schema lists the fields a manifest may have`
            : `correct "${field}" as the schema says ($schema in the file gives your editor the details)`,
      });
    }),
  );
  throw new Error('unreachable');
}

function readFragment(file: string, unit: string, manifestFile: string, unitDir: string): string {
  if (!existsSync(file)) {
    throw new ImageLayersError({
      code: 'missing-fragment',
      unit,
      location: { file: manifestFile },
      message: `${basename(file)} is missing beside ${basename(manifestFile)}`,
      fix: `create ${file} with this unit's Dockerfile instructions`,
    });
  }
  return readUnitFile(file, { unit, unitDir });
}

/** Loads and validates packages/<name>/layer.json and its fragment. */
export function loadLayer(dir: string): LoadedLayer {
  const folderName = basename(dir);
  const manifestFile = join(dir, LAYER_MANIFEST);
  if (!existsSync(manifestFile)) {
    throw new ImageLayersError({
      code: 'missing-manifest',
      unit: folderName,
      location: { file: dir },
      message: `layer folder has no ${LAYER_MANIFEST}`,
      fix: `create ${manifestFile} (name, version, description; see tools/image-layers/schema/layer.schema.json)`,
    });
  }
  const source = readJsonSource(manifestFile, folderName, dir);
  const manifest = validateManifest(
    LAYER_MANIFESTS,
    () => manifestSchemas().layerManifestSchema,
    source,
    folderName,
  );
  if (manifest.name !== folderName) {
    throw new ImageLayersError({
      code: 'name-mismatch',
      unit: folderName,
      location: source.locate(['name']),
      message: `the layer is named "${manifest.name}" but lives in folder "${folderName}"`,
      fix: `rename the folder or set "name": "${folderName}": images find layers by this one name`,
    });
  }
  const fragmentFile = join(dir, LAYER_FRAGMENT);
  return {
    name: manifest.name,
    dir,
    manifest,
    source,
    fragmentFile,
    fragmentText: readFragment(fragmentFile, manifest.name, manifestFile, dir),
  };
}

/** Loads and validates an image app's image.json and its own fragment. */
export function loadImage(dir: string): LoadedImage {
  const manifestFile = join(dir, IMAGE_MANIFEST);
  if (!existsSync(manifestFile)) {
    throw new ImageLayersError({
      code: 'missing-manifest',
      location: { file: dir },
      message: `no ${IMAGE_MANIFEST} in this folder`,
      fix: `pass the folder of an image app (one with ${IMAGE_MANIFEST}), e.g. apps/claude-code-image`,
    });
  }
  const source = readJsonSource(manifestFile, basename(dir), dir);
  const manifest = validateManifest(
    IMAGE_MANIFESTS,
    () => manifestSchemas().imageManifestSchema,
    source,
    basename(dir),
  );
  // The image's fragment is its own file: a path out of its folder would read (and echo) someone else's.
  const fragmentPath = normalize(manifest.fragment);
  if (isAbsolute(fragmentPath) || fragmentPath === '..' || fragmentPath.startsWith(`..${sep}`)) {
    throw new ImageLayersError({
      code: 'fragment-outside-image',
      unit: manifest.name,
      location: source.locate(['fragment']),
      message: `"fragment" is ${JSON.stringify(manifest.fragment)}, which is not inside the image's folder`,
      fix: 'name a file in the image folder, relative to image.json (the default is image.Dockerfile)',
    });
  }
  const fragmentFile = join(dir, fragmentPath);
  return {
    name: manifest.name,
    dir,
    manifest,
    source,
    fragmentFile,
    fragmentText: readFragment(fragmentFile, manifest.name, manifestFile, dir),
  };
}
