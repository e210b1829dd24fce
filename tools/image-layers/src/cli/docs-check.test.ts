import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir, runScript } from '@image-layers/testing';
import { copyWorkspace } from '@image-layers/testing/workspace-copy';

// `image-layers docs --check` in this workspace covers the machinery's own generated documents (the JSON
// Schemas, the rules page) besides the layer READMEs: when it did not, a schema could drift unseen.
const temp = makeTempDir('docs-check-');
const root = temp.path;
const cli = join(root, 'tools/image-layers/bin/image-layers.js');
beforeAll(() => copyWorkspace(root, (file) => !/^apps\//.test(file)), 120_000);
afterAll(() => temp.cleanup());

describe('image-layers docs --check, on a copy of this workspace', () => {
  test.each(['tools/image-layers/schema/image-test.schema.json', 'tools/lint/docs/rules.md'])(
    'names %s when it is out of date, and `docs` writes it back',
    async (file) => {
      const committed = readFileSync(join(root, file), 'utf8');
      writeFileSync(join(root, file), `${committed}\n`);

      const check = await runScript(process.execPath, [cli, 'docs', '--check'], { cwd: root });
      expect(check.exitCode).toBe(1);
      expect(check.stderr).toContain(`${file}: out of date`);

      const write = await runScript(process.execPath, [cli, 'docs'], { cwd: root });
      expect(write.exitCode, write.stderr).toBe(0);
      expect(readFileSync(join(root, file), 'utf8')).toBe(committed);
    },
  );
});
