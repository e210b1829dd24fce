import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3016 pinned npm packages', () => {
  test('an unpinned package, scoped or not, is reported at its word', async () => {
    expect(
      await spots(
        'DL3016',
        'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code typescript@5.9.3 left-pad\n',
      ),
    ).toEqual(['2:20', '2:63']);
  });
  test('versions (also from an ARG), tags, tarballs, folders, git commits and a bare npm install pass', async () => {
    const text =
      'FROM node:20\nARG V=1.0.0\nRUN npm install -g "@scope/cli@${V}" a@latest ./b.tgz ./c git+https://h/r.git#abc123 && npm install\n';
    expect(await spots('DL3016', text)).toEqual([]);
  });
});
