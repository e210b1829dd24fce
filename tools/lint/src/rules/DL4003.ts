import { atInstruction, defineRule, hit, stageInstructions } from '../rule';

export const DL4003 = defineRule({
  code: 'DL4003',
  severity: 'warning',
  doc: 'A stage has one CMD: only the last one takes effect.',
  message:
    'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
  *check({ doc }) {
    const seen = new Set<number>();
    for (const instruction of stageInstructions(doc, 'CMD')) {
      if (seen.has(instruction.stage)) yield hit(atInstruction(instruction));
      seen.add(instruction.stage);
    }
  },
});
