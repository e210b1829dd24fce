import { atWord, commands, defineRule, hasFlag, hit, is } from '../rule';

export const DL3015 = defineRule({
  code: 'DL3015',
  severity: 'info',
  doc: '`apt-get install` must not pull recommended packages (--no-install-recommends).',
  message: 'Avoid additional packages by specifying `--no-install-recommends`',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (!is(command, 'apt-get', 'install')) continue;
      if (
        hasFlag(command, 'no-install-recommends') ||
        command.args.some((arg) => arg.value === 'APT::Install-Recommends=false')
      )
        continue;
      yield hit(atWord(run, command.word));
    }
  },
});
