import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { IMAGES_FOLDER, LAYERS_FOLDER, listImageDirs, listLayerNames } from '@image-layers/manifest/layout';
import { listShippedFiles } from './shipped-files';

// One source for every shared block: the reason this project exists is that templates copied the same files
// (the askpass helper in four repositories, byte-pinned by CI gates) and the copies drifted. Here a file that two
// units ship with the same bytes is refused, wherever it sits: an image app holding a copy of a layer's file, or
// two layers each holding one. The fix is always the same: keep it in one layer and list that layer. Then the
// askpass helper is byte-identical in every image that ships it by construction, as they all take git-auth's.

interface Owner {
  unit: string;
  kind: 'layer' | 'image';
  file: string;
}

/** Every file under each unit's files/ that another unit also ships, byte for byte (empty files aside). */
export function copiedFileErrors(root: string): ImageLayersError[] {
  const units: Owner[] = [
    ...listLayerNames(root).map((name) => ({
      unit: name,
      kind: 'layer' as const,
      file: join(root, LAYERS_FOLDER, name),
    })),
    ...listImageDirs(root).map((dir) => ({
      unit: relative(join(root, IMAGES_FOLDER), dir),
      kind: 'image' as const,
      file: dir,
    })),
  ];
  const firstOwner = new Map<string, Owner>();
  const errors: ImageLayersError[] = [];
  for (const { unit, kind, file: dir } of units) {
    const filesDir = join(dir, 'files');
    // The shipping walk (links inside files/ only): what the composer would stage is what is compared.
    for (const shipped of listShippedFiles(filesDir, '').files) {
      // An empty file carries no block to drift (a package marker).
      if (shipped.size === 0) continue;
      const file = join(filesDir, shipped.path);
      const digest = sha256Of(file);
      const owner = firstOwner.get(digest);
      if (!owner) {
        firstOwner.set(digest, { unit, kind, file });
        continue;
      }
      const layerFirst = owner.kind === 'layer';
      errors.push(
        new ImageLayersError({
          code: 'copied-file',
          unit,
          location: { file },
          message: `the same bytes as ${relative(root, owner.file)} (${owner.kind} ${owner.unit}): a copy drifts from its original`,
          fix:
            layerFirst && kind === 'image'
              ? `delete it and list "${owner.unit}" in ${relative(root, join(dir, 'image.json'))} (the layer ships it)`
              : `keep it in one layer and list that layer where the other ${kind === 'image' ? 'image' : 'layer'} needs it (a layer of its own when neither owns it)`,
        }),
      );
    }
  }
  return errors;
}

/** The file's SHA-256, read in chunks: a unit may ship a large file. */
function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk))
      hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
