import { emptyConfig } from '../config';
import { lintText } from '../engine';
import type { LintUnit } from '../types';
import { ruleByCode } from './index';

// What every rule test uses: lint a snippet with one rule (through the real engine, pragmas included) and
// read back where it fired. Positions are 1-based `line:column`, as a user sees them.

export interface Spot {
  at: string;
  message: string;
}

export interface UnitFixture {
  name: string;
  kind?: 'layer' | 'image';
  text: string;
  grants?: string[];
  provides?: string[];
  owns?: string[];
}

/** Fragments joined in order as the composer does, with the units that map their lines back. */
export function composed(fragments: UnitFixture[]): { text: string; units: LintUnit[] } {
  const lines: string[] = [];
  const units: LintUnit[] = fragments.map((fragment) => {
    const body = fragment.text.replace(/\s+$/, '').split('\n');
    lines.push(`# ---- ${fragment.name} ----`);
    const unit: LintUnit = {
      name: fragment.name,
      kind: fragment.kind ?? 'layer',
      file: `/ws/${fragment.name}/layer.Dockerfile`,
      firstLine: lines.length,
      lineCount: body.length,
      grants: fragment.grants ?? [],
      provides: fragment.provides ?? [],
      owns: fragment.owns ?? [],
    };
    lines.push(...body);
    return unit;
  });
  return { text: `${lines.join('\n')}\n`, units };
}

/** One layer's fragment linted alone, with what its manifest declares. */
export const layer = (fixture: UnitFixture) => composed([fixture]);

export async function run(
  code: string,
  input: string | { text: string; units: LintUnit[] },
  trustedRegistries: string[] = [],
): Promise<Spot[]> {
  const { text, units } = typeof input === 'string' ? { text: input, units: [] } : input;
  const config = { ...emptyConfig(), trustedRegistries };
  const findings = await lintText({
    text,
    file: 'Dockerfile',
    units,
    config,
    rules: [ruleByCode.get(code)!],
  });
  return findings.map((finding) => ({
    at: `${units.length > 0 ? `${finding.file.split('/')[2]}:` : ''}${finding.line}:${finding.column}`,
    message: finding.message,
  }));
}

/** Where the rule fired, as `line:column` (prefixed with the unit's name for composed input). */
export async function spots(
  code: string,
  input: string | { text: string; units: LintUnit[] },
  trustedRegistries: string[] = [],
): Promise<string[]> {
  return (await run(code, input, trustedRegistries)).map((spot) => spot.at);
}
