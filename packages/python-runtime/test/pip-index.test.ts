import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildWheel,
  layerDir,
  layerFile,
  startPythonIndex,
  workspaceRoot,
  type PythonIndex,
} from '@image-layers/testing';
import { connectTestEngine, testEngineAddress, type DockerEngine } from '@image-layers/image-test/engine';
import { reachableHosts } from '@image-layers/image-test/offline';
import { planTestBuild, type TestBuildPlan } from '@image-layers/image-test/plan';
import { buildTestImage } from '@image-layers/image-test/test-image';

// The pip step run for real (issue 9, item 5). The layer's image test leaves it out (PyPI is out of reach here);
// this test serves a package index of its own and builds the layer on the image-test engine twice: with
// RUNTIME_VERSION=a, then, once b is published, with RUNTIME_VERSION=b. The second build runs on the cache the first
// one warmed, so it proves the trap that shipped stale runtimes in the original templates closed: with the same
// requirements.txt bytes, a pip layer whose cache key ignored RUNTIME_VERSION came back from the cache with a.
//
// The index is a real HTTP server on the host's 127.0.0.1 serving PEP 503 pages (links with #sha256=) and wheels
// written here at test time. The build reaches it because the harness builds with `--network host`: the engine
// runs with --bridge=none (tools/image-test/bin/image-test-env.sh), so there is no bridge, nor a gateway address
// to bind to, and the host's network is the only one a build step has.
//
// Without an engine every test fails, saying what is missing and the command that starts it, as image tests do.

const RUNTIME = 'molecule-ai-workspace-runtime';
/** The floor requirements.txt asks for (molecule-ai-workspace-runtime>=0.1.22), already on the index. */
const FLOOR = /^molecule-ai-workspace-runtime>=(\S+)$/m.exec(
  readFileSync(layerFile('python-runtime', 'requirements.txt'), 'utf8'),
)![1]!;
const A = '0.1.30';
const B = '0.1.31';
/** Published with b: newer than b, so that b installed proves the pin, not the newest version. */
const NEWER = '0.1.32';

/**
 * The agent SDK as packages/adapter declares it (pythonPackages), which the composer puts in PYTHON_PACKAGES. A copy,
 * not read from the adapter: python-runtime's tests depend on no layer built after it.
 */
const sdkName = 'claude-agent-sdk';
const sdkVersion = '0.1.58';
const sdkRequirement = `${sdkName}>=${sdkVersion}`;
const sdkModule = sdkName.replace(/-/g, '_');

const runtimeWheel = (version: string) =>
  buildWheel({
    name: RUNTIME,
    version,
    files: {
      'molecule_runtime/__init__.py': `__version__ = "${version}"\n`,
      'molecule_runtime/cli.py': [
        'import sys',
        '',
        'from molecule_runtime import __version__',
        '',
        '',
        'def main():',
        '    if sys.argv[1:] == ["--version"]:',
        '        print(f"molecule-runtime {__version__}")',
        '        return 0',
        '    print("a stand-in runtime: it only answers --version", file=sys.stderr)',
        '    return 2',
        '',
      ].join('\n'),
    },
    consoleScripts: { 'molecule-runtime': 'molecule_runtime.cli:main' },
  });

const sdkWheel = () =>
  buildWheel({
    name: sdkName,
    version: sdkVersion,
    files: { [`${sdkModule}/__init__.py`]: `__version__ = "${sdkVersion}"\n` },
  });

// What the build runs on, beyond the layers: the local base, with what it adds beyond python:3.11-slim (listed in
// the test names, so no report reads this as python:3.11-slim itself). Debian's python3 also marks itself
// EXTERNALLY-MANAGED, so its pip refuses to install as root; python:3.11-slim's Python (built into /usr/local)
// carries no such marker, and neither does the base this test derives from the local one.
const { baseImage, baseAdds } = testEngineAddress();
const baseSays = `Debian's EXTERNALLY-MANAGED marker removed, as python:3.11-slim has none; the local base adds ${baseAdds.join(', ') || 'nothing'}`;

/** The local base without the marker, tagged after it (so a new base recipe gives a new one). */
async function pipBase(engine: DockerEngine): Promise<string> {
  const tag = `image-layers-test/pip-base:${baseImage.split(':')[1]}`;
  const dockerfile = `FROM ${baseImage}\nRUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED\n`;
  const built = await engine.docker(['build', '--network', 'none', '--tag', tag, '-'], {
    input: dockerfile,
    timeoutMs: 300_000,
  });
  if (built.exitCode !== 0) throw new Error(`building ${tag} failed: ${built.stderr.trim()}`);
  return tag;
}

