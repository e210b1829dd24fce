import { ImageLayersError } from '@image-layers/manifest/errors';
import type { LoadedImage, LoadedLayer } from '@image-layers/manifest/load';
import type { OptionValue, PackageKind } from '@image-layers/manifest/schema';

// Packages are declared by the unit that needs them (layer.json / image.json "aptPackages", "pythonPackages")
// and installed by one step of one layer: the layer with a string-list option that "collects" that kind. So an
// image pays for one apt-get update and one pip resolve, and a sibling template that drops a layer drops its
// packages with it.

/** Where each kind is installed, and what a missing collector means to the person fixing it. */
const KINDS: Record<PackageKind, { collectorMustBeBase: boolean; fix: string }> = {
  aptPackages: {
    collectorMustBeBase: true,
    fix: 'give the base layer a string-list option with "collects": "aptPackages", used by its apt-get install',
  },
  pythonPackages: {
    collectorMustBeBase: false,
    fix: 'list a layer whose string-list option "collects": "pythonPackages" (python-runtime) before it',
  },
};

/** The values each collecting option gets: the layer's index, the option's name, the packages to add. */
export interface CollectedPackages {
  additions: { layerIndex: number; option: string; packages: string[] }[];
  errors: ImageLayersError[];
}

function collectingOption(layer: LoadedLayer, kind: PackageKind): string | undefined {
  return Object.entries(layer.manifest.options).find(
    ([, option]) => option.type === 'string-list' && option.collects === kind,
  )?.[0];
}

/**
 * The packages of a kind a layer declares for one image: its list, and for Debian packages those of its
 * "aptPackagesWhen" whose option has the given value in this image (`values`: the layer's resolved options).
 */
export function declaredPackages(
  layer: LoadedLayer,
  kind: PackageKind,
  values: ReadonlyMap<string, OptionValue> = new Map(),
): string[] {
  if (kind !== 'aptPackages') return layer.manifest[kind];
  const conditional = layer.manifest.aptPackagesWhen.filter(
    (condition) =>
      (values.get(condition.option) ?? layer.manifest.options[condition.option]?.default) === condition.is,
  );
  return [...layer.manifest.aptPackages, ...conditional.flatMap((condition) => condition.packages)];
}

/** `optionValues[i]`: the options of `layers[i]` as the image sets them (defaults where it does not). */
export function collectPackages(
  image: LoadedImage,
  layers: LoadedLayer[],
  optionValues: ReadonlyMap<string, OptionValue>[] = [],
): CollectedPackages {
  const result: CollectedPackages = { additions: [], errors: [] };
  for (const kind of Object.keys(KINDS) as PackageKind[]) {
    const { collectorMustBeBase, fix } = KINDS[kind];
    const declarers = [
      ...layers.map((layer, index) => ({
        name: layer.name,
        index,
        packages: declaredPackages(layer, kind, optionValues[index]),
      })),
      { name: image.name, index: layers.length, packages: image.manifest[kind] },
    ].filter((declarer) => declarer.packages.length > 0);
    const packages = [...new Set(declarers.flatMap((declarer) => declarer.packages))];
    const collectorIndex = layers.findIndex(
      (layer) => collectingOption(layer, kind) && (!collectorMustBeBase || layer.manifest.base),
    );
    if (collectorIndex >= 0) {
      const collector = layers[collectorIndex]!;
      result.additions.push({
        layerIndex: collectorIndex,
        option: collectingOption(collector, kind)!,
        packages,
      });
      // A collector installs what layers listed after it need; one listed before it would build without them.
      // (The base layer is first or the requirement check says so, so only other collectors are checked here.)
      const early = collectorMustBeBase
        ? []
        : declarers.filter((declarer) => declarer.index < collectorIndex);
      for (const declarer of early) {
        result.errors.push(
          new ImageLayersError({
            code: 'requirement-order',
            unit: declarer.name,
            location: image.source.locate(['layers', declarer.index]),
            message: `"${declarer.name}" declares ${kind} (${declarer.packages.join(', ')}) but is listed before "${collector.name}", which installs them`,
            fix: `move "${declarer.name}" after "${collector.name}" in "layers"`,
          }),
        );
      }
      continue;
    }
    if (packages.length === 0) continue;
    // With no base at all the requirement check already says what to add; one error is enough.
    if (collectorMustBeBase && !layers.some((layer) => layer.manifest.base)) continue;
    const base = layers.find((layer) => layer.manifest.base);
    const blame = collectorMustBeBase ? { name: base!.name, index: layers.indexOf(base!) } : declarers[0]!;
    const blamed = layers[blame.index];
    result.errors.push(
      new ImageLayersError({
        code: 'packages-without-collector',
        unit: blame.name,
        location: blamed
          ? blamed.source.locate(collectorMustBeBase ? ['options'] : [kind])
          : image.source.locate([kind]),
        message: collectorMustBeBase
          ? `layers declare aptPackages (${packages.join(', ')}) but the base layer "${blame.name}" has no option that collects them`
          : `"${blame.name}" declares pythonPackages (${packages.join(', ')}) but no listed layer installs them`,
        fix,
      }),
    );
  }
  return result;
}
