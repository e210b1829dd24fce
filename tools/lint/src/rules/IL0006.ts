import { defineRule, hit } from '../rule';

export const IL0006 = defineRule({
  code: 'IL0006',
  severity: 'error',
  doc: 'A Dockerfile or fragment has at least one instruction.',
  message:
    'No instructions: Docker refuses an empty Dockerfile, and an empty fragment adds nothing to an image',
  *check({ doc }) {
    if (!doc.binary && doc.instructions.length === 0) yield hit({ line: 0, column: 0 });
  },
});
