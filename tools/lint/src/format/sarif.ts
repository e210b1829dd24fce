import { RULES } from '../rules/index';
import type { Finding, Severity } from '../types';
import { displayPath } from './paths';

// `--format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  style: 'note',
};

function helpUri(code: string): string | undefined {
  if (code.startsWith('DL')) return `https://github.com/hadolint/hadolint/wiki/${code}`;
  if (code.startsWith('SC')) return `https://www.shellcheck.net/wiki/${code}`;
  return undefined;
}

export function formatSarif(findings: Finding[], cwd: string): string {
  const known = new Map(RULES.map((rule) => [rule.code, rule]));
  const codes = [...new Set([...RULES.map((rule) => rule.code), ...findings.map((finding) => finding.code)])];
  const rules = codes.map((code) => {
    const rule = known.get(code);
    const sample = findings.find((finding) => finding.code === code);
    const severity = rule?.severity ?? sample?.severity ?? 'warning';
    const uri = helpUri(code);
    return {
      id: code,
      shortDescription: { text: rule?.doc ?? `shellcheck ${code}` },
      defaultConfiguration: { level: LEVEL[severity] },
      ...(uri ? { helpUri: uri } : {}),
      properties: { severity },
    };
  });
  const index = new Map(codes.map((code, i) => [code, i]));
  const results = findings.map((finding) => ({
    ruleId: finding.code,
    ruleIndex: index.get(finding.code)!,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(displayPath(finding.file, cwd)), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, startColumn: finding.column },
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'image-layers lint', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
