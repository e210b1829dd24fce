// Eight images, cold, share work: every image app (each folder under apps/ with an image.json) built from an
// engine that holds nothing but the local base, (a) each alone, the engine emptied before each, and (b) all
// together, one after another into the same emptied engine. Nothing here is asserted by a test: it prints figures.
// The issue aims at a together total of at most 0.6x the sum of the alone times.
//
// It empties the engine it runs on (every image but the base), so run it on an engine of its own, not the one
// whose cache the image tests use:
//
//   export IMAGE_TEST_DIR=/work/bench-engine      # any folder: the engine's data root is $IMAGE_TEST_DIR/docker
//   bash tools/image-test/bin/image-test-env.sh start    # as root; installs and starts dockerd, makes the base
//   eval "$(bash tools/image-test/bin/image-test-env.sh env | sed 's/^/export /')"   # DOCKER_HOST, IMAGE_TEST_BASE
//   npm run bench:cold                            # npm run bench runs it after start and rebuild
//   BENCH_COLD_IMAGES="autogen hermes gemini-cli" npm run bench:cold   # a subset, in that order
//   bash tools/image-test/bin/image-test-env.sh stop
//
// The builds make the image tests' substitutions (planTestBuild): the local Debian base, the steps that need a
// host out of reach turned off by a build argument or left out; each image's steps not run are printed. The
// engine's disk use is the du of its data root ($IMAGE_TEST_DIR/docker, else <repo>/.image-test/docker, checked
// against `docker info`), or `docker system df` when that folder is not the engine's. For information, each pair
// of images' shared leading steps: the instructions of their composed Dockerfiles identical from the top (the
// same text, the same value of each ARG, the same bytes in what each COPY takes from the context), which is what
// Docker's layer cache can reuse from one image's build in the other's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDockerfile } from '@image-layers/manifest/dockerfile-model';
import { connectTestEngine, type DockerEngine } from '@image-layers/image-test/engine';
import { planTestBuild, type TestBuildPlan } from '@image-layers/image-test/plan';
import { benchRepo, build, planBuild, type Build } from './engine-build';

const root = resolve(__dirname, '../../..');

interface Image {
  name: string;
  plan: TestBuildPlan;
  build: Build;
  /** One key a build step: equal keys, from the top, are steps Docker's cache can share. */
  steps: { key: string; text: string }[];
}

/**
 * The image apps: every folder under apps/ with an image.json, in name order; or those BENCH_COLD_IMAGES names
 * (space or comma separated, `-image` optional), in its order, since all eight twice is hours on a small host.
 */
function imageApps(): string[] {
  const apps = join(root, 'apps');
  const all = readdirSync(apps)
    .filter((name) => existsSync(join(apps, name, 'image.json')))
    .sort();
  const asked = (process.env.BENCH_COLD_IMAGES ?? '').split(/[\s,]+/).filter(Boolean);
  if (!asked.length) return all;
  const names = asked.map((name) => (name.endsWith('-image') ? name : `${name}-image`));
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length)
    throw new Error(
      `BENCH_COLD_IMAGES names ${unknown.join(', ')}, not an image app (apps: ${all.join(', ')})`,
    );
  return names;
}

/** A hash of a path in the context: a file's bytes and mode, a folder's entries, recursively. */
function hashPath(path: string, hash = createHash('sha256')): ReturnType<typeof createHash> {
  const stat = lstatSync(path);
  hash.update(`${stat.mode}\0`);
  if (stat.isDirectory())
    for (const entry of readdirSync(path).sort()) {
      hash.update(`${entry}\0`);
      hashPath(join(path, entry), hash);
    }
  else if (stat.isSymbolicLink()) hash.update('symlink\0');
  else hash.update(readFileSync(path));
  return hash;
}

/**
 * The build steps of a plan's Dockerfile, each keyed by its text (continuations joined), and: an ARG by the
 * value it takes (its --build-arg, else its default); a COPY or ADD from the context by the bytes it copies.
 */
