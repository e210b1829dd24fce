import { atWord, commands, defineRule, flagValues, hasFlag, hit } from '../rule';

export const DL3046 = defineRule({
  code: 'DL3046',
  severity: 'warning',
  doc: '`useradd` with a long UID needs -l (--no-log-init), or lastlog makes the image huge.',
  message: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (command.name !== 'useradd' || hasFlag(command, 'l', 'no-log-init')) continue;
      if (flagValues(command, 'u', 'uid').some((uid) => uid.length > 5)) yield hit(atWord(run, command.word));
    }
  },
});