interface Built {
  image: string;
  seconds: number;
  log: string;
  /** The index's requests during this build. */
  requests: string[];
  /** What `molecule-runtime --version` and importlib.metadata say inside the image, its network off. */
  runtimeVersion: string;
  installed: Record<string, string>;
  sdkImports: string;
}

const state: { engine?: DockerEngine; index?: PythonIndex; plan?: TestBuildPlan } = {};
afterAll(async () => state.index?.close());

async function setUp(): Promise<{ engine: DockerEngine; index: PythonIndex; plan: TestBuildPlan }> {
  const engine = await connectTestEngine();
  const base = await pipBase(engine);
  // The pip step's host is this test's index, so it is run: pypi.org counts as reachable for this build only.
  const plan = planTestBuild(workspaceRoot, layerDir('python-runtime'), base, {
    workDir: join(workspaceRoot, '.image-test', 'work', 'python-runtime-pip-index'),
    reachable: new Set([...reachableHosts(), 'pypi.org']),
  });
  const index = await startPythonIndex();
  // Two indexes, as the sibling templates use them: the private one with the runtime (PIP_INDEX_URL), and the
  // public one with everything else, the SDK here (PIP_EXTRA_INDEX_URL).
  for (const version of [FLOOR, A]) index.publish('private', runtimeWheel(version));
  index.publish('public', sdkWheel());
  Object.assign(state, { engine, index, plan });
  return { engine, index, plan };
}

async function buildWith(runtimeVersion: string, tag: string): Promise<Built> {
  const { engine, index, plan } = await setUpOnce();
  const image = `image-layers-test/python-runtime-pip-index:${tag}`;
  const logFile = join(workspaceRoot, '.image-test', 'logs', `python-runtime-pip-index-${tag}.build.log`);
  const before = index.requests.length;
  const started = Date.now();
  const result = await buildTestImage(
    engine,
    {
      ...plan,
      buildArgs: {
        ...plan.buildArgs,
        PIP_INDEX_URL: index.indexUrl('private'),
        PIP_EXTRA_INDEX_URL: index.indexUrl('public'),
        PYTHON_PACKAGES: sdkRequirement,
        RUNTIME_VERSION: runtimeVersion,
      },
    },
    image,
    logFile,
  );
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (!result.passed) throw new Error(`${result.name}: ${result.detail}`);
  const run = async (script: string) => {
    const ran = await engine.docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'sh',
      image,
      '-c',
      script,
    ]);
    if (ran.exitCode !== 0)
      throw new Error(`in ${image}, \`${script}\` exited ${ran.exitCode}: ${ran.stderr.trim()}`);
    return ran.stdout.trim();
  };
  const metadata = await run(
    `python3 -c 'import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in ["${RUNTIME}", "${sdkName}"]}))'`,
  );
  return {
    image,
    seconds,
    log: readFileSync(logFile, 'utf8'),
    requests: index.requests.slice(before).map((request) => `${request.method} ${request.url}`),
    runtimeVersion: await run('molecule-runtime --version'),
    installed: JSON.parse(metadata) as Record<string, string>,
    sdkImports: await run(`cd / && python3 -c 'import ${sdkModule} as sdk; print(sdk.__version__)'`),
  };
}

/** Each step of a docker build log (legacy builder): whether it came from the cache, or ran a container. */
function steps(log: string): { instruction: string; cached: boolean; ran: boolean }[] {
  return log
    .split(/^Step \d+\/\d+ : /m)
    .slice(1)
    .map((text) => ({
      instruction: text.split('\n')[0]!,
      cached: /^ ---> Using cache$/m.test(text),
      ran: /^ ---> Running in /m.test(text),
    }));
}

/** A function run at most once, its promise shared by every caller (a failure fails each of them). */
function once<T>(run: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= run());
}
const setUpOnce = once(setUp);
const first = once(() => buildWith(A, 'a'));
const second = once(async () => {
  await first();
  // b is published after a's build, as the runtime's publish pipeline does before it triggers the rebuild.
  for (const version of [B, NEWER]) state.index!.publish('private', runtimeWheel(version));
  return buildWith(B, 'b');
});

