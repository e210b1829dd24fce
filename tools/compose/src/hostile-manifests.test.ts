import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { composeImage } from './compose';
import { composeBroken } from './compose-broken.test-kit';
import { cli, makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { ImageLayersErrors } from '@image-layers/manifest/errors';
import { runScript } from '@image-layers/support/processes';
import { makeTempDir } from '@image-layers/support/workspace';

// Manifests and fragments are read before anything is checked: each case here was accepted silently, crashed
// the composer, read a file from outside the unit, or took time and memory out of all proportion.

const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const image = (extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    { name: 'img', description: 'a fixture image', layers: ['base', 'user', 'tools'], ...extra },
    null,
    2,
  );

/** A file outside the workspace, standing for /etc/shadow. */
function outsideSecret(context: TestContext): string {
  const temp = makeTempDir('outside-secret-');
  context.onTestFinished(temp.cleanup);
  writeFileSync(join(temp.path, 'shadow'), 'FROM root:$6$not-for-the-image:19000\n');
  return join(temp.path, 'shadow');
}

describe.concurrent('manifests: what JSON allows but a manifest must not', () => {
  test('a key given twice is an error at the second one (JSON would keep the last silently)', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/user/layer.json':
        '{\n  "name": "user",\n  "version": "1.0.0",\n  "description": "d",\n  "provides": ["user:agent"],\n  "provides": []\n}\n',
    });
    expect(stderr).toContain(
      'packages/user/layer.json:6:3: error invalid-json [user] the key "provides" appears twice',
    );
  });

  test('nesting 10,000 levels deep is an error at the level that is too deep, not a stack overflow', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/user/layer.json': `{"name": "user", "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    });
    expect(stderr).toContain(
      'packages/user/layer.json:1:86: error invalid-json [user] nested more than 64 levels deep',
    );
  });

  test('16,000 unknown options are all reported, each at its own line', (context) => {
    const options = Object.fromEntries(Array.from({ length: 16_000 }, (_, index) => [`OPT_${index}`, 'x']));
    const workspace = makeFixtureWorkspace({
      'apps/img/image.json': JSON.stringify(
        { name: 'img', description: 'd', layers: [{ layer: 'base', options }, 'user', 'tools'] },
        null,
        2,
      ),
    });
    context.onTestFinished(workspace.cleanup);
    let thrown: unknown;
    try {
      composeImage(join(workspace.root, 'apps/img'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImageLayersErrors);
    const errors = (thrown as ImageLayersErrors).errors;
    expect(errors).toHaveLength(16_000);
    // The list starts on line 8 of the pretty-printed file, one option a line.
    expect(errors[15_999]!.location).toMatchObject({ line: 8 + 15_999, column: 9 });
  });

  test('an invalid pattern regex is refused by check at its line, not thrown by compose', async (context) => {
    const manifest = layer('base', {
      base: true,
      options: { FLAVOUR: { type: 'string', default: 'plain', pattern: '[a-z', description: 'a flavour' } },
    });
    const stderr = await composeBroken(context, {
      'packages/base/layer.json': manifest,
      'packages/base/layer.Dockerfile': 'FROM debian:bookworm-slim\nARG FLAVOUR=plain\n',
    });
    expect(stderr).toMatch(
      /packages\/base\/layer\.json:\d+:\d+: error invalid-manifest \[base\] options\.FLAVOUR\.pattern/,
    );
    expect(stderr).toContain('is not a valid regular expression');
  });

  test("a default that fails the option's own pattern is refused", async (context) => {
    const stderr = await composeBroken(context, {
      'packages/base/layer.json': layer('base', {
        base: true,
        options: {
          FLAVOUR: { type: 'string', default: 'Plain', pattern: '[a-z]+', description: 'a flavour' },
        },
      }),
      'packages/base/layer.Dockerfile': 'FROM debian:bookworm-slim\nARG FLAVOUR=Plain\n',
    });
    expect(stderr).toContain('the default "Plain" does not match the option\'s own pattern [a-z]+');
  });
});

