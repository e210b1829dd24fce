import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { readHead } from '@image-layers/compose/shipped-files';
import { ruleByCode } from './rules/index';
import { findSecrets } from './secrets';
import type { Finding, Severity } from './types';

// The files a layer puts into the image: shell scripts go through shellcheck (Debian's package), and
// every text file is searched for credential-shaped literals. Findings join the Dockerfile's report.

export class ToolMissingError extends Error {}

const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+)?(sh|bash|dash|ksh)\b/;

/**
 * Of the files a unit ships (the composer's list: see compose/shipped-files.ts), the text files and, among
 * them, the shell scripts. A file with a NUL in its first 4 kB is binary and is not searched.
 */
export function classifyShipped(files: string[]): { texts: string[]; scripts: string[] } {
  const texts: string[] = [];
  const scripts: string[] = [];
  for (const file of files) {
    const head = readHead(file, 4096);
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

/** Lines of a file, read a megabyte at a time: a shipped file of any size is searched in bounded memory. */
function* linesOf(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    // Decodes UTF-8 across chunk ends, so a character split between two reads is read whole.
    const decoder = new StringDecoder('utf8');
    let partial = '';
    for (let position = 0; ;) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      const lines = (partial + decoder.write(chunk.subarray(0, read))).split('\n');
      partial = lines.pop()!;
      // A "line" of megabytes is data, not configuration: only its first 64 kB are searched.
      if (partial.length > 1 << 16) partial = partial.slice(0, 1 << 16);
      yield* lines;
    }
    yield partial;
  } finally {
    closeSync(fd);
  }
}

/** IL1007 for files a unit copies into the image. */
export function secretsInFiles(files: string[]): Finding[] {
  const rule = ruleByCode.get('IL1007')!;
  const findings: Finding[] = [];
  for (const file of files) {
    let line = 0;
    for (const text of linesOf(file)) {
      line++;
      for (const secret of findSecrets(text))
        findings.push({
          file,
          line,
          column: secret.column + 1,
          code: rule.code,
          severity: rule.severity,
          message: `This looks like ${secret.kind}: a credential in a file the image ships is readable by anyone with the image; pass it at run time`,
        });
    }
  }
  return findings;
}
