import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildWheel,
  layerDir,
  pipBase,
  startPythonIndex,
  wheelFromFile,
  workspaceRoot,
  type PythonIndex,
} from '@image-layers/testing';
import { PYTHON_WHEELS_DIR, TEST_WHEEL_PACKAGES } from '@image-layers/testing';
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
const manifest = JSON.parse(readFileSync(join(layerDir('python-runtime'), 'layer.json'), 'utf8')) as {
  options: Record<string, { default: unknown }>;
};
/** The floor requirements.txt asks for by default (molecule-ai-workspace-runtime>=0.1.22), already on the index. */
const FLOOR = manifest.options.RUNTIME_MIN_VERSION!.default as string;
const A = '0.1.30';
const B = '0.1.31';
/** Published with b: newer than b, so that b installed proves the pin, not the newest version. */
const NEWER = '0.1.32';

/**
 * The agent SDK as claude-code-image declares it (pythonPackages), which the composer puts in PYTHON_PACKAGES. A copy,
 * not read from the adapter: python-runtime's tests depend on no layer built after it.
 */
const sdkName = 'claude-agent-sdk';
const sdkVersion = '0.1.58';
const sdkRequirement = `${sdkName}>=${sdkVersion}`;
const sdkModule = sdkName.replace(/-/g, '_');

/** A stand-in runtime: `molecule-runtime --version` prints its distribution and version. */
const runtimeWheel = (version: string, name = RUNTIME, requires: string[] = []) =>
  buildWheel({
    name,
    version,
    requires,
    files: {
      'molecule_runtime/__init__.py': `__version__ = "${version}"\n__distribution__ = "${name}"\n`,
      'molecule_runtime/cli.py': [
        'import sys',
        '',
        'from molecule_runtime import __distribution__, __version__',
        '',
        '',
        'def main():',
        '    if sys.argv[1:] == ["--version"]:',
        '        print(f"molecule-runtime {__version__}" + ("" if __distribution__ == "molecule-ai-workspace-runtime" else f" ({__distribution__})"))',
        '        return 0',
        '    print("a stand-in runtime: it only answers --version", file=sys.stderr)',
        '    return 2',
        '',
      ].join('\n'),
    },
    consoleScripts: { 'molecule-runtime': 'molecule_runtime.cli:main' },
  });

/** A stand-in of a plain library: its module says its version and which index it was published on. */
const libraryWheel = (name: string, version: string, from: string) =>
  buildWheel({
    name,
    version,
    files: {
      [`${name.replace(/-/g, '_')}/__init__.py`]: `__version__ = "${version}"\npublished_on = "${from}"\n`,
    },
  });

const sdkWheel = () => libraryWheel(sdkName, sdkVersion, 'public');

// What the build runs on, beyond the layers: the local base, with what it adds beyond python:3.11-slim (listed in
// the test names, so no report reads this as python:3.11-slim itself). Debian's python3 also marks itself
// EXTERNALLY-MANAGED, so its pip refuses to install as root; python:3.11-slim's Python (built into /usr/local)
// carries no such marker, and neither does the base this test derives from the local one.
const { baseImage, baseAdds } = testEngineAddress();
const baseSays = `Debian's EXTERNALLY-MANAGED marker removed, as python:3.11-slim has none; the local base adds ${baseAdds.join(', ') || 'nothing'}`;

interface Built {
  image: string;
  seconds: number;
  log: string;
  /** The index's requests during this build. */
  requests: string[];
  /** What `molecule-runtime --version` says inside the image, its network off. */
  runtimeVersion: string;
  /** importlib.metadata's version of each distribution asked for, inside the image ('' when not installed). */
  installed: Record<string, string>;
  /** Runs a shell script in the image, its network off, and gives its standard output. */
  run(script: string): Promise<string>;
}

const state: { engine?: DockerEngine; index?: PythonIndex; plan?: TestBuildPlan } = {};
afterAll(async () => state.index?.close());

