import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ruleByCode } from './rules';
import { findSecrets } from './secrets';
import type { Finding, Severity } from './types';

// The files a layer puts into the image: shell scripts go through shellcheck (Debian's package), and
// every text file is searched for credential-shaped literals. Findings join the Dockerfile's report.

export class ToolMissingError extends Error {}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
    );
}

const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+)?(sh|bash|dash|ksh)\b/;

/** The text files under a unit's files/ folder, and which of them are shell scripts. */
export function unitFiles(filesDir: string): { texts: string[]; scripts: string[] } {
  const texts: string[] = [];
  const scripts: string[] = [];
  for (const file of walk(filesDir)) {
    if (statSync(file).size > 1_000_000) continue;
    const head = readFileSync(file).subarray(0, 4096);
    if (head.includes(0)) continue;
    texts.push(file);
    if (SHELL_SHEBANG.test(head.toString('utf8')) || /\.(sh|bash)$/.test(file)) scripts.push(file);
  }
  return { texts, scripts };
}

interface ShellcheckComment {
  file: string;
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/** Runs shellcheck on scripts; its findings use shellcheck's codes (SC2086) and levels. */
export function shellcheck(scripts: string[]): Finding[] {
  if (scripts.length === 0) return [];
  const result = spawnSync('shellcheck', ['--format=json1', '--external-sources', ...scripts], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error)
    throw new ToolMissingError(
      'shellcheck is not installed; the linter runs it on every layer script: apt-get install -y shellcheck',
    );
  if (result.status !== 0 && result.status !== 1)
    throw new ToolMissingError(`shellcheck failed (exit ${result.status}): ${result.stderr.trim()}`);
  const { comments } = JSON.parse(result.stdout || '{"comments":[]}') as { comments: ShellcheckComment[] };
  return comments.map((comment) => ({
    file: comment.file,
    line: comment.line,
    column: comment.column,
    code: `SC${comment.code}`,
    severity: (['error', 'warning', 'info', 'style'].includes(comment.level)
      ? comment.level
      : 'warning') as Severity,
    message: comment.message,
  }));
}

/** IL1007 for files a unit copies into the image. */
export function secretsInFiles(files: string[]): Finding[] {
  const rule = ruleByCode.get('IL1007')!;
  return files.flatMap((file) =>
    findSecrets(readFileSync(file, 'utf8')).map((secret) => ({
      file,
      line: secret.line + 1,
      column: secret.column + 1,
      code: rule.code,
      severity: rule.severity,
      message: `This looks like ${secret.kind}: a credential in a file the image ships is readable by anyone with the image; pass it at run time`,
    })),
  );
}
