import { emptyConfig, type LintConfig } from './config';
import { makeContext } from './context';
import { parseDocument } from './document';
import { parsePragmas, suppressor } from './pragmas';
import { RULES, ruleByCode } from './rules/index';
import { loadShellParser, shellParserNeeded } from './shell';
import type { Finding, Position, Rule, LintUnit } from './types';
import { sourceLineOf } from '@image-layers/manifest/line-index';

export interface LintRequest {
  /** The Dockerfile text: a fragment, a composed Dockerfile or any Dockerfile. */
  text: string;
  /** The file a finding names when its line comes from no unit (a plain Dockerfile, a composed file's banner). */
  file: string;
  /** Where the lines came from: each finding is reported at its unit's file and line (the source map). */
  units?: LintUnit[];
  config?: LintConfig;
  /** The rules to run (all of them by default). */
  rules?: readonly Rule[];
}

/** Lints Dockerfile text: every rule, then pragmas, then the config's ignores and severity overrides. */
export async function lintText(request: LintRequest): Promise<Finding[]> {
  const config = request.config ?? emptyConfig();
  const units = request.units ?? [];
  const doc = parseDocument(request.text);
  const scripts = doc.instructions
    .flatMap((instruction) => [instruction.run, instruction.trigger?.run])
    .flatMap((run) => (run && !run.body.notShell ? [run.body.script] : []));
  if (shellParserNeeded(scripts)) await loadShellParser();
  const context = makeContext(doc, units, config.trustedRegistries);
  const rules = request.rules ?? RULES;
  const pragmas = config.disableIgnorePragma ? [] : parsePragmas(doc);
  const raw: { code: string; at: Position; message: string }[] = [];
  for (const rule of doc.binary ? rules.filter((r) => r.code === 'IL0005') : rules) {
    for (const found of rule.check(context)) {
      const pragma = suppressor(doc, pragmas, rule.code, found.at.line, context.unitAt);
      if (pragma) pragma.used.add(rule.code);
      else raw.push({ code: rule.code, at: found.at, message: found.message ?? rule.message });
    }
  }
  // A pragma for a rule this run knows that suppressed nothing is stale (codes of rules not run are left alone,
  // and so are rules that only a composed image can show when one fragment is linted alone).
  const alone = units.length === 1;
  const active = new Set(rules.filter((rule) => !(alone && rule.composedOnly)).map((rule) => rule.code));
  for (const pragma of pragmas) {
    const stale = pragma.codes.filter(
      (code) => active.has(code) && !pragma.used.has(code) && !config.ignored.includes(code),
    );
    if (stale.length > 0 && active.has('IL0010')) {
      raw.push({
        code: 'IL0010',
        at: { line: pragma.line, column: 0 },
        message: `This ignore pragma for ${stale.join(', ')} suppresses nothing: remove it (or the code) so it cannot hide a future finding`,
      });
    }
  }
  const findings = raw.map(({ code, at, message }): Finding => {
    const unit = context.unitAt(at.line);
    return {
      file: unit?.file ?? request.file,
      line: (unit ? sourceLineOf(unit, at.line) : at.line) + 1,
      column: at.column + 1,
      code,
      severity: ruleByCode.get(code)!.severity,
      message,
    };
  });
  return sortFindings(applyConfig(findings, config));
}

/** The config's `ignored` and `override` keys, for findings of every origin (rules, shellcheck). */
export function applyConfig(findings: Finding[], config: LintConfig): Finding[] {
  return findings
    .filter((finding) => !config.ignored.includes(finding.code))
    .map((finding) => {
      for (const [severity, codes] of Object.entries(config.override)) {
        if (codes?.includes(finding.code)) return { ...finding, severity: severity as Finding['severity'] };
      }
      return finding;
    });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
