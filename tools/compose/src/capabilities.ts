// The one capability model: what a layer offers to the layers after it, used both by the composer's check of an
// image's order (requirements.ts) and by the resolver of the layers an image test builds a layer on
// (layer-chain.ts), which the Nx plugin also uses for its layer -> layer edges. One definition, so the
// composer, the harness and the graph cannot disagree about what meets a requirement.

/** The part of a layer this model reads; a strictly loaded layer's manifest and a lenient summary both fit. */
export interface LayerOffer {
  name: string;
  provides: readonly string[];
  aptPackages: readonly string[];
}

/** `apt:<package>` for an apt package as a manifest writes it (`git` or `git=1:2.39*`). */
export const aptCapability = (pkg: string): string => `apt:${pkg.split('=')[0]}`;

export const isAptCapability = (capability: string): boolean => capability.startsWith('apt:');

/**
 * What a layer offers: its own name, its declared capabilities, and its apt packages. Every apt package any
 * layer of an image declares is installed by the base layer's one apt step, so an `apt:` capability is met by
 * any layer of the image, wherever it is listed; every other capability only by a layer listed before.
 */
export function capabilitiesOf(layer: LayerOffer): string[] {
  return [layer.name, ...layer.provides, ...layer.aptPackages.map(aptCapability)];
}

export const offers = (layer: LayerOffer, capability: string): boolean =>
  capabilitiesOf(layer).includes(capability);
