import { execFileSync } from 'node:child_process';
import { requireTool } from '@image-layers/support/tools';

/**
 * Runs Debian's real shellcheck on a script and returns its findings as text (empty when clean).
 * The shell dialect comes from the script's shebang, so POSIX sh scripts are held to POSIX.
 */
export function shellcheckFindings(script: string): string {
  requireTool('shellcheck');
  try {
    execFileSync('shellcheck', ['--format=gcc', '--external-sources', script], { encoding: 'utf8' });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`.trim() || String(error);
  }
}
