import type { LintDocument } from './document';
import type { LintUnit } from './types';

/** What a rule sees: the parsed document, the units it was composed from, and the config it honours. */
export interface RuleContext {
  doc: LintDocument;
  /** The units (layer and image fragments) of a composed Dockerfile, or the one fragment linted; empty for a plain Dockerfile. */
  units: LintUnit[];
  unitAt(line: number): LintUnit | undefined;
  /** .hadolint.yaml `trustedRegistries`: when not empty, FROM may only name these registries. */
  trustedRegistries: string[];
}

export function makeContext(
  doc: LintDocument,
  units: LintUnit[],
  trustedRegistries: string[] = [],
): RuleContext {
  const byLine: (LintUnit | undefined)[] = [];
  for (const unit of units)
    for (let line = unit.firstLine; line < unit.firstLine + unit.lineCount; line++) byLine[line] = unit;
  return { doc, units, unitAt: (line) => byLine[line], trustedRegistries };
}
