// Rebuild after an edit, the seed's hand-written Dockerfile against the composed claude-code image, on the
// project's own engine (tools/image-test/bin/image-test-env.sh start) in one run. Run: npm run bench:rebuild
// (npm run bench runs it with the rest). Nothing here is asserted by a test: it prints figures.
//
// Both are built with the same substitutions, the ones the image tests make: the local Debian base instead of
// python:3.11-slim, the GitHub CLI off (cli.github.com is out of reach), the pip step left out (pypi.org is out
// of reach). The npm registry is reachable, so both install the Claude Code CLI for real. The seed's context
// holds the same files as the composed one (the adapter, askpass, the scripts, entrypoint.sh) and the
// requirements.txt it names.
//
// Each row edits one file in both contexts (a comment appended, so the content changes), rebuilds and times it,
// then restores the file and rebuilds untimed (a cache hit again). The composed image has no requirements.txt:
// the runtime's requirement is python-runtime's RUNTIME_MIN_VERSION in image.json, so that row changes its ARG.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseDockerfile } from '@image-layers/manifest/dockerfile-model';
import { connectTestEngine } from '@image-layers/image-test/engine';
import { planTestBuild } from '@image-layers/image-test/plan';
import { build, planBuild, type Build } from './engine-build';

const root = resolve(__dirname, '../../..');
const app = join(root, 'apps/claude-code-image');
const RUNS = Number(process.env.BENCH_REBUILD_RUNS ?? 3);

/**
 * The seed with the image tests' substitutions: FROM the local base; the GitHub CLI's lines of its apt step
 * dropped (the packages stay); the pip RUN turned into comments.
 */
function seedDockerfile(baseImage: string): string {
  const text = readFileSync(join(app, 'test/fixtures/seed.Dockerfile'), 'utf8');
  const model = parseDockerfile(text);
  const lines = text.split('\n');
  for (const run of model.all('RUN')) {
    for (let line = run.line; line <= run.endLine; line++) {
      if (/pip install/.test(run.argumentsText))
        lines[line] = `# [bench: left out, needs pypi.org] ${lines[line]}`;
      else if (/keyrings|cli\.github\.com|--no-install-recommends gh /.test(lines[line]!))
        lines[line] = `# [bench: left out, needs cli.github.com] ${lines[line]}`;
    }
  }
  lines[model.all('FROM')[0]!.line] = `FROM ${baseImage}`;
  return lines.join('\n');
}

/** The seed's build context: the files its COPYs name, from where this workspace keeps them. */
function seedContext(dir: string, baseImage: string): void {
  const sources: Record<string, string> = {
    'adapter.py': 'apps/claude-code-image/files/adapter.py',
    '__init__.py': 'apps/claude-code-image/files/__init__.py',
    'config.yaml': 'apps/claude-code-image/files/config.yaml',
    'claude_sdk_executor.py': 'apps/claude-code-image/files/claude_sdk_executor.py',
    'scripts/molecule-git-token-helper.sh': 'packages/git-auth/files/scripts/molecule-git-token-helper.sh',
    'scripts/molecule-gh-token-refresh.sh': 'packages/git-auth/files/scripts/molecule-gh-token-refresh.sh',
    'scripts/molecule-askpass': 'packages/git-auth/files/scripts/molecule-askpass',
    'entrypoint.sh': 'packages/entrypoint/files/entrypoint.sh',
  };
  for (const [to, from] of Object.entries(sources)) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    copyFileSync(join(root, from), join(dir, to));
  }
  writeFileSync(
    join(dir, 'requirements.txt'),
    'molecule-ai-workspace-runtime>=0.1.22\nclaude-agent-sdk>=0.1.58\n',
  );
  writeFileSync(join(dir, 'Dockerfile'), seedDockerfile(baseImage));
}

