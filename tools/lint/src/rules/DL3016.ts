import { atWord, commands, defineRule, hit, positional } from '../rule';

function pinned(spec: string): boolean {
  if (/^git(\+(ssh|https?))?:\/\//.test(spec)) return spec.includes('#');
  if (/\.(tar|tar\.gz|tgz)$/.test(spec) || /^(\/|\.\/|\.\.\/|~\/)/.test(spec)) return true;
  return (spec.startsWith('@') ? spec.slice(spec.indexOf('/') + 1) : spec).includes('@');
}

export const DL3016 = defineRule({
  code: 'DL3016',
  severity: 'warning',
  doc: 'Pin every package of `npm install` as name@version.',
  message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (command.name !== 'npm') continue;
      const words = positional(command);
      if (words[0]?.value !== 'install') continue;
      for (const spec of words.slice(1)) if (!pinned(spec.value)) yield hit(atWord(run, spec));
    }
  },
});
