import type { From } from 'dockerfile-ast';
import { atFirstArgument, defineRule, hit, stageInstructions } from '../rule';

/** The registry of an image reference: its first part when that has a dot or a port or is localhost. */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : 'docker.io';
}

export const DL3026 = defineRule({
  code: 'DL3026',
  severity: 'error',
  doc: 'FROM may only name a registry listed in .hadolint.yaml `trustedRegistries` (when it lists any).',
  message: 'Use only an allowed registry in the FROM image',
  *check({ doc, trustedRegistries }) {
    if (trustedRegistries.length === 0) return;
    const aliases = new Set<string>();
    for (const instruction of stageInstructions(doc, 'FROM')) {
      const from = instruction.node as From;
      const image = from.getImage() ?? '';
      const known = aliases.has((from.getImageName() ?? '').toLowerCase());
      const alias = from.getBuildStage();
      if (alias) aliases.add(alias.toLowerCase());
      if (image === '' || image === 'scratch' || known || image.includes('$')) continue;
      const registry = registryOf(image);
      const trusted = trustedRegistries.some(
        (r) => r === registry || (registry === 'docker.io' && r === 'hub.docker.com'),
      );
      if (!trusted)
        yield hit(
          atFirstArgument(instruction),
          `Use only an allowed registry in the FROM image: ${registry} is not in trustedRegistries`,
        );
    }
  },
});
