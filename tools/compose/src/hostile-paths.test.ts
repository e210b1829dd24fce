import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { makeTempDir, workspaceRoot } from '@image-layers/support/workspace';
import { composeImage } from './compose';
import { composeBroken } from './compose-broken.test-kit';
import { cli, makeFixtureWorkspace, snapshot } from '@image-layers/testing/fixture-workspace';
import { writeComposedImage } from './write';

// Paths, links and folders a compose meets are input to be checked, not trusted (README, Security model):
// each case here destroyed, leaked or crashed before the composer checked it.

function fixture(context: TestContext) {
  const workspace = makeFixtureWorkspace();
  context.onTestFinished(workspace.cleanup);
  return workspace;
}

const compose = (root: string, ...args: string[]) =>
  runScript('node', [cli, 'compose', 'apps/img', ...args], { cwd: root });

/** A file outside the workspace standing for /etc/shadow: what a link must never smuggle into the context. */
function outsideSecret(context: TestContext): { file: string; folder: string } {
  const temp = makeTempDir('outside-secret-');
  context.onTestFinished(temp.cleanup);
  writeFileSync(join(temp.path, 'shadow'), 'root:$6$not-for-the-image:19000:0:99999:7:::\n');
  // Named as the fixture's COPY source, so a link to the folder would reach a file.
  writeFileSync(join(temp.path, 'tools.conf'), 'root:$6$not-for-the-image:19000:0:99999:7:::\n');
  return { file: join(temp.path, 'shadow'), folder: temp.path };
}

describe.concurrent('compose --out replaces only a folder the composer wrote, or an empty one', () => {
  test('an unrelated non-empty folder keeps its files: exit 1, and why', async (context) => {
    const { root } = fixture(context);
    mkdirSync(join(root, 'notes'));
    writeFileSync(join(root, 'notes/plan.txt'), 'mine\n');
    const result = await compose(root, '--out', 'notes');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('notes: error unsafe-output');
    expect(result.stderr).toContain('files the composer did not write');
    expect(readFileSync(join(root, 'notes/plan.txt'), 'utf8')).toBe('mine\n');
  });

  test('a regular file is not replaced by a folder', async (context) => {
    const { root } = fixture(context);
    writeFileSync(join(root, 'out'), 'a file\n');
    const result = await compose(root, '--out', 'out');
    expect(result).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('is a file, not a folder') });
    expect(readFileSync(join(root, 'out'), 'utf8')).toBe('a file\n');
  });

  test('--out . from the workspace root leaves the workspace and its .git whole', async (context) => {
    const { root } = fixture(context);
    execFileSync('git', ['init', '-q'], { cwd: root });
    const before = readdirSync(root).sort();
    const result = await compose(root, '--out', '.');
    expect(result).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('is the workspace root') });
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(root, '.git/HEAD'))).toBe(true);
  });

  test('a folder around the workspace, and / itself, are refused without a stack trace', async (context) => {
    const { root } = fixture(context);
    for (const out of ['..', '/']) {
      const result = await compose(root, '--out', out);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('holds the workspace');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test("the image's own folder, a layer's folder, a folder inside one, or one holding them keep their sources", async (context) => {
    const { root } = fixture(context);
    const sources = () => ({ ...snapshot(join(root, 'apps')), ...snapshot(join(root, 'packages')) });
    const before = sources();
    for (const out of ['apps/img', 'packages/tools', 'packages/tools/files/out', 'apps', 'tools/x']) {
      const result = await compose(root, '--out', out);
      expect(result.exitCode, out).toBe(1);
      expect(result.stderr, out).toMatch(/error unsafe-output .*(source folder|holds the workspace's)/);
    }
    expect(sources()).toEqual(before);
    expect(existsSync(join(root, 'tools'))).toBe(false);
  });

  test('a symbolic link as --out is refused, and so is a path through a link into the sources', async (context) => {
    const { root } = fixture(context);
    const elsewhere = makeTempDir('out-target-');
    context.onTestFinished(elsewhere.cleanup);
    writeFileSync(join(elsewhere.path, 'keep.txt'), 'keep\n');
    symlinkSync(elsewhere.path, join(root, 'out-link'));
    symlinkSync(join(root, 'apps'), join(root, 'apps-link'));
    const viaLink = await compose(root, '--out', 'out-link');
    expect(viaLink).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('is a symbolic link') });
    const intoSources = await compose(root, '--out', 'apps-link/img');
    expect(intoSources).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('source folder') });
    expect(readdirSync(elsewhere.path)).toEqual(['keep.txt']);
    expect(existsSync(join(root, 'apps/img/image.json'))).toBe(true);
  });

  test('an empty folder and an earlier output are replaced', async (context) => {
    const { root } = fixture(context);
    mkdirSync(join(root, 'empty'));
    expect(await compose(root, '--out', 'empty')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(root, 'empty/Dockerfile'))).toBe(true);
    writeFileSync(join(root, 'empty/stale-file'), 'from an older compose\n');
    expect(await compose(root, '--out', 'empty')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(root, 'empty/stale-file'))).toBe(false);
  });

  test('the temporary folders of a killed compose are removed by the next one', async (context) => {
    const { root } = fixture(context);
    // The pid of a process that has exited: what a compose killed with SIGKILL leaves in the names.
    const gone = spawn('true');
    await new Promise((done) => gone.on('exit', done));
    const out = join(root, 'dist/apps/img');
    mkdirSync(`${out}.tmp-${gone.pid}-0badf00d`, { recursive: true });
    writeFileSync(`${out}.tmp-${gone.pid}-0badf00d/Dockerfile`, 'half\n');
    mkdirSync(`${out}.old-${gone.pid}-00c0ffee`);
    expect(await compose(root)).toMatchObject({ exitCode: 0 });
    expect(readdirSync(join(root, 'dist/apps'))).toEqual(['img']);
  });
});

