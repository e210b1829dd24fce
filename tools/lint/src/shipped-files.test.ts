import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type TestContext } from 'vitest';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { requireTool } from '@image-layers/testing';
import { makeTempDir } from '@image-layers/support/workspace';
import { emptyConfig } from './config';
import { lintPath } from './targets';

// What is shipped is what is linted: the linter takes its files from the composer's own list (links followed
// inside files/, refused out of it), for a layer and for a whole image.

const token = `ghs_${'x1Y2z3'.repeat(7)}`;

async function lint(context: TestContext, path: string, prepare: (root: string) => void) {
  requireTool('shellcheck');
  const fixture = makeFixtureWorkspace();
  context.onTestFinished(fixture.cleanup);
  prepare(fixture.root);
  const findings = await lintPath(join(fixture.root, path), emptyConfig());
  return findings.map((f) => `${f.file.replace(`${fixture.root}/`, '')}:${f.line}:${f.column} ${f.code}`);
}

test('a credential behind a link inside files/ is found, at the path the image ships it under', async (context) => {
  const findings = await lint(context, 'packages/tools', (root) => {
    writeFileSync(join(root, 'packages/tools/files/conf/real.conf'), `answer=42\ntoken = ${token}\n`);
    symlinkSync('real.conf', join(root, 'packages/tools/files/conf/alias.conf'));
    writeFileSync(
      join(root, 'packages/tools/layer.Dockerfile'),
      'COPY bin/hello /usr/local/bin/hello\nCOPY conf/alias.conf /etc/tools.conf\n',
    );
  });
  expect(findings).toEqual(['packages/tools/files/conf/alias.conf:2:9 IL1007']);
});

test('a link out of files/ is a finding at the COPY line, and the file it leads to is never read', async (context) => {
  const outside = makeTempDir('outside-');
  context.onTestFinished(outside.cleanup);
  writeFileSync(join(outside.path, 'shadow'), `token = ${token}\n`);
  const findings = await lint(context, 'packages/tools', (root) => {
    symlinkSync(join(outside.path, 'shadow'), join(root, 'packages/tools/files/conf/shadow'));
    writeFileSync(
      join(root, 'packages/tools/layer.Dockerfile'),
      'COPY bin/hello /usr/local/bin/hello\nCOPY conf/ /etc/tools/\n',
    );
  });
  expect(findings).toEqual(['packages/tools/layer.Dockerfile:2:6 IL0007']);
});

test("an image's lint covers every layer's shipped files, not only the image's own", async (context) => {
  const findings = await lint(context, 'apps/img', (root) =>
    writeFileSync(join(root, 'packages/tools/files/conf/tools.conf'), `token = ${token}\n`),
  );
  // The fixture's base fragment has findings of its own (unpinned packages): only the files' part is asserted.
  expect(findings.filter((finding) => finding.includes('/files/'))).toEqual([
    'packages/tools/files/conf/tools.conf:1:9 IL1007',
  ]);
});

test('a large shipped file is searched whole, in bounded memory', async (context) => {
  const findings = await lint(context, 'packages/tools', (root) =>
    writeFileSync(
      join(root, 'packages/tools/files/conf/tools.conf'),
      `${'filler line of configuration\n'.repeat(200_000)}token = ${token}\n`,
    ),
  );
  expect(findings).toEqual(['packages/tools/files/conf/tools.conf:200001:9 IL1007']);
});
