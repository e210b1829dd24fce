import { defineRule, hit } from '../rule';

export const IL0005 = defineRule({
  code: 'IL0005',
  severity: 'error',
  doc: 'A Dockerfile is text, not a binary file.',
  message: 'This is not a Dockerfile: it holds binary data (NUL or control bytes)',
  *check({ doc }) {
    if (doc.binary) yield hit({ line: 0, column: 0 });
  },
});
