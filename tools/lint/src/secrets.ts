// Credential-shaped literals: tokens, keys and headers that must never be written into a fragment or a
// script. A value taken from a variable ($TOKEN, ${GH_TOKEN}, %s) is fine; a literal is not.

export interface SecretMatch {
  /** 0-based line and column in the text. */
  line: number;
  column: number;
  kind: string;
}

const PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'a GitHub token', pattern: /\b(?:ghp|ghs|gho|ghu|ghr)_[A-Za-z0-9]{36,}\b/g },
  { kind: 'a GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  {
    kind: 'an Authorization header with a literal credential',
    pattern: /\bAuthorization:\s*(?:Bearer|Basic|token|Token)\s+(?![$%{<])[A-Za-z0-9._~+/=-]{8,}/g,
  },
  {
    kind: 'a literal assigned to a secret-named variable',
    pattern:
      /\b[A-Za-z0-9_]*(?:_TOKEN|_PASSWORD|_PASSWD|_SECRET|_API_KEY)\s*[=:]\s*(?!["']?[$%<{(`])(?:"[^"\s$`]{6,}"|'[^'\s]{6,}'|[A-Za-z0-9_./+=-]{6,})/gi,
  },
];

/** Every credential-shaped literal in `text`, by line. */
export function findSecrets(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { kind, pattern } of PATTERNS) {
      for (const match of line.matchAll(pattern)) matches.push({ line: index, column: match.index, kind });
    }
  });
  return matches;
}
