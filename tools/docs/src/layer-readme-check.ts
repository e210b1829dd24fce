import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectLayer } from '@image-layers/compose/check-layer';
import type { ContextFile } from '@image-layers/compose/context';
import { ImageLayersError } from '@image-layers/manifest/errors';
import type { LoadedLayer } from '@image-layers/manifest/load';
import { LAYER_README, renderLayerReadme } from './layer-readme';

// A layer's `build` target checks the layer (the composer's checks) and that its generated README is current.

/** The layer's README as `image-layers docs` writes it, given what is on disk now. */
export function expectedLayerReadme(dir: string): { file: string; existing?: string; expected: string } {
  const { layer, files } = inspectLayer(dir);
  const file = join(dir, LAYER_README);
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return { file, existing, expected: renderLayerReadme(layer, files, existing) };
}

/** A layer's `build` target: inspectLayer, plus a generated README that matches the layer. */
export function checkLayer(dir: string): { layer: LoadedLayer; files: ContextFile[] } {
  const inspected = inspectLayer(dir);
  const readme = expectedLayerReadme(dir);
  if (readme.existing !== readme.expected) {
    throw new ImageLayersError({
      code: readme.existing === undefined ? 'missing-readme' : 'stale-readme',
      unit: inspected.layer.name,
      location: { file: readme.file },
      message: `${LAYER_README} ${readme.existing === undefined ? 'is missing' : 'does not match layer.json and layer.Dockerfile'}`,
      fix: 'run `npx image-layers docs` and commit the result (hand-written notes below its marker are kept)',
    });
  }
  return inspected;
}
