import { atWord, commands, defineRule, hit } from '../rule';

export const DL3003 = defineRule({
  code: 'DL3003',
  severity: 'warning',
  doc: 'Use WORKDIR instead of `cd` in a RUN.',
  message: 'Use WORKDIR to switch to a directory',
  *check({ doc }) {
    for (const { run, command } of commands(doc))
      if (command.name === 'cd') yield hit(atWord(run, command.word));
  },
});