async function setUp(): Promise<{ engine: DockerEngine; index: PythonIndex; plan: TestBuildPlan }> {
  const engine = await connectTestEngine();
  const base = await pipBase(engine.docker, baseImage);
  // The pip step's hosts are this test's indexes, so it is run: pypi.org and the Gitea host count as reachable for this build only.
  const plan = planTestBuild(workspaceRoot, layerDir('python-runtime'), base, {
    workDir: join(workspaceRoot, '.image-test', 'work', 'python-runtime-pip-index'),
    reachable: new Set([...reachableHosts(), 'pypi.org', 'git.moleculesai.app']),
  });
  const index = await startPythonIndex();
  // Two indexes, as claude-code's index pattern uses them: the private one with the runtime (PIP_INDEX_URL), and
  // the public one with everything else, the SDK here (PIP_EXTRA_INDEX_URL).
  for (const version of [FLOOR, A]) index.publish('private', runtimeWheel(version));
  index.publish('public', sdkWheel());
  Object.assign(state, { engine, index, plan });
  return { engine, index, plan };
}

/**
 * Builds the layer with these build arguments (on top of the plan's) as image-layers-test/python-runtime-pip-index:<tag>;
 * `expectFailure` gives back the failed build's log instead of throwing.
 */
async function build(tag: string, buildArgs: Record<string, string>, distributions: string[]): Promise<Built>;
async function build(
  tag: string,
  buildArgs: Record<string, string>,
  distributions: string[],
  expectFailure: true,
): Promise<{ log: string; requests: string[] }>;
async function build(
  tag: string,
  buildArgs: Record<string, string>,
  distributions: string[],
  expectFailure = false,
): Promise<Built | { log: string; requests: string[] }> {
  const { engine, index, plan } = await setUpOnce();
  const image = `image-layers-test/python-runtime-pip-index:${tag}`;
  const logFile = join(workspaceRoot, '.image-test', 'logs', `python-runtime-pip-index-${tag}.build.log`);
  const before = index.requests.length;
  const started = Date.now();
  const result = await buildTestImage(
    engine,
    { ...plan, buildArgs: { ...plan.buildArgs, ...buildArgs } },
    image,
    logFile,
  );
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const requests = () => index.requests.slice(before).map((request) => `${request.method} ${request.url}`);
  if (expectFailure) {
    if (result.passed) throw new Error(`the build ${tag} passed, but it must fail`);
    return { log: readFileSync(logFile, 'utf8'), requests: requests() };
  }
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
    `cd / && python3 -c 'import importlib.metadata as m, json, sys\ndef v(n):\n    try:\n        return m.version(n)\n    except m.PackageNotFoundError:\n        return ""\nprint(json.dumps({n: v(n) for n in sys.argv[1:]}))' ${distributions.join(' ')}`,
  );
  return {
    image,
    seconds,
    log: readFileSync(logFile, 'utf8'),
    requests: requests(),
    runtimeVersion: await run('molecule-runtime --version'),
    installed: JSON.parse(metadata) as Record<string, string>,
    run,
  };
}

/** The index pattern, as claude-code-image builds it: the runtime from the private index, the SDK from the public. */
const buildWith = async (runtimeVersion: string, tag: string) => {
  const built = await build(
    tag,
    {
      PIP_INDEX_URL: state.index!.indexUrl('private'),
      PIP_EXTRA_INDEX_URL: state.index!.indexUrl('public'),
      PYTHON_PACKAGES: sdkRequirement,
      RUNTIME_VERSION: runtimeVersion,
    },
    [RUNTIME, sdkName],
  );
  return {
    ...built,
    sdkImports: await built.run(`cd / && python3 -c 'import ${sdkModule} as sdk; print(sdk.__version__)'`),
  };
};

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
const first = once(async () => {
  await setUpOnce();
  return buildWith(A, 'a');
});
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
          `GET /files/private/molecule_ai_workspace_runtime-${A}-py3-none-any.whl`,
          `GET /files/public/${sdkModule}-${sdkVersion}-py3-none-any.whl`,
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
      const pipStep = all.findIndex((step) => /^RUN case "\$\{RUNTIME_SOURCE\}"/.test(step.instruction));
      expect(pipStep, 'the build has no pip step').toBeGreaterThan(0);
      expect(all.slice(0, pipStep).filter((step) => step.ran)).toEqual([]);
      expect(all.slice(0, pipStep).find((step) => step.instruction.startsWith('RUN apt-get'))?.cached).toBe(
        true,
      );
      expect(all[pipStep]).toMatchObject({ cached: false, ran: true });
      expect(built.requests).toContainEqual(
        `GET /files/private/molecule_ai_workspace_runtime-${B}-py3-none-any.whl`,
      );
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

