import { atWord, commands, defineRule, hasFlag, hit, is } from '../rule';

export const DL3014 = defineRule({
  code: 'DL3014',
  severity: 'warning',
  doc: '`apt-get install` must answer yes by itself (-y).',
  message: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (is(command, 'apt-get', 'install') && !hasFlag(command, 'y', 'yes', 'q', 'assume-yes'))
        yield hit(atWord(run, command.word));
    }
  },
});
