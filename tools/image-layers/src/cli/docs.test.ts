import { appendFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir, runScript } from '@image-layers/testing';
import { copyWorkspace } from '@image-layers/testing/workspace-copy';

// `image-layers docs` on a copy of the machinery (no real layer read) reached through a symbolic link, as a
// checkout under a linked home folder is: the machinery's own documents (the rules page, the schemas) are still
// its to write. Before, the root was compared by path, and a linked checkout silently skipped them.

const temp = makeTempDir('image-layers-docs-');
const copy = join(temp.path, 'copy');
const linked = join(temp.path, 'linked');
const docs = (...args: string[]) =>
  runScript('node', [join(linked, 'tools/image-layers/bin/image-layers.js'), 'docs', ...args], {
    cwd: linked,
    timeoutMs: 60_000,
  });

beforeAll(() => {
  copyWorkspace(copy, (file) => !/^(packages|apps)\//.test(file));
  symlinkSync(copy, linked);
}, 60_000);
afterAll(temp.cleanup);

describe('image-layers docs, in a checkout reached through a symbolic link', () => {
  test('--check is clean on the committed documents', async () => {
    const result = await docs('--check');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
  test('--check names a stale rules page and a stale schema; docs rewrites both', async () => {
    appendFileSync(join(copy, 'tools/lint/docs/rules.md'), '\nan edit\n');
    appendFileSync(join(copy, 'tools/image-layers/schema/layer.schema.json'), '\n');
    const check = await docs('--check');
    expect(check.exitCode, check.stdout + check.stderr).toBe(1);
    expect(check.stderr).toContain('tools/lint/docs/rules.md: out of date: run `npx image-layers docs`');
    expect(check.stderr).toContain('tools/image-layers/schema/layer.schema.json: out of date');
    const write = await docs();
    expect(write.exitCode, write.stderr).toBe(0);
    expect(write.stdout).toContain('wrote tools/lint/docs/rules.md');
    expect((await docs('--check')).exitCode).toBe(0);
  });
});