const BUILD_TIMEOUT = 20 * 60_000;

describe(`the pip step, run for real against a PEP 503 index on 127.0.0.1 (on the local base: ${baseSays})`, () => {
  test(
    `RUNTIME_VERSION=${A} installs runtime ${A} (its molecule-runtime says so) and the adapter's ${sdkRequirement} from the extra index`,
    async () => {
      const built = await first();
      process.stdout.write(`build with RUNTIME_VERSION=${A}: ${built.seconds} s\n`);
      expect(built.runtimeVersion).toBe(`molecule-runtime ${A}`);
      expect(built.installed).toEqual({ [RUNTIME]: A, [sdkName]: sdkVersion });
      expect(built.sdkImports).toBe(sdkVersion);
      // pip resolved through both indexes for real: the project pages, then the wheels they link.
      expect(built.requests).toEqual(
        expect.arrayContaining([
          `GET /private/simple/${RUNTIME}/`,
          `GET /public/simple/${sdkName}/`,
          `GET /files/molecule_ai_workspace_runtime-${A}-py3-none-any.whl`,
          `GET /files/${sdkModule}-${sdkVersion}-py3-none-any.whl`,
        ]),
      );
      // The step was in the build, not left out as in the layer's image test, and pip read exactly the two indexes.
      const dockerfile = readFileSync(join(state.plan!.contextDir, 'Dockerfile'), 'utf8');
      expect(dockerfile).not.toContain('[image-test: left out');
      expect(state.plan!.notRun.filter((step) => step.unit === 'python-runtime')).toEqual([]);
      expect(built.log).toContain(
        `Looking in indexes: ${state.index!.indexUrl('private')}, ${state.index!.indexUrl('public')}`,
      );
    },
    BUILD_TIMEOUT,
  );

  test(
    `then, ${B} published (and ${NEWER} after it), RUNTIME_VERSION=${B} on the warm cache installs ${B}: the pip layer is rebuilt, not replayed`,
    async () => {
      const built = await second();
      process.stdout.write(`build with RUNTIME_VERSION=${B}, cache warm: ${built.seconds} s\n`);
      expect(
        built.runtimeVersion,
        built.runtimeVersion === `molecule-runtime ${A}`
          ? `the image still holds ${A}: the pip layer came back from the cache (RUNTIME_VERSION is not in its cache key)`
          : undefined,
      ).toBe(`molecule-runtime ${B}`);
      expect(built.installed[RUNTIME]).toBe(B);
      // The cache was warm: no step before the pip step ran (the base's apt step among them came from the cache);
      // the pip step did.
      const all = steps(built.log);
      const pipStep = all.findIndex((step) => /^RUN .*\bpip install\b/.test(step.instruction));
      expect(pipStep, 'the build has no pip step').toBeGreaterThan(0);
      expect(all.slice(0, pipStep).filter((step) => step.ran)).toEqual([]);
      expect(all.slice(0, pipStep).find((step) => step.instruction.startsWith('RUN apt-get'))?.cached).toBe(
        true,
      );
      expect(all[pipStep]).toMatchObject({ cached: false, ran: true });
      expect(built.requests).toContainEqual(`GET /files/molecule_ai_workspace_runtime-${B}-py3-none-any.whl`);
    },
    BUILD_TIMEOUT,
  );
  test(
    'pip checks each download against the #sha256= its index links: the same wheel under a wrong digest is refused',
    async () => {
      const built = await second();
      const { engine, index } = state as Required<typeof state>;
      // A third index links b's wheel with a digest that is not its own; the image's pip, on the host's network.
      index.publish('tampered', { ...runtimeWheel(B), sha256: '0'.repeat(64) });
      const download = (from: string) =>
        engine.docker([
          'run',
          '--rm',
          '--network',
          'host',
          '--entrypoint',
          'python3',
          built.image,
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--no-cache-dir',
          '--dest',
          '/tmp/wheels',
          '--index-url',
          index.indexUrl(from),
          `${RUNTIME}==${B}`,
        ]);
      const good = await download('private');
      expect(good.exitCode, good.stderr).toBe(0);
      const tampered = await download('tampered');
      expect(tampered.exitCode).not.toBe(0);
      expect(tampered.stderr).toMatch(/DO NOT MATCH THE HASHES[\s\S]*Expected sha256 0{64}/);
    },
    BUILD_TIMEOUT,
  );
});
