import { atInstruction, defineRule, hit, withTriggers } from '../rule';
import { KNOWN_INSTRUCTIONS } from '../document';

export const IL0004 = defineRule({
  code: 'IL0004',
  severity: 'error',
  doc: 'Every instruction has its arguments.',
  message: 'Instruction without arguments',
  *check({ doc }) {
    for (const instruction of withTriggers(doc)) {
      if (KNOWN_INSTRUCTIONS.has(instruction.keyword) && instruction.node.getArguments().length === 0)
        yield hit(atInstruction(instruction), `${instruction.keyword} has no arguments: Docker refuses it`);
    }
  },
});
