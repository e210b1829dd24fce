import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

const token = (prefix: string) => `${prefix}${'A1b2C3d4E5'.repeat(4)}`;

describe('IL1007 no credential-shaped literals', () => {
  test('GitHub tokens, AWS keys, private keys and literal Authorization headers are reported', async () => {
    const text = [
      'FROM debian:12',
      `ENV GH=${token('ghp_')}`,
      `RUN git clone https://x:${token('github_pat_')}@github.com/o/r`,
      'ARG KEY=AKIAABCDEFGHIJKLMNOP',
      'RUN printf -- "-----BEGIN OPENSSH PRIVATE KEY-----" > /k',
      'RUN curl -H "Authorization: Bearer abcdef123456789" https://api',
    ].join('\n');
    expect(await spots('IL1007', text)).toEqual(['2:8', '3:25', '4:9', '5:16', '6:14']);
  });
  test('values assigned to *_TOKEN and *_PASSWORD names are reported; values from variables pass', async () => {
    const text =
      'FROM debian:12\nENV NPM_TOKEN=s3cr3tvalue\nRUN DB_PASSWORD="hunter22x" ./migrate\nRUN GH_TOKEN="$TOKEN" gh auth status && curl -H "Authorization: Bearer ${T}" x\n';
    expect(await spots('IL1007', text)).toEqual(['2:5', '3:5']);
  });
});
