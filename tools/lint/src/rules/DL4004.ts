import { atInstruction, defineRule, hit, stageInstructions } from '../rule';

export const DL4004 = defineRule({
  code: 'DL4004',
  severity: 'error',
  doc: 'A stage has one ENTRYPOINT: only the last one takes effect.',
  message:
    'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
  *check({ doc }) {
    const seen = new Set<number>();
    for (const instruction of stageInstructions(doc, 'ENTRYPOINT')) {
      if (seen.has(instruction.stage)) yield hit(atInstruction(instruction));
      seen.add(instruction.stage);
    }
  },
});
