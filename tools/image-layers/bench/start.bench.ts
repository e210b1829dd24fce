// How fast the CLI starts, against a bare `node -e 0` beside it. Run: npm run bench:start
// Medians of 11 runs, each command's runs interleaved with the others' so a busy machine slows them alike; nothing
// here is asserted by a test. The goals (issue 11): compose <= 2x, lint of the composed claude-code image <= 3x a
// bare node, and a cached `nx build claude-code-image` <= 1.1x a trivial cached target (code-checks:cached-noop).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const RUNS = 11;
const bin = join(root, 'tools/image-layers/bin/image-layers.js');
const nx = join(root, 'node_modules/.bin/nx');
const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' };

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** Median wall time of each command, the commands run in turn RUNS times; a failing command stops the bench. */
function race(commands: Record<string, [string, string[]]>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(commands).map((name) => [name, []]),
  );
  for (let run = 0; run < RUNS; run++)
    for (const [name, [file, args]] of Object.entries(commands)) {
      const start = process.hrtime.bigint();
      const result = spawnSync(file, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      samples[name]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 0) throw new Error(`${name} failed (${result.status}): ${result.stderr}`);
    }
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, median(times)]));
}

const out = mkdtempSync(join(tmpdir(), 'image-layers-start-'));
try {
  // The composed image lint reads, as `nx build claude-code-image` leaves it; the build also warms Nx's cache,
  // and the first CLI run builds the bundle if a source changed: neither is what is measured.
  execFileSync(nx, ['build', 'claude-code-image'], { cwd: root, env, stdio: 'ignore' });
  execFileSync(nx, ['run', '@image-layers/code-checks:cached-noop'], { cwd: root, env, stdio: 'ignore' });
  const composed = join(root, 'dist/apps/claude-code-image');
  const cli = race({
    'node -e 0': ['node', ['-e', '0']],
    'image-layers compose apps/claude-code-image --out <tmp>': [
      'node',
      [bin, 'compose', 'apps/claude-code-image', '--out', out],
    ],
    'image-layers lint dist/apps/claude-code-image': ['node', [bin, 'lint', composed]],
    'image-layers lint apps/claude-code-image (the Nx lint target)': [
      'node',
      [bin, 'lint', 'apps/claude-code-image'],
    ],
  });
  const node = cli['node -e 0']!;
  for (const [what, ms] of Object.entries(cli))
    console.log(`${what.padEnd(64)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / node).toFixed(2)}x`);
  const cached = race({
    'nx run @image-layers/code-checks:cached-noop': [nx, ['run', '@image-layers/code-checks:cached-noop']],
    'nx build claude-code-image (cache hit)': [nx, ['build', 'claude-code-image']],
  });
  const noop = cached['nx run @image-layers/code-checks:cached-noop']!;
  for (const [what, ms] of Object.entries(cached))
    console.log(`${what.padEnd(64)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / noop).toFixed(2)}x`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
