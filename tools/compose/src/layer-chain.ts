import type { LayerSummary } from '@image-layers/manifest/lenient';
import { isAptCapability, offers } from './capabilities';

// Which layers a layer's image test builds before it: the base, and the layers its `requires` resolve to,
// transitively, each before what needs it. The Nx plugin uses the same function for the layer -> layer edges,
// so the graph, the cache inputs and the build always agree. What meets a requirement is capabilities.ts's.

export type ChainResult = { layers: string[] } | { error: string; fix: string };

type Problem = { error: string; fix: string };

/**
 * The layers to build for `target`'s image test, in build order, ending with `target`. `explicit` (image-test.json
 * "layers") replaces the resolution. A requirement nobody offers, or that two layers offer, is an error with a fix.
 * An `apt:` requirement is met by any layer of the chain (the base's one apt step installs every chain member's
 * packages), so it pulls in a provider only when no member declares the package.
 */
export function resolveTestChain(all: LayerSummary[], target: string, explicit?: string[]): ChainResult {
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

  const fix = `list the layers to build before "${target}" in its test/image-test.json: "layers": ["base-os", ...]`;
  /** The one layer other than `requirer` that offers `capability`, or the problem. */
  const providerOf = (requirer: LayerSummary, capability: string): LayerSummary | Problem => {
    const providers = all.filter(
      (candidate) => candidate.name !== requirer.name && offers(candidate, capability),
    );
    if (providers.length === 1) return providers[0]!;
    return {
      error:
        providers.length === 0
          ? `"${requirer.name}" requires ${capability}, which no layer in packages/ provides`
          : `"${requirer.name}" requires ${capability}, which ${providers.map((p) => `"${p.name}"`).join(' and ')} all provide`,
      fix,
    };
  };

  const roots: LayerSummary[] = [];
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
    roots.push(bases[0]!);
  }

  // Ordered capabilities first; then the apt requirements no member meets pull in their providers, placed
  // before the target, and the chain is resolved again, until every apt requirement is met.
  for (let round = 0; round <= all.length; round++) {
    const order: string[] = [];
    const visiting = new Set<string>();
    let problem: Problem | undefined;
    const visit = (layer: LayerSummary) => {
      if (problem || order.includes(layer.name) || visiting.has(layer.name)) return;
      visiting.add(layer.name);
      for (const capability of layer.requires.filter((requirement) => !isAptCapability(requirement))) {
        const provider = providerOf(layer, capability);
        if ('error' in provider) {
          problem = provider;
          return;
        }
        visit(provider);
      }
      visiting.delete(layer.name);
      order.push(layer.name);
    };
    for (const root of [...roots, self]) visit(root);
    if (problem) return problem;

    const members = order.map((name) => byName.get(name)!);
    const unmet = members.flatMap((member) =>
      member.requires
        .filter((requirement) => isAptCapability(requirement))
        .filter((requirement) => !members.some((other) => offers(other, requirement)))
        .map((requirement) => ({ member, requirement })),
    );
    if (unmet.length === 0) return { layers: order };
    for (const { member, requirement } of unmet) {
      const provider = providerOf(member, requirement);
      if ('error' in provider) return provider;
      if (!roots.includes(provider)) roots.push(provider);
    }
  }
  return { error: `the requirements of "${target}" do not settle on one chain`, fix };
}
