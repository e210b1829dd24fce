import type { Position } from '@image-layers/manifest/dockerfile-model';
import type { SourceLocation } from '@image-layers/manifest/errors';
import type { LineRange } from '@image-layers/manifest/line-index';
// The linter's vocabulary: what a finding is, what a rule is and what a rule sees. Rules, formatters, the
// engine and the CLI all speak it, so a rule module reads like every other.

export type Severity = 'error' | 'warning' | 'info' | 'style';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'style'];
const rank: Record<Severity, number> = { error: 3, warning: 2, info: 1, style: 0 };

/** A failure threshold: a severity, or `none` (hadolint also says `ignore`) for "never fail". */
export type Threshold = Severity | 'none';
export function reaches(severity: Severity, threshold: Threshold): boolean {
  return threshold !== 'none' && rank[severity] >= rank[threshold];
}
export function parseThreshold(value: string): Threshold | undefined {
  if (value === 'ignore' || value === 'none') return 'none';
  return (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : undefined;
}

/** A 0-based position in the text being linted: the Dockerfile model's one shape of a place. */
export type { Position };

/** What the user reads: a place as every tool reports one (1-based line and column in the file they wrote). */
export interface Finding extends Required<SourceLocation> {
  code: string;
  severity: Severity;
  message: string;
}

/** A rule's verdict at one place; the engine adds the code, severity, file and source mapping. */
export interface Hit {
  at: Position;
  /** Overrides the rule's message when the place needs saying more. */
  message?: string;
}

/** One unit of a composed Dockerfile (or the one fragment being linted) and where it came from. */
export interface LintUnit extends LineRange {
  name: string;
  kind: 'layer' | 'image';
  /** The fragment file the user edits (absolute). */
  file: string;
  // firstLine and lineCount: the lines of the linted text that came from `file`.
  /** The 0-based line of `file` where the unit's own lines start (a composed image holds a fragment in two parts). */
  sourceLine?: number;
  /** Lines at the top and at the end of the unit that the composer wrote (USER and WORKDIR written back). */
  composerLines?: number;
  closingLines?: number;
  /** What the unit's manifest declares, for layer-aware rules. Undefined for a plain Dockerfile. */
  grants?: string[];
  provides?: string[];
  /** Paths inside the image that the unit's COPY/ADD instructions create (absolute). */
  owns?: string[];
}

export interface Rule {
  /** Stable code: hadolint's (DLxxxx) for its rules, ILxxxx for ours. */
  code: string;
  severity: Severity;
  /** What the rule asks for, in one line (docs/rules.md and SARIF take it from here). */
  doc: string;
  /** The default message of a hit. */
  message: string;
  /** Its findings show only in a composed image: in a layer fragment linted alone, a pragma for it is not stale. */
  composedOnly?: boolean;
  check(context: import('./context').RuleContext): Iterable<Hit>;
}
