import { atInstruction, defineRule, hit } from '../rule';
import { KNOWN_INSTRUCTIONS } from '../document';

export const IL0003 = defineRule({
  code: 'IL0003',
  severity: 'error',
  doc: 'Every instruction is one Docker knows.',
  message: 'Unknown instruction',
  *check({ doc }) {
    for (const instruction of doc.instructions) {
      if (!KNOWN_INSTRUCTIONS.has(instruction.keyword))
        yield hit(
          atInstruction(instruction),
          `Unknown instruction ${instruction.node.getInstruction()}: Docker refuses it (known: ${[...KNOWN_INSTRUCTIONS].join(', ')})`,
        );
    }
  },
});
