import { after, atWord, commands, defineRule, hasFlag, hit, positional } from '../rule';
import { isPipInstall } from './pip';

const TAKING_VALUES = [
  'abi',
  'b',
  'build',
  'e',
  'editable',
  'extra-index-url',
  'f',
  'find-links',
  'i',
  'index-url',
  'implementation',
  'no-binary',
  'only-binary',
  'platform',
  'prefix',
  'progress-bar',
  'proxy',
  'python-version',
  'root',
  'src',
  't',
  'target',
  'trusted-host',
  'upgrade-strategy',
  'm',
];
const VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;

function pinned(spec: string): boolean {
  if (['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((symbol) => spec.includes(symbol))) return true;
  if (VCS.test(spec)) return spec.includes('@');
  return spec.endsWith('.whl') || spec.endsWith('.tar.gz') || spec.includes('/');
}

export const DL3013 = defineRule({
  code: 'DL3013',
  severity: 'warning',
  doc: 'Pin every package of `pip install` (==, >=, a wheel, a path) or install from a requirements file.',
  message:
    'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
  *check({ doc }) {
    for (const { run, command } of commands(doc)) {
      if (!isPipInstall(command) || hasFlag(command, 'r', 'requirement', 'c', 'constraint')) continue;
      const packages = after(positional(command, TAKING_VALUES), ['install']);
      if (packages.some((word) => word.value === '.')) continue;
      for (const spec of packages) if (!pinned(spec.value)) yield hit(atWord(run, spec));
    }
  },
});