test('four processes composing to one folder at once: every write succeeds and nothing is left beside it', async (context) => {
  const { root } = fixture(context);
  const writes = 150;
  // Each process composes once and writes the result `writes` times, as fast as it can.
  const script = `
    const { composeImage } = require(${JSON.stringify(join(__dirname, 'compose.ts'))});
    const { writeComposedImage } = require(${JSON.stringify(join(__dirname, 'write.ts'))});
    const composed = composeImage(process.argv[1]);
    let failed = 0;
    for (let i = 0; i < ${writes}; i++) {
      try { writeComposedImage(composed, process.argv[2]); } catch (error) { failed++; console.error(error.message); }
    }
    console.log(JSON.stringify({ failed }));`;
  const register = join(workspaceRoot, 'tools/image-layers/bin/register-typescript.js');
  const out = join(root, 'dist/apps/img');
  const runs = await Promise.all(
    [1, 2, 3, 4].map(() =>
      runScript('node', ['-r', register, '-e', script, join(root, 'apps/img'), out], { timeoutMs: 300_000 }),
    ),
  );
  for (const run of runs) {
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ failed: 0 });
  }
  expect(readdirSync(join(root, 'dist/apps'))).toEqual(['img']);
  expect(snapshot(out)).toEqual(snapshot(writeOnce(context, root)));
});

/** The output of one compose, written to a fresh folder: what a complete output holds. */
function writeOnce(context: TestContext, root: string): string {
  const folder = makeTempDir('one-compose-');
  context.onTestFinished(folder.cleanup);
  const temp = join(folder.path, 'out');
  writeComposedImage(composeImage(join(root, 'apps/img')), temp);
  return temp;
}

describe.concurrent('links and special files under files/ never bring outside files into the context', () => {
  test('a link to a file outside the layer is an error at the COPY line, and nothing is staged', async (context) => {
    const secret = outsideSecret(context);
    const stderr = await composeBroken(context, { 'packages/tools/files/conf/tools.conf': null }, (root) =>
      symlinkSync(secret.file, join(root, 'packages/tools/files/conf/tools.conf')),
    );
    expect(stderr).toContain('packages/tools/layer.Dockerfile:2:6: error copy-source-link-outside [tools]');
    expect(stderr).toContain("leads out of tools's files/ folder");
    expect(stderr).not.toContain('not-for-the-image');
  });

  test('a link to a folder outside is the same error, not a crash', async (context) => {
    const secret = outsideSecret(context);
    const stderr = await composeBroken(context, {}, (root) => {
      execFileSync('rm', ['-r', join(root, 'packages/tools/files/conf')]);
      symlinkSync(secret.folder, join(root, 'packages/tools/files/conf'));
    });
    expect(stderr).toContain('error copy-source-link-outside [tools]');
    expect(stderr).not.toContain('EISDIR');
  });

  test('a dangling link and a FIFO are refused at the COPY line (a FIFO would hang the copy)', async (context) => {
    const stderr = await composeBroken(context, {}, (root) => {
      execFileSync('rm', [join(root, 'packages/tools/files/conf/tools.conf')]);
      execFileSync('mkfifo', [join(root, 'packages/tools/files/conf/tools.conf')]);
      symlinkSync('/nonexistent/hello', join(root, 'packages/tools/files/bin/hello.old'));
      writeFileSync(
        join(root, 'packages/tools/layer.Dockerfile'),
        'COPY bin/ /usr/local/bin/\nCOPY conf/tools.conf /etc/tools.conf\n',
      );
    });
    expect(stderr).toContain('1:6: error copy-source-dangling-link [tools]');
    expect(stderr).toContain('2:6: error copy-source-not-regular [tools]');
  });

  test('a link that stays inside files/ ships the file it points at, as a regular file with its mode', async (context) => {
    const { root } = fixture(context);
    symlinkSync('../bin/hello', join(root, 'packages/tools/files/conf/hello-alias'));
    writeFileSync(
      join(root, 'packages/tools/layer.Dockerfile'),
      'COPY bin/hello /usr/local/bin/hello\nCOPY conf/ /etc/tools/\n',
    );
    const out = join(root, 'dist/apps/img');
    writeComposedImage(composeImage(join(root, 'apps/img')), out);
    const staged = join(out, 'conf/hello-alias');
    expect(lstatSync(staged).isFile()).toBe(true);
    expect(statSync(staged).mode & 0o777).toBe(0o755);
    expect(readFileSync(staged, 'utf8')).toBe('#!/bin/sh\necho hello\n');
  });
});

describe.concurrent('a layer cannot replace what the composer writes into the context', () => {
  for (const name of [
    'Dockerfile',
    '.dockerignore',
    'image-layers.provenance.json',
    'Dockerfile.dockerignore',
  ]) {
    test(`a file named ${name} at the top of files/ is an error at the COPY line`, async (context) => {
      const stderr = await composeBroken(context, {
        [`packages/tools/files/${name}`]: 'FROM attacker/image\n',
        'packages/tools/layer.Dockerfile': `COPY bin/hello /usr/local/bin/hello\nCOPY ${name} /etc/x\n`,
      });
      expect(stderr).toContain('packages/tools/layer.Dockerfile:2:6: error reserved-context-name [tools]');
    });
  }

  test('also when it comes with a whole folder', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/tools/files/Dockerfile': 'FROM attacker/image\n',
      'packages/tools/layer.Dockerfile': 'COPY . /opt/tools/\n',
    });
    expect(stderr).toContain('packages/tools/layer.Dockerfile:1:6: error reserved-context-name [tools]');
  });
});
