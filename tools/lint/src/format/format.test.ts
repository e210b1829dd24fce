import { describe, expect, test } from 'vitest';
import type { Finding } from '../types';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatTty } from './tty';

const findings: Finding[] = [
  {
    file: '/ws/packages/base-os/layer.Dockerfile',
    line: 12,
    column: 7,
    code: 'DL3008',
    severity: 'warning',
    message: 'Pin versions',
  },
  {
    file: '/ws/packages/git-auth/files/scripts/a b.sh',
    line: 3,
    column: 1,
    code: 'SC2086',
    severity: 'info',
    message: 'Double quote',
  },
];

describe('output formats', () => {
  test('json is an array of file, line, column, code, severity, message with paths relative to the working folder', () => {
    expect(JSON.parse(formatJson(findings, '/ws'))).toEqual([
      {
        file: 'packages/base-os/layer.Dockerfile',
        line: 12,
        column: 7,
        code: 'DL3008',
        severity: 'warning',
        message: 'Pin versions',
      },
      {
        file: 'packages/git-auth/files/scripts/a b.sh',
        line: 3,
        column: 1,
        code: 'SC2086',
        severity: 'info',
        message: 'Double quote',
      },
    ]);
    expect(JSON.parse(formatJson([], '/ws'))).toEqual([]);
  });
  test('sarif is a 2.1.0 log: every rule described, each result with its level and region', () => {
    const log = JSON.parse(formatSarif(findings, '/ws'));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(['DL3008', 'IL1001', 'IL1008', 'SC2086']));
    expect(run.results[0]).toMatchObject({
      ruleId: 'DL3008',
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'packages/base-os/layer.Dockerfile', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, startColumn: 7 },
          },
        },
      ],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'SC2086', level: 'note' });
    expect(run.results[1].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'packages/git-auth/files/scripts/a%20b.sh',
    );
    expect(ids[run.results[1].ruleIndex]).toBe('SC2086');
  });
  test('tty is one line a finding, file:line:column CODE severity: message, then a count', () => {
    expect(formatTty(findings, '/ws')).toBe(
      'packages/base-os/layer.Dockerfile:12:7 DL3008 warning: Pin versions\npackages/git-auth/files/scripts/a b.sh:3:1 SC2086 info: Double quote\n2 findings (1 warning, 1 info)\n',
    );
    expect(formatTty([], '/ws')).toBe('no findings\n');
  });
});
