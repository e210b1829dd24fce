import { throwIfAny } from '../errors';
import { loadLayer, type LoadedLayer } from '../manifest/load';
import { collectContextFiles, type ContextFile } from './context';
import { parseFragment } from './fragment';
import { optionBindingErrors } from './options';

/**
 * Everything about one layer that can be checked without an image: its manifest, its fragment
 * (syntax, FROM/ENTRYPOINT rules, option ARGs) and the files its COPYs name. A layer's `build` target.
 */
export function checkLayer(dir: string): { layer: LoadedLayer; files: ContextFile[] } {
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
  throwIfAny(errors);
  return { layer, files: context.files };
}
