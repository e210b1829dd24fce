import { atWord, commands, defineRule, hit } from '../rule';

export const DL3004 = defineRule({
  code: 'DL3004',
  severity: 'error',
  doc: 'Do not use sudo in a RUN; the build already runs as the USER it needs.',
  message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
  *check({ doc }) {
    for (const { run, command } of commands(doc))
      if (command.name === 'sudo') yield hit(atWord(run, command.word));
  },
});
