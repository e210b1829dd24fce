import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { makeFixtureWorkspace, type FixtureFile } from '@image-layers/testing/fixture-workspace';
import { runScript } from '@image-layers/testing';
import { explainFiles, explainSince, selectImages } from './explain';

// explain on fixture workspaces for each kind of file, and with --since against a real git repository. On the
// real workspace (the askpass edit of the issue): tools/code-checks/src/explain-workspace.test.ts, whose inputs
// are the whole workspace.

function fixture(context: TestContext, overrides: Record<string, FixtureFile | null> = {}) {
  const workspace = makeFixtureWorkspace(overrides);
  context.onTestFinished(workspace.cleanup);
  return workspace;
}

describe('explain --files, each kind of file', () => {
  test('a fragment: from its first step; a layer.json with packages: from the step that installs them; a file no image reads: nothing', async (context) => {
    const { root } = fixture(context, { 'packages/tools/README.md': 'notes\n' });
    const images = selectImages(root, []);
    const fragment = await explainFiles(root, images, ['packages/tools/layer.Dockerfile'], root);
    const first = fragment.images[0]!.first!;
    expect([first.unit, first.source]).toEqual([
      'tools',
      { file: 'packages/tools/layer.Dockerfile', line: 1 },
    ]);
    expect(fragment.images[0]!.because).toContain("layer tools's fragment");
    // tools declares aptPackages: ["git"], which base's apt step installs.
    const manifest = await explainFiles(root, images, ['packages/tools/layer.json'], root);
    expect(manifest.images[0]!.first!.unit).toBe('base');
    expect(manifest.images[0]!.because).toContain('declares aptPackages that base installs');
    const readme = await explainFiles(root, images, ['packages/tools/README.md'], root);
    expect(readme.images[0]!.first).toBeUndefined();
    // A folder: every file under it.
    const folder = await explainFiles(root, images, ['packages/tools/files'], root);
    expect(folder.images[0]!.first!.keyword).toBe('COPY');
  });

  test('a path that is not there, or outside the workspace, or an unknown image: an error naming it and what to do', async (context) => {
    const { root } = fixture(context);
    const images = selectImages(root, []);
    await expect(explainFiles(root, images, [join(root, 'nope.txt')], root)).rejects.toMatchObject({
      code: 'explain-bad-path',
      message: expect.stringContaining('does not exist'),
    });
    await expect(explainFiles(root, images, ['/etc/hostname'], root)).rejects.toMatchObject({
      code: 'explain-bad-path',
      message: expect.stringContaining('outside the workspace'),
    });
    expect(() => selectImages(root, ['nope'])).toThrow(/"nope" is no image app of this workspace/);
  });
});

async function git(root: string, ...args: string[]) {
  const result = await runScript('git', args, { cwd: root });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

describe('explain --since, against a real git repository', () => {
  test('what changed since a commit, compared step by step the way the build cache compares', async (context) => {
    const { root } = fixture(context);
    await git(root, 'init', '-q', '-b', 'main');
    await git(root, 'add', '-A');
    await git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'one');
    const images = selectImages(root, []);

    expect((await explainSince(root, images, 'HEAD')).images[0]!.first).toBeUndefined();

    // A copied file's content: the COPY is first, though its text is the same.
    writeFileSync(join(root, 'packages/tools/files/conf/tools.conf'), 'answer=43\n');
    const content = await explainSince(root, images, 'HEAD');
    expect(content.changed).toEqual(['packages/tools/files/conf/tools.conf']);
    expect(content.images[0]!.first!.text).toMatch(/^COPY conf\/tools\.conf /);
    expect(content.images[0]!.because).toContain('content or mode');

    // A step's text: that step, with what it was.
    const fragment = join(root, 'apps/img/image.Dockerfile');
    writeFileSync(
      fragment,
      readFileSync(fragment, 'utf8').replace('ENTRYPOINT ["/start.sh"]', 'ENTRYPOINT ["/start.sh", "-x"]'),
    );
    // Both changed: the first is the earlier one, the ENTRYPOINT (the image config comes before the files).
    const both = await explainSince(root, images, 'HEAD');
    expect(both.images[0]!.first!.keyword).toBe('ENTRYPOINT');
    expect(both.images[0]!.after.map((step) => step.text)).toContainEqual(
      expect.stringMatching(/^COPY conf\/tools\.conf /),
    );
    writeFileSync(join(root, 'packages/tools/files/conf/tools.conf'), 'answer=42\n');
    const step = await explainSince(root, images, 'HEAD');
    expect(step.images[0]!.first!.keyword).toBe('ENTRYPOINT');
    expect(step.images[0]!.because).toContain('ENTRYPOINT ["/start.sh"]');
    expect(step.notes).toEqual([]);

    await expect(explainSince(root, images, 'no-such-ref')).rejects.toMatchObject({
      code: 'explain-git-failed',
    });
    // An option where the ref goes is refused before git reads it (git diff --output= would write a file).
    await expect(explainSince(root, images, `--output=${join(root, 'written')}`)).rejects.toMatchObject({
      code: 'explain-bad-ref',
    });
    expect(existsSync(join(root, 'written'))).toBe(false);
  });
});
