import { atFirstArgument, defineRule, hit, instructions } from '../rule';

export const DL3000 = defineRule({
  code: 'DL3000',
  severity: 'error',
  doc: 'WORKDIR must be an absolute path (or a variable).',
  message: 'Use absolute WORKDIR',
  *check({ doc }) {
    for (const workdir of instructions(doc, 'WORKDIR')) {
      const path = (workdir.node.getArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '');
      if (path === '' || path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path))
        continue;
      yield hit(atFirstArgument(workdir));
    }
  },
});
