import { atInstruction, defineRule, hit, instructions } from '../rule';

export const DL4000 = defineRule({
  code: 'DL4000',
  severity: 'error',
  doc: 'MAINTAINER is deprecated: use LABEL maintainer=...',
  message: 'MAINTAINER is deprecated',
  *check({ doc }) {
    for (const instruction of instructions(doc, 'MAINTAINER')) yield hit(atInstruction(instruction));
  },
});
