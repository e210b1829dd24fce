import { isAbsolute, relative, sep } from 'node:path';

/** A finding's file as the user names it: relative to `cwd` when inside it, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const shown = isAbsolute(file) ? relative(cwd, file) : file;
  return (shown.startsWith('..') || shown === '' ? file : shown).split(sep).join('/');
}
