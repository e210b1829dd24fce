// Which layers a layer's image test builds before it: the base, and the layers its `requires` resolve to,
// transitively, each before what needs it. The Nx plugin uses the same function for the layer -> layer edges,
// so the graph, the cache inputs and the build always agree.

/** The part of a layer.json this needs; read leniently, so a broken manifest never breaks the graph. */
export interface LayerSummary {
  name: string;
  base: boolean;
  requires: string[];
  provides: string[];
  aptPackages: string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** A LayerSummary from a parsed layer.json, or undefined when it has no name. */
export function summarizeLayer(manifest: unknown): LayerSummary | undefined {
  const json = (manifest ?? {}) as Record<string, unknown>;
  if (typeof json.name !== 'string') return undefined;
  return {
    name: json.name,
    base: json.base === true,
    requires: strings(json.requires),
    provides: strings(json.provides),
    aptPackages: strings(json.aptPackages),
  };
}

const packageName = (pkg: string) => pkg.split('=')[0]!;

function offers(layer: LayerSummary, capability: string): boolean {
  return (
    capability === layer.name ||
    layer.provides.includes(capability) ||
    layer.aptPackages.some((pkg) => `apt:${packageName(pkg)}` === capability)
  );
}

export type ChainResult = { layers: string[] } | { error: string; fix: string };

/**
 * The layers to build for `target`'s image test, in build order, ending with `target`. `explicit` (image-test.json
 * "layers") replaces the resolution. A requirement nobody offers, or that two layers offer, is an error with a fix.
 */
export function testChain(all: LayerSummary[], target: string, explicit?: string[]): ChainResult {
  const byName = new Map(all.map((layer) => [layer.name, layer]));
  const self = byName.get(target);
  if (!self) return { error: `no layer named "${target}"`, fix: 'check the folder name under packages/' };
  if (explicit) {
    const unknown = explicit.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      return {
        error: `"layers" names ${unknown.map((n) => `"${n}"`).join(', ')}, which no folder under packages/ holds`,
        fix: `use names of: ${[...byName.keys()].join(', ')}`,
      };
    }
    return { layers: [...explicit.filter((name) => name !== target), target] };
  }

  const order: string[] = [];
  const visiting = new Set<string>();
  let problem: { error: string; fix: string } | undefined;
  const visit = (layer: LayerSummary) => {
    if (problem || order.includes(layer.name) || visiting.has(layer.name)) return;
    visiting.add(layer.name);
    for (const capability of layer.requires) {
      // A package is installed by the base's one apt step, whichever listed layer declares it.
      if (
        capability.startsWith('apt:') &&
        [...visiting, ...order].some((name) => offers(byName.get(name)!, capability))
      )
        continue;
      const providers = all.filter(
        (candidate) => candidate.name !== layer.name && offers(candidate, capability),
      );
      if (providers.length !== 1) {
        problem = {
          error:
            providers.length === 0
              ? `"${layer.name}" requires ${capability}, which no layer in packages/ provides`
              : `"${layer.name}" requires ${capability}, which ${providers.map((p) => `"${p.name}"`).join(' and ')} all provide`,
          fix: `list the layers to build before "${target}" in its test/image-test.json: "layers": ["base-os", ...]`,
        };
        return;
      }
      visit(providers[0]!);
    }
    visiting.delete(layer.name);
    order.push(layer.name);
  };

  if (!self.base) {
    const bases = all.filter((layer) => layer.base);
    if (bases.length !== 1) {
      return {
        error:
          bases.length === 0
            ? 'no layer in packages/ is a base ("base": true)'
            : `several base layers (${bases.map((b) => b.name).join(', ')})`,
        fix: `name the base and the layers to build before "${target}" in its test/image-test.json: "layers": [...]`,
      };
    }
    visit(bases[0]!);
  }
  visit(self);
  return problem ?? { layers: order };
}
