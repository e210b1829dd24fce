import { ImageLayersError } from '@image-layers/manifest/errors';
import type { LoadedImage, LoadedLayer } from '@image-layers/manifest/load';
import { aptCapability, capabilitiesOf as offered } from './capabilities';

/** What a loaded layer offers to those after it (capabilities.ts decides). */
const capabilitiesOf = (layer: LoadedLayer): string[] =>
  offered({ name: layer.name, provides: layer.manifest.provides, aptPackages: layer.manifest.aptPackages });

/**
 * Checks the image's layer list against what each layer requires, in the image's order: the first
 * layer is the one base, no layer twice, and every requirement provided by a layer listed earlier.
 * `workspaceLayers` lets a message name the layer to add when none listed provides something.
 */
export function requirementErrors(
  image: LoadedImage,
  layers: LoadedLayer[],
  workspaceLayers: () => LoadedLayer[],
): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  const at = (index: number) => image.source.locate(['layers', index]);
  const positionOf = new Map<string, number>();
  layers.forEach((layer, index) => {
    if (positionOf.has(layer.name)) {
      errors.push(
        new ImageLayersError({
          code: 'duplicate-layer',
          unit: layer.name,
          location: at(index),
          message: `layer "${layer.name}" is listed twice`,
          fix: 'list each layer once',
        }),
      );
    } else positionOf.set(layer.name, index);
  });

  const bases = layers.filter((layer) => layer.manifest.base);
  if (bases.length === 0) {
    errors.push(
      new ImageLayersError({
        code: 'no-base',
        unit: image.name,
        location: image.source.locate(['layers']),
        message: 'no listed layer is a base ("base": true), so the image has no FROM',
        fix: 'list a base layer first, e.g. "base-os"',
      }),
    );
  }
  bases.slice(1).forEach((layer) =>
    errors.push(
      new ImageLayersError({
        code: 'second-base',
        unit: layer.name,
        location: at(layers.indexOf(layer)),
        message: `"${layer.name}" is a second base layer after "${bases[0]!.name}": an image has one FROM`,
        fix: `keep one of "${bases[0]!.name}" and "${layer.name}"`,
      }),
    ),
  );
  // A layer with "entrypoint": true sets the image's ENTRYPOINT (and the image's fragment then may not): two
  // would each think they decide what the container runs, and only the last ENTRYPOINT would take effect.
  const entrypoints = layers.filter((layer) => layer.manifest.entrypoint);
  entrypoints.slice(1).forEach((layer) =>
    errors.push(
      new ImageLayersError({
        code: 'second-entrypoint-layer',
        unit: layer.name,
        location: at(layers.indexOf(layer)),
        message: `"${layer.name}" is a second entrypoint layer ("entrypoint": true) after "${entrypoints[0]!.name}": an image has one ENTRYPOINT`,
        fix: `keep one of "${entrypoints[0]!.name}" and "${layer.name}"; template-specific start-up steps go into /entrypoint.d hooks`,
      }),
    ),
  );
  if (bases[0] && layers[0] !== bases[0]) {
    errors.push(
      new ImageLayersError({
        code: 'base-not-first',
        unit: bases[0].name,
        location: at(layers.indexOf(bases[0])),
        message: `the base layer "${bases[0].name}" must come first: "${layers[0]!.name}" is listed before it`,
        fix: `move "${bases[0].name}" to the top of "layers"`,
      }),
    );
  }

  // Packages every layer declares are installed by the base layer, so they count as provided from the start.
  const packages = [
    ...layers.flatMap((layer) => layer.manifest.aptPackages),
    ...image.manifest.aptPackages,
  ].map(aptCapability);
  const providerIndex = new Map<string, number>(packages.map((capability) => [capability, 0]));
  layers.forEach((layer, index) => {
    for (const capability of capabilitiesOf(layer))
      if (!providerIndex.has(capability)) providerIndex.set(capability, index);
  });

  // Which listed layers each layer's requirements lead to, to tell an order a move fixes from a cycle none does.
  const needs = layers.map((layer) =>
    layer.manifest.requires
      .map((requirement) => providerIndex.get(requirement))
      .filter((provider): provider is number => provider !== undefined),
  );
  /** The chain of layers from `from` to `to` through requirements, or undefined when there is none. */
  const chain = (from: number, to: number): number[] | undefined => {
    const cameFrom = new Map<number, number>([[from, from]]);
    for (const queue = [from]; queue.length > 0;) {
      const current = queue.shift()!;
      if (current === to) {
        const path = [to];
        while (path[0] !== from) path.unshift(cameFrom.get(path[0]!)!);
        return path;
      }
      for (const next of needs[current] ?? [])
        if (!cameFrom.has(next)) {
          cameFrom.set(next, current);
          queue.push(next);
        }
    }
    return undefined;
  };
  const reportedCycles = new Set<string>();

  const check = (
    requirer: string,
    requirements: string[],
    index: number,
    // A function: pointing into a manifest parses its JSON tree, which a valid image never needs.
    location: () => ReturnType<typeof at>,
    manifest?: LoadedLayer['source'],
  ) => {
    requirements.forEach((requirement, position) => {
      const provider = providerIndex.get(requirement);
      if (provider !== undefined && provider < index) return;
      if (provider === index) {
        errors.push(
          new ImageLayersError({
            code: 'requires-itself',
            unit: requirer,
            location: manifest?.locate(['requires', position]) ?? location(),
            message: `"${requirer}" requires ${requirement}, which it provides itself: a requirement must be met by a layer listed before it`,
            fix: `remove "${requirement}" from "requires" (a layer has what it provides once its own fragment has run)`,
          }),
        );
        return;
      }
      if (provider !== undefined) {
        const providerName = layers[provider]!.name;
        const cycle = chain(provider, index);
        if (cycle) {
          const names = [...cycle, provider].map((member) => layers[member]!.name);
          const key = [...new Set(names)].sort().join(' ');
          if (reportedCycles.has(key)) return;
          reportedCycles.add(key);
          errors.push(
            new ImageLayersError({
              code: 'requirement-cycle',
              unit: requirer,
              location: location(),
              message: `the requirements of ${names.map((name) => `"${name}"`).join(' -> ')} form a cycle (each needs what the next provides): no order of these layers meets them all`,
              fix: 'break the cycle: drop one of these requirements, or move what one of them needs into a layer listed before all of them',
            }),
          );
          return;
        }
        errors.push(
          new ImageLayersError({
            code: 'requirement-order',
            unit: requirer,
            location: location(),
            message: `"${requirer}" requires ${requirement}, which "${providerName}" provides, but "${providerName}" is listed after it`,
            fix: `move "${providerName}" above "${requirer}" in "layers"`,
          }),
        );
        return;
      }
      const candidates = workspaceLayers()
        .filter((layer) => capabilitiesOf(layer).includes(requirement))
        .map((layer) => layer.name);
      errors.push(
        new ImageLayersError({
          code: 'missing-requirement',
          unit: requirer,
          location: location(),
          message: `"${requirer}" requires ${requirement}, which no listed layer provides`,
          fix: candidates.length
            ? `add ${candidates.map((name) => `"${name}"`).join(' or ')} to "layers" before "${requirer}"`
            : `no layer in the workspace provides ${requirement}: add a layer with it in "provides", or drop the requirement`,
        }),
      );
    });
  };
  layers.forEach((layer, index) =>
    check(layer.name, layer.manifest.requires, index, () => at(index), layer.source),
  );
  check(image.name, image.manifest.requires, layers.length, () => image.source.locate(['requires']));
  return errors;
}
