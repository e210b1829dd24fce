// How fast composing is, from the library to the Nx target. Run: npm run bench:compose
// Figures are medians over several runs on this machine; nothing here is asserted by a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeImage } from '@image-layers/compose/compose';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { writeComposedImage } from '@image-layers/compose/write';

const root = resolve(__dirname, '../../..');
const image = join(root, 'apps/claude-code-image');

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, action: () => void): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    action();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const out = mkdtempSync(join(tmpdir(), 'image-layers-bench-'));
const nx = join(root, 'node_modules/.bin/nx');
const quiet = {
  cwd: root,
  stdio: 'ignore' as const,
  env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
};
// Error positions once cost the square of their number (25 s for this file): kept linear.
const manyOptions = makeFixtureWorkspace({
  'apps/img/image.json': JSON.stringify({
    name: 'img',
    description: 'd',
    layers: [
      {
        layer: 'base',
        options: Object.fromEntries(Array.from({ length: 16_000 }, (_, i) => [`OPT_${i}`, 'x'])),
      },
      'user',
      'tools',
    ],
  }),
});
try {
  composeImage(image); // warm the module cache once, as a long-running process would be
  const rows: [string, number][] = [
    ['composeImage (in process)', time(20, () => composeImage(image))],
    [
      'composeImage + atomic write',
      time(20, () => writeComposedImage(composeImage(image), join(out, 'dist'))),
    ],
    [
      'image.json with 16,000 unknown options, all located',
      time(3, () => {
        try {
          composeImage(join(manyOptions.root, 'apps/img'));
        } catch {
          // 16,000 errors, each at its line: what is measured
        }
      }),
    ],
    [
      'image-layers compose (CLI, a fresh node)',
      time(5, () =>
        execFileSync(
          'node',
          [join(root, 'tools/image-layers/bin/image-layers.js'), 'compose', image, '--out', join(out, 'cli')],
          quiet,
        ),
      ),
    ],
    [
      'nx build claude-code-image (cache skipped)',
      time(3, () => execFileSync(nx, ['build', 'claude-code-image', '--skip-nx-cache'], quiet)),
    ],
    [
      'nx build claude-code-image (cache hit)',
      time(3, () => execFileSync(nx, ['build', 'claude-code-image'], quiet)),
    ],
  ];
  for (const [what, ms] of rows) console.log(`${what.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms`);
} finally {
  manyOptions.cleanup();
  rmSync(out, { recursive: true, force: true });
}
