import { defineRule, hit, runs } from '../rule';

export const IL0002 = defineRule({
  code: 'IL0002',
  severity: 'error',
  doc: 'Every heredoc of a RUN ends with its terminator line.',
  message: 'Unterminated heredoc',
  *check({ doc }) {
    for (const { run } of runs(doc)) {
      const open = run.body.unterminatedHeredoc;
      if (open)
        yield hit(
          doc.positionAt(open.offset),
          `The heredoc <<${open.name} never ends: add a line "${open.name}" after its body (everything below is swallowed into it)`,
        );
    }
  },
});
