import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RULES } from './rules/index';
import { RULES_DOC, rulesMarkdown } from './rules-doc';

describe('the rule documentation', () => {
  test('docs/rules.md is what the rules say about themselves (regenerate with `npx image-layers docs`)', () => {
    expect(readFileSync(RULES_DOC, 'utf8')).toBe(rulesMarkdown());
  });
  test('every rule has a stable code, a one-line doc and a message', () => {
    for (const rule of RULES) {
      expect(rule.code).toMatch(/^(DL|IL)\d{4}$/);
      expect(rule.doc).not.toContain('\n');
      expect(rule.doc.length).toBeGreaterThan(10);
      expect(rule.message.length).toBeGreaterThan(5);
    }
    expect(new Set(RULES.map((rule) => rule.code)).size).toBe(RULES.length);
  });
});
