import { join } from 'node:path';
import { RULES } from './rules/index';

// docs/rules.md is generated from the rules' own one-line docs, so the list cannot drift from the code.
// Regenerate: npx image-layers docs (with the layer READMEs and the JSON Schemas)

export const RULES_DOC = join(__dirname, '..', 'docs', 'rules.md');

export function rulesMarkdown(): string {
  const row = (code: string, severity: string, doc: string) =>
    `| ${code} | ${severity} | ${doc.replace(/\|/g, '\\|')} |`;
  return [
    '<!-- Generated from tools/lint/src/rules/*.ts by tools/lint/src/rules-doc.ts: do not edit. -->',
    '# Lint rules',
    '',
    '`npx image-layers lint [--format tty|json|sarif] [--failure-threshold LEVEL] PATH...` lints Dockerfiles, layer folders',
    "(the fragment, plus shellcheck on the layer's scripts) and image folders (composed in memory, each finding reported at",
    "the fragment line that produced it). DL codes are hadolint's, with its semantics, so `# hadolint ignore=` pragmas and",
    '`.hadolint.yaml` (`ignored`, `override`, `failure-threshold`, `trustedRegistries`) carry over; IL codes are ours, for what',
    'hadolint cannot see; SC codes come from shellcheck.',
    '',
    '`ONBUILD X` is checked as an X wherever a rule is about one instruction (pins, flags, JSON form, secrets, grants);',
    'rules about the state a stage of this image ends in (its last USER, its one CMD, its base) leave triggers alone.',
    'FROM, MAINTAINER and ONBUILD as triggers are IL0003 errors, as Docker refuses them.',
    '',
    'What the linter reads: regular files only (a FIFO or device is refused, exit 2), 1 MiB at most per Dockerfile or',
    '.hadolint.yaml; commands nested more than 200 deep in one RUN, or a RUN the shell parser cannot read, are an IL0001',
    'finding at that place. Exit codes: 0 clean, 1 findings at or above the threshold, 2 nothing could be linted.',
    '',
    '| code | severity | rule |',
    '| --- | --- | --- |',
    ...RULES.map((rule) => row(rule.code, rule.severity, rule.doc)),
    '',
  ].join('\n');
}
