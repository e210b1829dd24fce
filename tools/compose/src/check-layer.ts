import { ImageLayersError, throwIfAny } from '@image-layers/manifest/errors';
import { loadLayer, type LoadedLayer } from '@image-layers/manifest/load';
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
      setsEntrypoint: layer.manifest.entrypoint,
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
