import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';

// The Nx graph of this image, through the real `nx` binary and the workspace's plugin, on a copy of the workspace (its committed and
// working-tree files, with node_modules linked), so edits made here never touch the real checkout.

const temp = makeTempDir('image-layers-nx-');
const copy = join(temp.path, 'workspace');
const nx = (...args: string[]) =>
  runScript(join(copy, 'node_modules/.bin/nx'), args, {
    cwd: copy,
    env: { NX_DAEMON: 'false', NX_TUI: 'false', CI: 'true' },
    timeoutMs: 120_000,
  });

beforeAll(() => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(workspaceRoot, file), join(copy, file), { preserveTimestamps: true });
  }
  symlinkSync(join(workspaceRoot, 'node_modules'), join(copy, 'node_modules'));
});
afterAll(temp.cleanup);

/** The six layers and the image: each gets every inferred target. */
const EVERY_PROJECT = [
  'adapter',
  'agent-user',
  'base-os',
  'claude-code-image',
  'git-auth',
  'python-runtime',
  't4-escalation',
];

describe("claude-code-image's place in the Nx graph", () => {
  test('infers build and test targets for every layer and image, with no project.json', async () => {
    const result = await nx('show', 'projects', '--with-target', 'build', '--json');
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as string[]).sort()).toEqual(EVERY_PROJECT);
  });

  test('every layer and image has an image-test target, the image an image target; a change to agent-user reaches the layers built on it', async () => {
    const imageTests = await nx('show', 'projects', '--with-target', 'image-test', '--json');
    expect((JSON.parse(imageTests.stdout) as string[]).sort()).toEqual(EVERY_PROJECT);
    const images = await nx('show', 'projects', '--with-target', 'image', '--json');
    expect(JSON.parse(images.stdout)).toEqual(['claude-code-image']);
    // t4-escalation's image test builds it on agent-user (user:agent): the edge makes `nx affected` follow.
    const affected = await nx(
      'show',
      'projects',
      '--affected',
      '--files=packages/agent-user/layer.Dockerfile',
      '--json',
    );
    expect((JSON.parse(affected.stdout) as string[]).sort()).toEqual([
      'agent-user',
      'claude-code-image',
      't4-escalation',
    ]);
  });

  test('a change to the askpass script affects exactly git-auth and claude-code-image', async () => {
    const result = await nx(
      'show',
      'projects',
      '--affected',
      '--files=packages/git-auth/files/scripts/molecule-askpass',
      '--json',
    );
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(result.stdout) as string[]).sort()).toEqual(['claude-code-image', 'git-auth']);
  });

  test("a change to a layer's test file leaves the image's build a cache hit; a change to its script does not", async () => {
    const first = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);

    appendFileSync(
      join(copy, 'packages/git-auth/test/askpass.test.ts'),
      '\n// a comment added by the plugin test\n',
    );
    const afterTestEdit = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(afterTestEdit.exitCode).toBe(0);
    expect(afterTestEdit.stdout).toMatch(
      /Nx read the output from the cache instead of running the command for 7 out of 7 tasks/,
    );

    appendFileSync(
      join(copy, 'packages/git-auth/files/scripts/molecule-askpass'),
      '\n# a comment added by the plugin test\n',
    );
    const afterScriptEdit = await nx('build', 'claude-code-image', '--outputStyle=static');
    expect(afterScriptEdit.exitCode).toBe(0);
    expect(afterScriptEdit.stdout).toMatch(
      /Nx read the output from the cache instead of running the command for 5 out of 7 tasks/,
    );
  });
});