// RUNTIME_SOURCE=private-wheel, as codex, hermes and openclaw install the runtime, against two indexes on
// 127.0.0.1 that each plant a namesake of what the other serves: the private one ("gitea") serves the runtime and
// a2a-sdk 99.0.0, the public one ("pypi") serves a2a-sdk 1.0.3, the SDK and a runtime 99.0.0. The runtime depends
// on a2a-sdk. A solve over both indexes takes the highest version of each name, so it installs both plants (the
// index-pattern build below shows it, so these tests can fail); the split must install neither.
const SPLIT_RUNTIME = 'molecules-workspace-runtime';
const SPLIT_FLOOR = '0.4.0';
const SPLIT_A = '0.4.86';
const SPLIT_B = '0.4.87';
const SPLIT_NEWER = '0.4.88';
const PLANT = '99.0.0';
const DEP = 'a2a-sdk';
const DEP_VERSION = '1.0.3';
const splitRuntimeWheel = (version: string) => runtimeWheel(version, SPLIT_RUNTIME, [`${DEP}>=1.0`]);

const publishSplitIndexes = once(async () => {
  const { index } = await setUpOnce();
  for (const version of [SPLIT_FLOOR, SPLIT_A]) index.publish('gitea', splitRuntimeWheel(version));
  index.publish('gitea', libraryWheel(DEP, PLANT, 'gitea'));
  index.publish('pypi', libraryWheel(DEP, DEP_VERSION, 'pypi'));
  index.publish('pypi', libraryWheel(sdkName, sdkVersion, 'pypi'));
  index.publish('pypi', runtimeWheel(PLANT, SPLIT_RUNTIME, [`${DEP}>=1.0`]));
  return index;
});

const splitArgs = (index: PythonIndex, runtimeVersion: string) => ({
  RUNTIME_SOURCE: 'private-wheel',
  RUNTIME_DISTRIBUTION: SPLIT_RUNTIME,
  RUNTIME_MIN_VERSION: SPLIT_FLOOR,
  MOLECULE_RUNTIME_INDEX: index.indexUrl('gitea'),
  PIP_INDEX_URL: index.indexUrl('pypi'),
  PIP_EXTRA_INDEX_URL: '',
  PYTHON_PACKAGES: sdkRequirement,
  RUNTIME_VERSION: runtimeVersion,
});
const publishedOn = (built: Built, module: string) =>
  built.run(`cd / && python3 -c 'import ${module.replace(/-/g, '_')} as m; print(m.published_on)'`);

const splitFirst = once(async () => {
  const index = await publishSplitIndexes();
  return build('split-a', splitArgs(index, SPLIT_A), [SPLIT_RUNTIME, DEP, sdkName]);
});
const splitSecond = once(async () => {
  await splitFirst();
  for (const version of [SPLIT_B, SPLIT_NEWER]) state.index!.publish('gitea', splitRuntimeWheel(version));
  return build('split-b', splitArgs(state.index!, SPLIT_B), [SPLIT_RUNTIME, DEP, sdkName]);
});

