import { defineRule, hit, runs } from '../rule';

export const IL0001 = defineRule({
  code: 'IL0001',
  severity: 'error',
  doc: 'A RUN body is valid shell: the shell parser reads all of it.',
  message: 'The shell cannot parse this RUN here; the build would fail with a syntax error',
  *check({ doc }) {
    for (const { run } of runs(doc)) {
      const first = run.shell.errors[0];
      // An unterminated heredoc is IL0002's finding; the parser's complaint about it would say it twice.
      if (run.shell.unread)
        yield hit(
          run.at(first ?? 0),
          `The linter stops reading this RUN here: ${run.shell.unread}; no rule checked the rest of it, so split it into smaller steps or a script the layer ships`,
        );
      else if (first !== undefined && !run.body.unterminatedHeredoc) yield hit(run.at(first));
    }
  },
});