/** The one file of a context whose path ends with `name`. */
function find(dir: string, name: string): string {
  const all = (readdirSync(dir, { recursive: true }) as string[]).filter(
    (file) => file === name || file.endsWith(`/${name}`),
  );
  if (all.length !== 1) throw new Error(`${all.length} files named ${name} in ${dir}`);
  return join(dir, all[0]!);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** An edit of a file (or of a Dockerfile line) and its undoing. */
interface Edit {
  apply(run: number): void;
  undo(): void;
}

function appendTo(file: string): Edit {
  const original = readFileSync(file);
  return {
    apply: (run) =>
      writeFileSync(file, Buffer.concat([original, Buffer.from(`\n# bench edit ${run} ${Date.now()}\n`)])),
    undo: () => writeFileSync(file, original),
  };
}

function replaceIn(file: string, from: RegExp, to: (run: number) => string): Edit {
  const original = readFileSync(file, 'utf8');
  if (!from.test(original)) throw new Error(`${relative(root, file)} has no line matching ${from}`);
  return {
    apply: (run) => writeFileSync(file, original.replace(from, to(run))),
    undo: () => writeFileSync(file, original),
  };
}

async function main(): Promise<void> {
  const engine = await connectTestEngine().catch((error: Error) => {
    console.error(`rebuild bench: ${error.message}`);
    process.exit(2);
  });
  const work = mkdtempSync(join(tmpdir(), 'image-layers-rebuild-bench-'));
  try {
    const plan = planTestBuild(root, app, engine.baseImage, { workDir: join(work, 'composed') });
    const composed = planBuild('composed', plan);
    const seed: Build = { name: 'seed', context: join(work, 'seed'), args: [] };
    seedContext(seed.context, engine.baseImage);
    const log = (what: Build) => join(work, `${what.name}.log`);

    console.log(
      "rebuild after an edit: the seed's Dockerfile and the composed claude-code image, same engine, same substitutions",
    );
    console.log(
      `(local base ${engine.baseImage}; gh off; pip left out in both; steps not run in the composed build: ${plan.notRun.map((step) => step.unit).join(', ') || 'none'})`,
    );
    const cold = {
      seed: await build(engine, seed, log(seed)),
      composed: await build(engine, composed, log(composed)),
    };
    console.log(
      `first builds (the engine's cache may hold earlier runs): seed ${cold.seed.toFixed(1)} s, composed ${cold.composed.toFixed(1)} s`,
    );

    const rows: [string, Edit | undefined, Edit | undefined][] = [
      ['nothing changed', undefined, undefined],
      [
        'molecule-askpass',
        appendTo(find(seed.context, 'scripts/molecule-askpass')),
        appendTo(find(composed.context, 'molecule-askpass')),
      ],
      [
        'adapter.py',
        appendTo(find(seed.context, 'adapter.py')),
        appendTo(find(composed.context, 'adapter.py')),
      ],
      [
        'requirements.txt (composed: RUNTIME_MIN_VERSION)',
        appendTo(find(seed.context, 'requirements.txt')),
        replaceIn(
          join(composed.context, 'Dockerfile'),
          // `ARG RUNTIME_MIN_VERSION=...` on a line of its own, or as a continued line of an ARG of several names.
          /^(?<name>\s*(?:ARG\s+)?RUNTIME_MIN_VERSION=)[^\s\\]*/m,
          // A value no earlier run built (the engine's cache outlives a bench run), as the appended comments are.
          (run) => `$<name>0.${run + 2}.${Date.now()}`,
        ),
      ],
      [
        'entrypoint.sh',
        appendTo(find(seed.context, 'entrypoint.sh')),
        appendTo(find(composed.context, 'entrypoint.sh')),
      ],
    ];
    console.log(
      `\n| edit, then rebuild (median of ${RUNS}) | seed's Dockerfile | composed image | composed / seed |`,
    );
    console.log('|---|---|---|---|');
    for (const [what, seedEdit, composedEdit] of rows) {
      const times = { seed: [] as number[], composed: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        for (const [target, edit, key] of [
          [seed, seedEdit, 'seed'],
          [composed, composedEdit, 'composed'],
        ] as const) {
          edit?.apply(run);
          times[key].push(await build(engine, target, log(target)));
          if (edit) {
            edit.undo();
            await build(engine, target, log(target));
          }
        }
      }
      const [s, c] = [median(times.seed), median(times.composed)];
      console.log(`| ${what} | ${s.toFixed(2)} s | ${c.toFixed(2)} s | ${(c / s).toFixed(2)}× |`);
    }
    rmSync(work, { recursive: true, force: true });
  } catch (error) {
    // The contexts and build logs stay for a look.
    console.error(
      `rebuild bench: ${error instanceof Error ? error.message : String(error)} (contexts and logs kept in ${work})`,
    );
    process.exitCode = 1;
  }
}

void main();
