import { atInstruction, defineRule, hit, withTriggers } from '../rule';
import { KNOWN_INSTRUCTIONS } from '../document';

/** What Docker's builder refuses after ONBUILD. */
const NOT_TRIGGERS = new Set(['FROM', 'MAINTAINER', 'ONBUILD']);

export const IL0003 = defineRule({
  code: 'IL0003',
  severity: 'error',
  doc: 'Every instruction is one Docker knows (and ONBUILD triggers one it allows).',
  message: 'Unknown instruction',
  *check({ doc }) {
    for (const instruction of withTriggers(doc)) {
      if (instruction.onbuild && NOT_TRIGGERS.has(instruction.keyword))
        yield hit(
          atInstruction(instruction),
          `ONBUILD ${instruction.keyword}: Docker refuses ${instruction.keyword} as an ONBUILD trigger (FROM, MAINTAINER and ONBUILD cannot be triggers)`,
        );
      else if (!KNOWN_INSTRUCTIONS.has(instruction.keyword))
        yield hit(
          atInstruction(instruction),
          `Unknown instruction ${instruction.node.getInstruction()}: Docker refuses it (known: ${[...KNOWN_INSTRUCTIONS].join(', ')})`,
        );
    }
  },
});