describe(`RUNTIME_SOURCE=private-wheel, run for real against a private and a public index on 127.0.0.1, each planting a namesake (on the local base: ${baseSays})`, () => {
  test(
    `installs runtime ${SPLIT_A} from the private index, and ${DEP} ${DEP_VERSION} from the public one, not the private ${DEP} ${PLANT}`,
    async () => {
      const built = await splitFirst();
      process.stdout.write(
        `build with RUNTIME_SOURCE=private-wheel RUNTIME_VERSION=${SPLIT_A}: ${built.seconds} s\n`,
      );
      expect(built.runtimeVersion).toBe(`molecule-runtime ${SPLIT_A} (${SPLIT_RUNTIME})`);
      expect(built.installed).toEqual({
        [SPLIT_RUNTIME]: SPLIT_A,
        [DEP]: DEP_VERSION,
        [sdkName]: sdkVersion,
      });
      expect(await publishedOn(built, DEP)).toBe('pypi');
      const gitea = built.requests.filter((request) => request.includes('/gitea/'));
      const pypi = built.requests.filter((request) => request.includes('/pypi/'));
      // The private index was asked for the runtime alone, and gave its wheel; the public one was never asked for
      // the runtime (the local wheel file was the requirement), so neither namesake was even looked at.
      expect(gitea).toEqual([
        `GET /gitea/simple/${SPLIT_RUNTIME}/`,
        `GET /files/gitea/molecules_workspace_runtime-${SPLIT_A}-py3-none-any.whl`,
      ]);
      expect(pypi).toEqual(
        expect.arrayContaining([
          `GET /pypi/simple/${DEP}/`,
          `GET /files/pypi/a2a_sdk-${DEP_VERSION}-py3-none-any.whl`,
          `GET /pypi/simple/${sdkName}/`,
        ]),
      );
      expect(pypi.filter((request) => request.includes('molecules'))).toEqual([]);
      // pip was isolated: each half names its one index, none came from the build's PIP_* variables.
      expect(built.log).toContain(`Looking in indexes: ${state.index!.indexUrl('gitea')}\n`);
      expect(built.log).toContain(`Looking in indexes: ${state.index!.indexUrl('pypi')}\n`);
      expect(await built.run('cat /app/requirements.txt')).toBe(`${SPLIT_RUNTIME}>=${SPLIT_FLOOR}`);
      // No downloaded wheel is left in the image.
      expect(await built.run('find /tmp -name "*.whl" | wc -l')).toBe('0');
    },
    BUILD_TIMEOUT,
  );

  test(
    `then, ${SPLIT_B} published (and ${SPLIT_NEWER} after it), RUNTIME_VERSION=${SPLIT_B} on the warm cache installs ${SPLIT_B}: the runtime step is rebuilt, not replayed`,
    async () => {
      const built = await splitSecond();
      process.stdout.write(
        `build with RUNTIME_SOURCE=private-wheel RUNTIME_VERSION=${SPLIT_B}, cache warm: ${built.seconds} s\n`,
      );
      expect(built.runtimeVersion).toBe(`molecule-runtime ${SPLIT_B} (${SPLIT_RUNTIME})`);
      expect(built.installed[SPLIT_RUNTIME]).toBe(SPLIT_B);
      expect(built.installed[DEP]).toBe(DEP_VERSION);
      const all = steps(built.log);
      const pipStep = all.findIndex((step) => /^RUN case "\$\{RUNTIME_SOURCE\}"/.test(step.instruction));
      expect(pipStep, 'the build has no runtime step').toBeGreaterThan(0);
      expect(all.slice(0, pipStep).filter((step) => step.ran)).toEqual([]);
      expect(all[pipStep]).toMatchObject({ cached: false, ran: true });
      expect(built.requests).toContainEqual(
        `GET /files/gitea/molecules_workspace_runtime-${SPLIT_B}-py3-none-any.whl`,
      );
    },
    BUILD_TIMEOUT,
  );

  test(
    `without RUNTIME_VERSION, takes the newest runtime the private index has (${SPLIT_NEWER}), not the public namesake ${PLANT}`,
    async () => {
      await splitSecond();
      const built = await build('split-floor', splitArgs(state.index!, ''), [SPLIT_RUNTIME, DEP]);
      expect(built.runtimeVersion).toBe(`molecule-runtime ${SPLIT_NEWER} (${SPLIT_RUNTIME})`);
      expect(built.installed).toEqual({ [SPLIT_RUNTIME]: SPLIT_NEWER, [DEP]: DEP_VERSION });
    },
    BUILD_TIMEOUT,
  );

  test(
    `the same two indexes in one solve (RUNTIME_SOURCE=index, the private one as PIP_INDEX_URL, the public as PIP_EXTRA_INDEX_URL) install both plants: what the split prevents`,
    async () => {
      await splitSecond();
      const index = state.index!;
      const built = await build(
        'split-contrast',
        {
          RUNTIME_SOURCE: 'index',
          RUNTIME_DISTRIBUTION: SPLIT_RUNTIME,
          RUNTIME_MIN_VERSION: SPLIT_FLOOR,
          PIP_INDEX_URL: index.indexUrl('gitea'),
          PIP_EXTRA_INDEX_URL: index.indexUrl('pypi'),
          PYTHON_PACKAGES: '',
          RUNTIME_VERSION: '',
        },
        [SPLIT_RUNTIME, DEP],
      );
      expect(built.installed).toEqual({ [SPLIT_RUNTIME]: PLANT, [DEP]: PLANT });
      expect(await publishedOn(built, DEP)).toBe('gitea');
    },
    BUILD_TIMEOUT,
  );
});