describe.concurrent('requirements that no order can meet get a fix that works', () => {
  test('a layer requiring what it provides itself: remove it, at the requires entry', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/user/layer.json': layer('user', { provides: ['user:agent'], requires: ['user:agent'] }),
    });
    expect(stderr).toMatch(/packages\/user\/layer\.json:\d+:\d+: error requires-itself \[user\]/);
    expect(stderr).toContain('fix: remove "user:agent" from "requires"');
    expect(stderr).not.toContain('move "user" above "user"');
  });

  test('two layers requiring each other: a cycle, named once, with no "move" advice', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/user/layer.json': layer('user', { provides: ['user:agent'], requires: ['command:hello'] }),
      'packages/tools/layer.json': layer('tools', {
        requires: ['user:agent'],
        provides: ['command:hello'],
        aptPackages: ['git'],
      }),
    });
    expect(stderr).toContain(
      'error requirement-cycle [user] the requirements of "tools" -> "user" -> "tools" form a cycle',
    );
    expect(stderr.match(/requirement-cycle/g)).toHaveLength(1);
    expect(stderr).not.toContain('error requirement-order');
  });
});

describe.concurrent('unit files are regular files of the unit, read within bounds', () => {
  test('image.json "fragment" pointing out of the image folder is refused without reading it', async (context) => {
    const secret = outsideSecret(context);
    for (const fragment of [secret, '../../../../../../../..' + secret, 'files/../../x']) {
      const stderr = await composeBroken(context, { 'apps/img/image.json': image({ fragment }) });
      expect(stderr).toContain('error fragment-outside-image [img]');
      expect(stderr).not.toContain('not-for-the-image');
    }
  });

  test('a fragment or manifest that is a link out of its folder is refused, and its content never echoed', async (context) => {
    const secret = outsideSecret(context);
    for (const file of ['apps/img/image.Dockerfile', 'packages/user/layer.Dockerfile']) {
      const stderr = await composeBroken(context, { [file]: null }, (root) =>
        symlinkSync(secret, join(root, file)),
      );
      expect(stderr).toContain(`${file}: error file-outside-unit`);
      expect(stderr).not.toContain('not-for-the-image');
    }
  });

  test('image.json as a folder, or a FIFO, is one clear line (no stack trace, no hang)', async (context) => {
    const asFolder = await composeBroken(context, { 'apps/img/image.json': null }, (root) =>
      mkdirSync(join(root, 'apps/img/image.json')),
    );
    expect(asFolder).toBe(
      'apps/img/image.json: error not-a-file [img] image.json is a folder, not a file\n  fix: remove the folder and write image.json as a file\n',
    );
    const asFifo = await composeBroken(context, { 'apps/img/image.json': null }, (root) =>
      execFileSync('mkfifo', [join(root, 'apps/img/image.json')]),
    );
    expect(asFifo).toContain('image.json is not a regular file (a FIFO, socket or device)');
  });

  test('a 3 GiB context file is looked at by its first bytes: compose neither crashes nor reads it', (context) => {
    const workspace = makeFixtureWorkspace({
      'packages/tools/layer.Dockerfile': 'COPY bin/hello /usr/local/bin/hello\nCOPY conf/ /etc/tools/\n',
    });
    context.onTestFinished(workspace.cleanup);
    // Sparse: the file costs no disk, but reading it whole would need 3 GiB (and Node refuses over 2 GiB).
    const big = join(workspace.root, 'packages/tools/files/conf/model.bin');
    writeFileSync(big, '');
    truncateSync(big, 3 * 1024 ** 3);
    const before = process.memoryUsage().rss;
    const composed = composeImage(join(workspace.root, 'apps/img'));
    expect(composed.contextFiles.map((file) => file.contextPath)).toContain('conf/model.bin');
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 ** 2);
    rmSync(big);
  });
});

describe.concurrent('the CLI never shows a stack trace', () => {
  test('test and image-test outside a workspace: one line and exit 1', async (context) => {
    const outside = makeTempDir('no-workspace-');
    context.onTestFinished(outside.cleanup);
    for (const command of ['test', 'image-test']) {
      const result = await runScript('node', [cli, command, '.', '--report', 'r.json'], {
        cwd: outside.path,
      });
      expect(result.exitCode, command).toBe(1);
      expect(result.stderr, command).toContain(
        'error no-workspace no nx.json found in this folder or any parent',
      );
      expect(result.stderr, command).not.toMatch(/\n\s+at /);
    }
  });
});
