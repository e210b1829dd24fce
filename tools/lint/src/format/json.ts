import type { Finding } from '../types';
import { displayPath } from './paths';

/** `--format json`: an array of findings, each file, line, column, code, severity, message. */
export function formatJson(findings: Finding[], cwd: string): string {
  const shown = findings.map(({ file, line, column, code, severity, message }) => ({
    file: displayPath(file, cwd),
    line,
    column,
    code,
    severity,
    message,
  }));
  return `${JSON.stringify(shown, null, 2)}\n`;
}
