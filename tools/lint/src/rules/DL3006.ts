import type { From } from 'dockerfile-ast';
import { atFirstArgument, defineRule, hit, stageInstructions } from '../rule';

export const DL3006 = defineRule({
  code: 'DL3006',
  severity: 'warning',
  doc: 'FROM must name a tag or a digest (scratch, an earlier stage and a variable are fine).',
  message: 'Always tag the version of an image explicitly',
  *check({ doc }) {
    const aliases = new Set<string>();
    for (const instruction of stageInstructions(doc, 'FROM')) {
      const from = instruction.node as From;
      const image = from.getImageName() ?? '';
      const known = aliases.has(image.toLowerCase());
      const alias = from.getBuildStage();
      if (alias) aliases.add(alias.toLowerCase());
      if (
        image === '' ||
        image === 'scratch' ||
        known ||
        image.includes('$') ||
        (from.getImage() ?? '').includes('$')
      )
        continue;
      if (from.getImageTag() || from.getImageDigest()) continue;
      yield hit(atFirstArgument(instruction));
    }
  },
});
