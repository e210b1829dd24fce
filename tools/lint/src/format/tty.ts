import type { Finding, Severity } from '../types';
import { displayPath } from './paths';

const COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36', style: '90' };

/** `--format tty`: one line a finding, `file:line:column CODE severity: message`, then a count. */
export function formatTty(findings: Finding[], cwd: string, color = false): string {
  const paint = (severity: Severity) => (color ? `\u001b[${COLOR[severity]}m${severity}\u001b[0m` : severity);
  const lines = findings.map(
    (f) => `${displayPath(f.file, cwd)}:${f.line}:${f.column} ${f.code} ${paint(f.severity)}: ${f.message}`,
  );
  const counts = (['error', 'warning', 'info', 'style'] as const)
    .map((severity) => [severity, findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, n]) => n > 0);
  lines.push(
    findings.length === 0
      ? 'no findings'
      : `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
