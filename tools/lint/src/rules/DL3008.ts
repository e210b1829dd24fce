import { after, atWord, commands, defineRule, hit, is, positional } from '../rule';

export const DL3008 = defineRule({
  code: 'DL3008',
  severity: 'warning',
  doc: 'Pin every package of `apt-get install` as name=version.',
  message:
    'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (!is(command, 'apt-get', 'install')) continue;
      for (const name of after(positional(command, ['t', 'target-release', 'o', 'c']), ['install'])) {
        if (name.value.includes('=') || name.value.includes('/') || name.value.endsWith('.deb')) continue;
        yield hit(atWord(run, name));
      }
    }
  },
});
