import type { LintDocument } from './document';
import type { LintUnit } from './types';

// hadolint's pragmas: `# hadolint ignore=DL3008,DL3015` on the line above an instruction, and
// `# hadolint global ignore=DL3059` anywhere. A reason may follow after a second `#`:
//   # hadolint ignore=DL3008 # Debian's point releases are the pin

export interface Pragma {
  line: number;
  global: boolean;
  codes: string[];
  reason?: string;
  /** Codes this pragma suppressed at least once. */
  used: Set<string>;
}

const PRAGMA =
  /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)\s*(?:#\s*(.*))?$/;

export function parsePragmas(doc: LintDocument): Pragma[] {
  return doc.comments.flatMap((comment) => {
    const match = PRAGMA.exec(comment.text.trim());
    if (!match) return [];
    const codes = match[2]!.split(',').map((code) => code.trim().toUpperCase());
    return [
      {
        line: comment.line,
        global: Boolean(match[1]),
        codes,
        reason: match[3]?.trim() || undefined,
        used: new Set<string>(),
      },
    ];
  });
}

/**
 * Finds the pragma that suppresses `code` at `line`: an ignore in the block of pragma lines right above
 * the instruction holding the line, or a global ignore. In a composed Dockerfile a global ignore covers
 * only the fragment it is written in, as it did when the fragment was linted alone.
 */
export function suppressor(
  doc: LintDocument,
  pragmas: Pragma[],
  code: string,
  line: number,
  unitAt: (line: number) => LintUnit | undefined,
): Pragma | undefined {
  const instruction = doc.instructionAt(line);
  if (instruction) {
    const byLine = new Map(pragmas.filter((p) => !p.global).map((p) => [p.line, p]));
    for (let above = instruction.line - 1; byLine.has(above); above--) {
      if (byLine.get(above)!.codes.includes(code)) return byLine.get(above);
    }
  }
  const unit = unitAt(line);
  // A fragment's pragma for its whole file holds in both its parts (cache order cuts a fragment in two).
  return pragmas.find((p) => p.global && p.codes.includes(code) && unitAt(p.line)?.file === unit?.file);
}