function stepsOf(plan: TestBuildPlan): Image['steps'] {
  const text = readFileSync(join(plan.contextDir, 'Dockerfile'), 'utf8');
  const model = parseDockerfile(text);
  return model.instructions.map((instruction) => {
    const words = `${instruction.keyword} ${instruction.argumentsText}`
      .replace(/\\\r?\n/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    let key = words;
    if (instruction.keyword === 'ARG') {
      const [name, ...rest] = instruction.argumentsText.trim().split('=');
      const value = plan.buildArgs[name!] ?? (rest.length ? rest.join('=') : '<unset>');
      key += `\0value=${value}`;
    } else if (
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      !instruction.flags.some((flag) => flag.name === 'from')
    ) {
      for (const arg of instruction.args.slice(0, -1)) {
        const source = join(plan.contextDir, arg.value.replace(/^["']|["']$/g, ''));
        key += `\0${arg.value}=${existsSync(source) ? hashPath(source).digest('hex') : '<not a path>'}`;
      }
    }
    return { key, text: words.length > 70 ? `${words.slice(0, 67)}...` : words };
  });
}

/** How many steps two images share from the top, and the first two that differ. */
function sharedPrefix(a: Image, b: Image): { shared: number; first?: [string, string] } {
  let shared = 0;
  while (shared < a.steps.length && shared < b.steps.length && a.steps[shared]!.key === b.steps[shared]!.key)
    shared++;
  const [x, y] = [a.steps[shared], b.steps[shared]];
  return { shared, first: x || y ? [x?.text ?? '(end)', y?.text ?? '(end)'] : undefined };
}

/** Where the engine's disk use is read: the du of its data root, or `docker system df` when that is not here. */
interface DiskProbe {
  how: string;
  bytes(): Promise<number>;
}

async function diskProbe(engine: DockerEngine): Promise<DiskProbe> {
  const dataRoot = join(process.env.IMAGE_TEST_DIR || join(root, '.image-test'), 'docker');
  const info = await engine.docker(['info', '--format', '{{.DockerRootDir}}']);
  const engineRoot = info.stdout.trim();
  if (existsSync(dataRoot) && resolve(engineRoot) === resolve(dataRoot)) {
    return {
      how: `du of the data root ${dataRoot}`,
      bytes: async () =>
        Number(execFileSync('du', ['-sx', '-B1', dataRoot], { encoding: 'utf8' }).split(/\s/)[0]),
    };
  }
  return {
    how: `docker system df (the engine's data root is ${engineRoot || 'unknown'}, not ${dataRoot} on this machine)`,
    bytes: async () => {
      const df = await engine.docker(['system', 'df', '--format', '{{.Size}}']);
      if (df.exitCode !== 0) throw new Error(`docker system df exited ${df.exitCode}: ${df.stderr}`);
      const units: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
      return df.stdout
        .split('\n')
        .map((line) => /^([\d.]+)\s*([kKMGT]?B)/.exec(line.trim()))
        .reduce((sum, match) => sum + (match ? Number(match[1]) * units[match[2]!]! : 0), 0);
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const unique = (text: string) => [...new Set(text.split(/\s+/).filter(Boolean))];

/** Every container and every image but the base removed; stops the bench unless only the base is left. */
async function emptyEngine(engine: DockerEngine, baseId: string): Promise<void> {
  const run = (args: string[]) => engine.docker(args, { timeoutMs: 10 * 60_000 });
  const containers = unique((await run(['ps', '-aq'])).stdout);
  if (containers.length) await run(['rm', '-f', ...containers]);
  const tags = unique((await run(['images', '--format', '{{.Repository}}:{{.Tag}}', benchRepo('*')])).stdout);
  if (tags.length) await run(['rmi', '-f', ...tags]);
  const others = unique((await run(['images', '-aq', '--no-trunc'])).stdout).filter((id) => id !== baseId);
  if (others.length) await run(['rmi', '-f', ...others]);
  await run(['image', 'prune', '-f']);
  const left = await run(['images', '-aq', '--no-trunc']);
  const ids = unique(left.stdout);
  if (left.exitCode !== 0 || ids.length !== 1 || ids[0] !== baseId) {
    throw new Error(
      `the engine should hold only the base ${baseId} before a cold build, but \`docker images -aq\` lists: ${ids.join(' ') || '(nothing)'}${left.exitCode ? ` (exit ${left.exitCode}: ${left.stderr.trim()})` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const engine = await connectTestEngine().catch((error: Error) => {
    console.error(`cold bench: ${error.message}`);
    process.exit(2);
  });
  const work = mkdtempSync(join(tmpdir(), 'image-layers-cold-bench-'));
  try {
    const baseId = (
      await engine.docker(['image', 'inspect', '--format', '{{.Id}}', engine.baseImage])
    ).stdout.trim();
    const images: Image[] = imageApps().map((name) => {
      const plan = planTestBuild(root, join(root, 'apps', name), engine.baseImage, {
        workDir: join(work, name),
      });
      return { name, plan, build: planBuild(name, plan), steps: stepsOf(plan) };
    });
    const disk = await diskProbe(engine);
    console.log(
      `${images.length} images, cold, share work: each alone on an emptied engine, then all together (engine ${engine.host}, local base ${engine.baseImage})`,
    );
    console.log(`disk use: ${disk.how}`);
    console.log("steps not run (the image tests' substitutions):");
    for (const image of images) {
      const notRun = image.plan.notRun.map(
        (step) =>
          `${step.unit}: ${step.step} (needs ${step.host}; ${step.leftOut ? `its RUN (${step.leftOut}) left out` : step.how.split('; ').pop()})`,
      );
      console.log(`- ${image.name}: ${notRun.join('; ') || 'none'}`);
    }

    await emptyEngine(engine, baseId);
    const emptyBytes = await disk.bytes();
    const alone: Record<string, { seconds: number; bytes: number }> = {};
    for (const image of images) {
      await emptyEngine(engine, baseId);
      const seconds = await build(engine, image.build, join(work, `${image.name}.alone.log`));
      alone[image.name] = { seconds, bytes: await disk.bytes() };
      console.error(`  alone: ${image.name} ${seconds.toFixed(1)} s`);
    }

    await emptyEngine(engine, baseId);
    const together: Record<string, number> = {};
    const started = process.hrtime.bigint();
    for (const image of images) {
      together[image.name] = await build(engine, image.build, join(work, `${image.name}.together.log`));
      console.error(`  together: ${image.name} ${together[image.name]!.toFixed(1)} s`);
    }
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    const togetherBytes = await disk.bytes();
    await emptyEngine(engine, baseId);

    const sum = Object.values(alone).reduce((s, a) => s + a.seconds, 0);
    const largest = Object.entries(alone).reduce((a, b) => (b[1].bytes > a[1].bytes ? b : a));
    // Each alone build's engine held the base and that image only, so the sum is what building them on
    // separate engines would store; the together figure is one engine holding all of them.
    const sumBytes = Object.values(alone).reduce((s, a) => s + a.bytes, 0);
    console.log(
      '\n| image | build steps | alone (cold) | in the together run | data root after the alone build |',
    );
    console.log('|---|---|---|---|---|');
    for (const image of images)
      console.log(
        `| ${image.name} | ${image.steps.length} | ${alone[image.name]!.seconds.toFixed(1)} s | ${together[image.name]!.toFixed(1)} s | ${mb(alone[image.name]!.bytes)} |`,
      );
    console.log(
      `| **sum alone / together** | | **${sum.toFixed(1)} s** | **${total.toFixed(1)} s** (${(total / sum).toFixed(2)}×) | after together: ${mb(togetherBytes)}, alone summed: ${mb(sumBytes)} (${(togetherBytes / sumBytes).toFixed(2)}×) |`,
    );

    console.log('\n| pair | shared leading steps | of (a, b) | first step that differs (a / b) |');
    console.log('|---|---|---|---|');
    for (let i = 0; i < images.length; i++)
      for (let j = i + 1; j < images.length; j++) {
        const [a, b] = [images[i]!, images[j]!];
        const { shared, first } = sharedPrefix(a, b);
        const differs = first ? `\`${first[0]}\` / \`${first[1]}\`` : 'none';
        console.log(
          `| ${a.name} / ${b.name} | ${shared} | ${a.steps.length}, ${b.steps.length} | ${differs.replace(/\|/g, '\\|')} |`,
        );
      }

    console.log(
      `\ntogether ${total.toFixed(1)} s vs ${sum.toFixed(1)} s alone summed: ${(total / sum).toFixed(2)}× (goal ≤ 0.6×, ${total / sum <= 0.6 ? 'met' : 'not met'}); data root ${mb(togetherBytes)} after all ${images.length} together vs ${mb(sumBytes)} the alone builds' summed (${(togetherBytes / sumBytes).toFixed(2)}×) and ${mb(largest[1].bytes)} after the largest alone build (${largest[0]}), ${mb(emptyBytes)} with the base alone (${disk.how})`,
    );
    rmSync(work, { recursive: true, force: true });
  } catch (error) {
    // The contexts and build logs stay for a look.
    console.error(
      `cold bench: ${error instanceof Error ? error.message : String(error)} (contexts and logs kept in ${work})`,
    );
    process.exitCode = 1;
  }
}

void main();
