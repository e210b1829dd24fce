import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYER_README, renderLayerReadme } from '../docs/layer-readme';
import { ImageLayersError, throwIfAny } from '../errors';
import { loadLayer, type LoadedLayer } from '../manifest/load';
import { collectContextFiles, type ContextFile } from './context';
import { parseFragment } from './fragment';
import { optionBindingErrors } from './options';

/**
 * Everything about one layer that can be checked without an image: its manifest, its fragment (syntax,
 * FROM/ENTRYPOINT rules, option ARGs) and the files its COPYs name, with every problem found (the linter reports
 * them as findings beside the files it ships).
 */
export function collectLayer(dir: string): {
  layer: LoadedLayer;
  files: ContextFile[];
  errors: ImageLayersError[];
} {
  const layer = loadLayer(dir);
  const { fragment, errors } = parseFragment(
    {
      name: layer.name,
      kind: 'layer',
      file: layer.fragmentFile,
      text: layer.fragmentText,
      isBase: layer.manifest.base,
    },
    // A layer checked alone does not know the WORKDIR earlier layers set; / is the Docker default.
    '/',
  );
  errors.push(...optionBindingErrors(fragment, layer.manifest.options, layer.source));
  const context = collectContextFiles([{ dir, fragment }]);
  errors.push(...context.errors);
  return { layer, files: context.files, errors };
}

/** collectLayer, throwing every problem found. */
export function inspectLayer(dir: string): { layer: LoadedLayer; files: ContextFile[] } {
  const { layer, files, errors } = collectLayer(dir);
  throwIfAny(errors);
  return { layer, files };
}

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