// PIP_TOOLING_UPGRADE=true, langgraph's `pip install --upgrade pip setuptools wheel`, against the indexes the build
// is given. Real pip and setuptools wheels are not to be had from PyPI here, so the index serves this host's Debian
// ones (python3-pip-whl, python3-setuptools-whl): pip's is older than the base's, so pip stays as it is; the base has
// no setuptools and no wheel (pip-base.ts), so the index's setuptools and a stand-in wheel 0.99.0 (nothing in the
// build imports it: pip installs wheels itself) are what the upgrade must take from the index. Against indexes serving none of them, the build must fail: `pip install
// --upgrade` alone would pass, keeping the old copies.
// The Debian packages are in the host-tool map (support/tools.ts), so `npm test` installs them.
const DEBIAN_WHEELS = PYTHON_WHEELS_DIR;
const debianWheel = (name: string) => {
  const file = existsSync(DEBIAN_WHEELS)
    ? readdirSync(DEBIAN_WHEELS).find((entry) => entry.startsWith(`${name}-`))
    : undefined;
  if (!file)
    throw new Error(
      `no ${name} wheel in ${DEBIAN_WHEELS}: this test serves Debian's; run \`apt-get install -y ${TEST_WHEEL_PACKAGES[`${name}-`]}\` (npm test installs it)`,
    );
  return wheelFromFile(join(DEBIAN_WHEELS, file));
};
const STANDIN_WHEEL_VERSION = '0.99.0';

describe(`PIP_TOOLING_UPGRADE=true, run for real against indexes on 127.0.0.1 (on the local base: ${baseSays})`, () => {
  test(
    `upgrades from the configured indexes: wheel ${STANDIN_WHEEL_VERSION} and setuptools from the extra index, pip as it was (the index has no newer); the runtime step runs after it`,
    async () => {
      const { index } = await setUpOnce();
      const [pip, setuptools] = [debianWheel('pip'), debianWheel('setuptools')];
      for (const wheel of [pip, setuptools, libraryWheel('wheel', STANDIN_WHEEL_VERSION, 'tooling')])
        index.publish('tooling', wheel);
      index.publish('tooling', sdkWheel());
      const built = await build(
        'tooling',
        {
          PIP_TOOLING_UPGRADE: 'true',
          PIP_INDEX_URL: index.indexUrl('private'),
          PIP_EXTRA_INDEX_URL: index.indexUrl('tooling'),
          PYTHON_PACKAGES: sdkRequirement,
          RUNTIME_VERSION: A,
        },
        ['pip', 'setuptools', 'wheel', RUNTIME],
      );
      const basePip = (await built.run('python3 -m pip --version')).split(' ')[1];
      expect(built.installed).toEqual({
        pip: basePip,
        setuptools: setuptools.version,
        wheel: STANDIN_WHEEL_VERSION,
        [RUNTIME]: A,
      });
      expect(await publishedOn(built, 'wheel')).toBe('tooling');
      // Each was looked up on both indexes (the private one has none) and downloaded from the one that has it.
      for (const name of ['pip', 'setuptools', 'wheel'])
        expect(built.requests).toEqual(
          expect.arrayContaining([`GET /private/simple/${name}/`, `GET /tooling/simple/${name}/`]),
        );
      expect(built.requests).toEqual(
        expect.arrayContaining([
          `GET /files/tooling/${pip.filename}`,
          `GET /files/tooling/${setuptools.filename}`,
          `GET /files/tooling/wheel-${STANDIN_WHEEL_VERSION}-py3-none-any.whl`,
        ]),
      );
      expect(built.runtimeVersion).toBe(`molecule-runtime ${A}`);
    },
    BUILD_TIMEOUT,
  );

  test(
    'fails the build when the indexes serve none of them, naming what is missing, before the runtime step',
    async () => {
      const { index } = await setUpOnce();
      const failed = await build(
        'tooling-missing',
        {
          PIP_TOOLING_UPGRADE: 'true',
          PIP_INDEX_URL: index.indexUrl('private'),
          PIP_EXTRA_INDEX_URL: index.indexUrl('public'),
          PYTHON_PACKAGES: sdkRequirement,
          RUNTIME_VERSION: '',
        },
        [],
        true,
      );
      expect(failed.log).toMatch(/No matching distribution found for (pip|setuptools|wheel)/);
      expect(failed.requests).toEqual(
        expect.arrayContaining(['GET /private/simple/pip/', 'GET /public/simple/pip/']),
      );
      // The runtime step never ran: no request for the runtime.
      expect(failed.requests.filter((request) => request.includes('workspace'))).toEqual([]);
    },
    BUILD_TIMEOUT,
  );
});
