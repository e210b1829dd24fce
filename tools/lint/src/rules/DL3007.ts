import type { From } from 'dockerfile-ast';
import { defineRule, hit, stageInstructions } from '../rule';

export const DL3007 = defineRule({
  code: 'DL3007',
  severity: 'warning',
  doc: 'FROM must not use the `latest` tag.',
  message:
    'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  *check({ doc }) {
    for (const instruction of stageInstructions(doc, 'FROM')) {
      const from = instruction.node as From;
      const range = from.getImageTagRange();
      if (from.getImageTag() === 'latest' && !from.getImageDigest() && range)
        yield hit({ line: range.start.line, column: range.start.character });
    }
  },
});
