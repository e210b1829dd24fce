import { atFirstArgument, defineRule, hit, stageInstructions } from '../rule';
import type { LintInstruction } from '../document';

const isRoot = (user: string) =>
  user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');

export const DL3002 = defineRule({
  code: 'DL3002',
  severity: 'warning',
  doc: 'The last USER of a stage must not be root.',
  message: 'Last USER should not be root.',
  *check({ doc }) {
    const lastUser = new Map<number, LintInstruction>();
    for (const user of stageInstructions(doc, 'USER')) lastUser.set(user.stage, user);
    for (const user of lastUser.values()) {
      if (isRoot((user.node.getArgumentsContent() ?? '').trim())) yield hit(atFirstArgument(user));
    }
  },
});
