import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '@image-layers/testing/fixture-workspace';
import { runScript } from '@image-layers/testing';
import { listImageDirs } from '@image-layers/manifest/layout';
import { composeImage } from '@image-layers/compose/compose';
import { explainFiles, selectImages } from '@image-layers/explain/explain';
import type { Step } from '@image-layers/explain/steps';

// image-layers explain on the real workspace: an edit of a layer's file re-runs no install in any image (the cache
// order of compose/cache-order.ts), and the reached images are those that list the layer. A project of the whole
// workspace's inputs (code-checks), so a changed layer re-runs it.

const ROOT = resolve(__dirname, '../../..');
const ASKPASS = 'packages/git-auth/files/scripts/molecule-askpass';
const isInstall = (step: Step) => step.kind === 'package-install' || step.kind === 'network-install';

describe('explain --files on the workspace', () => {
  test('an askpass edit invalidates the askpass COPY first and re-runs no install, in exactly the images that ship it', async () => {
    const explanation = await explainFiles(ROOT, listImageDirs(ROOT), [ASKPASS], ROOT);
    const listsGitAuth = (dir: string) =>
      (
        JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8')) as {
          layers: (string | { layer: string })[];
        }
      ).layers
        .map((entry) => (typeof entry === 'string' ? entry : entry.layer))
        .includes('git-auth');
    const reached = explanation.images.filter((image) => image.first).map((image) => image.image);
    expect(reached).toEqual(
      listImageDirs(ROOT)
        .filter(listsGitAuth)
        .map((dir) => dir.split('/').pop()),
    );
    expect(reached).toContain('claude-code-image');
    for (const image of explanation.images.filter((candidate) => candidate.first)) {
      expect(image.first!.text, image.image).toBe(
        'COPY scripts/molecule-askpass /usr/local/bin/molecule-askpass',
      );
      expect(image.first!.kind).toBe('copy');
      expect(image.first!.unit).toBe('git-auth');
      expect(image.because).toContain(ASKPASS);
      expect(image.after.filter(isInstall), image.image).toEqual([]);
      expect(image.counts['package-install'] + image.counts['network-install']).toBe(0);
    }
  });

  test('an edit of any file any image ships re-runs COPYs alone, in every image; only an install input re-runs its install', async () => {
    // Every file of every layer and image that some composed image copies, and whether it goes to /tmp/ as the input
    // of an install step (node-runtime's script, t4-escalation's drop-in), which must re-run that install.
    const shipped = new Map<string, boolean>();
    for (const dir of listImageDirs(ROOT))
      for (const file of composeImage(dir).contextFiles)
        shipped.set(relative(ROOT, file.sourceFile), file.destination.startsWith('/tmp/'));
    expect(shipped.size).toBeGreaterThan(30);
    for (const [file, installInput] of shipped) {
      const explanation = await explainFiles(ROOT, listImageDirs(ROOT), [file], ROOT);
      const reached = explanation.images.filter((image) => image.first);
      expect(reached.length, file).toBeGreaterThan(0);
      for (const image of reached) {
        const rerun = [image.first!, ...image.after];
        expect(rerun[0]!.keyword, `${file} in ${image.image}`).toBe('COPY');
        if (installInput) expect(rerun.filter(isInstall).length, file).toBeGreaterThan(0);
        else
          expect(
            rerun.filter((step) => step.kind !== 'copy').map((step) => step.text),
            `${file} in ${image.image}`,
          ).toEqual([]);
      }
    }
  });

  test("the image's own adapter re-runs its COPYs only; base-os's manifest re-runs the image from its first step, installs included", async () => {
    const [claude] = selectImages(ROOT, ['claude-code-image']);
    const adapter = await explainFiles(ROOT, [claude!], ['apps/claude-code-image/files/adapter.py'], ROOT);
    expect(adapter.images[0]!.first!.text).toMatch(/^COPY adapter\.py /);
    expect(adapter.images[0]!.after.filter(isInstall)).toEqual([]);
    const base = await explainFiles(ROOT, [claude!], ['packages/base-os/layer.json'], ROOT);
    // Every step: the base's ARGs before FROM on.
    expect(base.images[0]!.first!.unit).toBe('base-os');
    expect(base.images[0]!.after.length + 1).toBe(base.images[0]!.steps);
    expect(base.images[0]!.counts['package-install']).toBeGreaterThan(0);
  });
});

describe('the explain command', () => {
  test('--format json has the first invalidated step and the re-run ones; no change named is a usage error', async (context) => {
    const result = await runScript(
      'node',
      [cli, 'explain', 'claude-code-image', '--files', ASKPASS, '--format', 'json'],
      {
        cwd: ROOT,
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      images: {
        image: string;
        firstInvalidated: { kind: string; unit: string; line: number };
        reRunAfter: { kind: string }[];
      }[];
    };
    expect(report.images.map((image) => image.image)).toEqual(['claude-code-image']);
    expect(report.images[0]!.firstInvalidated).toMatchObject({ kind: 'copy', unit: 'git-auth' });
    expect(report.images[0]!.reRunAfter.map((step) => step.kind)).not.toContain('package-install');
    // The line is the composed Dockerfile's.
    const out = mkdtempSync(join(tmpdir(), 'explain-test-'));
    context.onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const composed = await runScript('node', [cli, 'compose', 'apps/claude-code-image', '--out', out], {
      cwd: ROOT,
    });
    expect(composed.exitCode, composed.stderr).toBe(0);
    const lines = readFileSync(join(out, 'Dockerfile'), 'utf8').split('\n');
    expect(lines[report.images[0]!.firstInvalidated.line - 1]).toBe(
      'COPY scripts/molecule-askpass /usr/local/bin/molecule-askpass',
    );

    const usage = await runScript('node', [cli, 'explain'], { cwd: ROOT });
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/^error: explain needs one change to explain: --files/);
  });
});
