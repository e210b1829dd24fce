import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildWheel,
  layerDir,
  makeTempDir,
  pipBase,
  startPythonIndex,
  workspaceRoot,
  type PythonIndex,
} from '@image-layers/testing';
import { connectTestEngine, testEngineAddress, type DockerEngine } from '@image-layers/image-test/engine';
import { reachableHosts } from '@image-layers/image-test/offline';
import { planTestBuild, type TestBuildPlan } from '@image-layers/image-test/plan';
import { buildTestImage } from '@image-layers/image-test/test-image';

// The inline bake built for real on the image-test engine, with a real MCP server from the npm registry (reachable
// from the engine), then started in the image with no network at all. The layer's own image test leaves the step
// out: its default server is on the platform's Gitea registry, out of reach here.
//
// The build runs in a copy of the layers it is built on (base-os, node-runtime with Debian's nodejs and npm, as
// gemini-cli's Node is, agent-user, python-runtime: test/image-test.json lists them) and mcp-prebake itself.
//
// Without an engine every test fails, saying what is missing and the command that starts it, as image tests do.

/** A small real MCP server (its one dependency is the MCP SDK), pinned, and a tool its tools/list names. */
const SERVER = '@modelcontextprotocol/server-memory';
const SERVER_VERSION = '2026.8.31';
const TOOL = 'create_entities';
const PINNED = `${SERVER}@${SERVER_VERSION}`;
/** What the bake sends a server, and what a client sends it in the image. */
const REQUESTS = [
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}',
  '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}',
].join('\n');

const BUILD_TIMEOUT = 20 * 60_000;
const temp = makeTempDir();
afterAll(temp.cleanup);

/** A copy of the layers the bake is built on and mcp-prebake, for the harness to compose and plan as any layer. */
function fixtureWorkspace(name = 'workspace'): string {
  const root = join(temp.path, name);
  mkdirSync(join(root, 'packages'), { recursive: true });
  writeFileSync(join(root, 'nx.json'), '{}\n');
  for (const layer of ['base-os', 'node-runtime', 'agent-user', 'python-runtime', 'mcp-prebake'])
    cpSync(layerDir(layer), join(root, 'packages', layer), { recursive: true });
  return root;
}

const state: { engine?: DockerEngine; plan?: TestBuildPlan } = {};
async function setUp(): Promise<{ engine: DockerEngine; plan: TestBuildPlan }> {
  const engine = await connectTestEngine();
  const root = fixtureWorkspace();
  // The bake's hosts are the npm registry for every package here: the Gitea host counts as reachable for this build
  // only, since the build arguments below point the step away from it.
  const plan = planTestBuild(root, join(root, 'packages', 'mcp-prebake'), testEngineAddress().baseImage, {
    workDir: join(root, '.image-test', 'work', 'mcp-prebake'),
    reachable: new Set([...reachableHosts(), 'git.moleculesai.app', 'registry.npmjs.org']),
  });
  Object.assign(state, { engine, plan });
  return { engine, plan };
}
let setUpPromise: ReturnType<typeof setUp> | undefined;
const setUpOnce = () => (setUpPromise ??= setUp());

const logDir = join(workspaceRoot, '.image-test', 'logs');
async function build(tag: string, args: Record<string, string>) {
  const { engine, plan } = await setUpOnce();
  mkdirSync(logDir, { recursive: true });
  const image = `image-layers-test/mcp-prebake-npm:${tag}`;
  const logFile = join(logDir, `mcp-prebake-npm-${tag}.build.log`);
  const result = await buildTestImage(
    engine,
    { ...plan, buildArgs: { ...plan.buildArgs, ...args } },
    image,
    logFile,
  );
  return { image, result, log: readFileSync(logFile, 'utf8') };
}

let good: ReturnType<typeof build> | undefined;
const goodBuild = () =>
  (good ??= build('memory', {
    MCP_PREBAKE_MODE: 'inline',
    MCP_SERVER_PACKAGES: `${PINNED}=${TOOL}`,
    // A scope registry that resolves here, so the ~/.npmrc path is built too.
    MCP_NPM_SCOPE_REGISTRY: '@modelcontextprotocol=https://registry.npmjs.org/',
    // A new value each run gives the bake step a new cache key (and only it: the ARG is declared just before it),
    // so the step runs, and its log is read, every time rather than coming back from an earlier run's cache.
    MCP_CHECK_ENV: `MEMORY_FILE_PATH=/tmp/mcp-prebake-memory-${process.pid}-${Date.now()}.jsonl`,
  }));

/** Runs a script in the built image as `user`, with no network at all. */
async function inImage(image: string, user: string, script: string, input = '') {
  return state.engine!.docker(
    [
      'run',
      '--rm',
      '-i',
      '--network',
      'none',
      '--user',
      user,
      '--workdir',
      '/',
      '--entrypoint',
      'sh',
      image,
      '-c',
      script,
    ],
    { input },
  );
}

describe(`the inline bake, built for real with ${PINNED} from the npm registry (on the local base and Debian's nodejs/npm)`, () => {
  test(
    `the build warms the agent's cache and its offline check lists ${TOOL}`,
    async () => {
      const built = await goodBuild();
      expect(built.result.passed, built.result.detail).toBe(true);
      expect(built.log).toMatch(
        new RegExp(`mcp-prebake: ${PINNED.replace(/[/.]/g, '\\$&')} run once from / to fill npx's cache`),
      );
      expect(built.log).toMatch(new RegExp(`tools: .*\\b${TOOL}\\b`));
    },
    BUILD_TIMEOUT,
  );

  test(
    `as agent, with no network at all, \`npx --offline ${PINNED}\` starts the server from the cache and it answers tools/list`,
    async () => {
      const built = await goodBuild();
      const ran = await inImage(
        built.image,
        'agent',
        `MEMORY_FILE_PATH=/tmp/m.jsonl timeout 60 npx -y --offline ${PINNED}`,
        `${REQUESTS}\n`,
      );
      const answer = ran.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { id?: number; result?: { tools?: { name: string }[] } })
        .find((message) => message.id === 2);
      expect(
        answer?.result?.tools?.map((tool) => tool.name),
        ran.stderr,
      ).toContain(TOOL);
      // As the runtime launches it, --prefer-offline, the same: it needs nothing from the network either.
      const preferred = await inImage(
        built.image,
        'agent',
        `MEMORY_FILE_PATH=/tmp/m.jsonl timeout 60 npx -y --prefer-offline ${PINNED}`,
        `${REQUESTS}\n`,
      );
      expect(preferred.stdout, preferred.stderr).toContain(`"name":"${TOOL}"`);
    },
    BUILD_TIMEOUT,
  );

  test(
    "the caches are the agent's, the scope registry is in its ~/.npmrc, and nothing is installed globally or left behind",
    async () => {
      const built = await goodBuild();
      const ran = await inImage(
        built.image,
        'root',
        [
          'stat -c "%U:%G" /home/agent/.npm',
          'find /home/agent/.npm ! -user agent | wc -l',
          'test -d /home/agent/.npm/_cacache && test -d /home/agent/.npm/_npx && echo caches',
          'cat /home/agent/.npmrc',
          // Counted by awk, which exits 0 on no match (grep -c would exit 1 on 0).
          `npm ls -g --depth=0 --parseable | awk '/server-memory/ { n++ } END { print n + 0 }'`,
          'command -v mcp-server-memory || echo "not on PATH"',
          'find / -xdev -path /proc -prune -o -type d -name node_modules -path "*server-memory*" -not -path "/home/agent/.npm/_npx/*" -print | wc -l',
        ].join(' && '),
      );
      expect(ran.exitCode, ran.stderr).toBe(0);
      expect(ran.stdout.trim().split('\n')).toEqual([
        'agent:agent',
        '0',
        'caches',
        '@modelcontextprotocol:registry=https://registry.npmjs.org/',
        '0',
        'not on PATH',
        '0',
      ]);
    },
    BUILD_TIMEOUT,
  );

  test(
    'the build leaves the image as root, for the entrypoint and the layers after it',
    async () => {
      const built = await goodBuild();
      const user = await state.engine!.docker([
        'image',
        'inspect',
        '--format',
        '{{.Config.User}}',
        built.image,
      ]);
      expect(user.stdout.trim()).toBe('root');
    },
    BUILD_TIMEOUT,
  );

  test(
    'a server whose tools/list lacks the named tool fails the build, saying what it listed',
    async () => {
      await goodBuild();
      const failed = await build('memory-wrong-tool', {
        MCP_PREBAKE_MODE: 'inline',
        MCP_SERVER_PACKAGES: `${PINNED}=no_such_tool`,
        MCP_NPM_SCOPE_REGISTRY: '',
        MCP_CHECK_ENV: 'MEMORY_FILE_PATH=/tmp/mcp-prebake-memory.jsonl',
      });
      expect(failed.result.passed).toBe(false);
      expect(failed.log).toMatch(
        new RegExp(`its tools/list answered .*\\b${TOOL}\\b.*, without no_such_tool`),
      );
      expect(failed.log).toContain(
        `mcp-prebake: ${PINNED} does not start offline from the agent's npm cache`,
      );
    },
    BUILD_TIMEOUT,
  );

  test(
    'a version the registry does not have fails the build at npm install',
    async () => {
      await goodBuild();
      const failed = await build('memory-no-version', {
        MCP_PREBAKE_MODE: 'inline',
        MCP_SERVER_PACKAGES: `${SERVER}@0.0.0-no-such-version`,
        MCP_NPM_SCOPE_REGISTRY: '',
        MCP_CHECK_ENV: '',
      });
      expect(failed.result.passed).toBe(false);
      expect(failed.log).toMatch(/ETARGET|No matching version/);
    },
    BUILD_TIMEOUT,
  );
});

// MCP_PREBAKE_MODE=runtime-helper, as codex, hermes and openclaw bake: the runtime's own
// molecule_runtime/scripts/prebake-mgmt-mcp.sh, run as agent. The real helper is inside the private runtime wheel,
// out of reach here; a stand-in runtime wheel ships one that records who ran it and where, and python-runtime
// installs that wheel for real from an index on 127.0.0.1 (test/pip-index.test.ts in python-runtime shows how).
const HELPER_RUNTIME = '0.1.40';
const NO_HELPER_RUNTIME = '0.1.41';
const helperState: { index?: PythonIndex; plan?: TestBuildPlan } = {};
afterAll(async () => helperState.index?.close());

const runtimeWheel = (version: string, helper: boolean) =>
  buildWheel({
    name: 'molecule-ai-workspace-runtime',
    version,
    files: {
      'molecule_runtime/__init__.py': `__version__ = "${version}"\n`,
      ...(helper
        ? {
            'molecule_runtime/scripts/prebake-mgmt-mcp.sh': [
              '#!/bin/bash',
              'set -euo pipefail',
              "# A stand-in for the runtime's bake: it records the user, the home and that npm is on PATH.",
              'printf "%s %s %s\\n" "$(id -un)" "$HOME" "$(command -v npm)" > "$HOME/.prebake-helper-ran"',
              '',
            ].join('\n'),
          }
        : {}),
    },
  });

async function helperSetUp(): Promise<TestBuildPlan> {
  const { engine } = await setUpOnce();
  const index = await startPythonIndex();
  index.publish('runtime', runtimeWheel(HELPER_RUNTIME, true));
  index.publish('runtime', runtimeWheel(NO_HELPER_RUNTIME, false));
  helperState.index = index;
  // The chain the runtime-helper mode needs has python-runtime before mcp-prebake (its requires do not say so, since
  // inline needs no runtime; the step itself fails saying so): test/image-test.json's layers list it.
  const root = fixtureWorkspace('workspace-helper');
  const plan = planTestBuild(
    root,
    join(root, 'packages', 'mcp-prebake'),
    await pipBase(engine.docker, testEngineAddress().baseImage),
    {
      workDir: join(root, '.image-test', 'work', 'mcp-prebake-helper'),
      reachable: new Set([...reachableHosts(), 'pypi.org', 'git.moleculesai.app', 'registry.npmjs.org']),
    },
  );
  helperState.plan = plan;
  return plan;
}
let helperPlan: Promise<TestBuildPlan> | undefined;

async function helperBuild(tag: string, runtimeVersion: string) {
  const plan = await (helperPlan ??= helperSetUp());
  const index = helperState.index!;
  const image = `image-layers-test/mcp-prebake-helper:${tag}`;
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `mcp-prebake-helper-${tag}.build.log`);
  const result = await buildTestImage(
    state.engine!,
    {
      ...plan,
      buildArgs: {
        ...plan.buildArgs,
        PIP_INDEX_URL: index.indexUrl('runtime'),
        PYTHON_PACKAGES: '',
        RUNTIME_VERSION: runtimeVersion,
        MCP_PREBAKE_MODE: 'runtime-helper',
      },
    },
    image,
    logFile,
  );
  return { image, result, log: readFileSync(logFile, 'utf8') };
}

describe('the runtime-helper bake, built for real with a stand-in runtime wheel installed by python-runtime', () => {
  test(
    "runs the runtime's prebake-mgmt-mcp.sh as agent, with agent's home and npm on PATH, and leaves the image as root",
    async () => {
      const built = await helperBuild('helper', HELPER_RUNTIME);
      expect(built.result.passed, built.result.detail).toBe(true);
      const ran = await inImage(
        built.image,
        'root',
        'cat /home/agent/.prebake-helper-ran && stat -c "%U" /home/agent/.prebake-helper-ran',
      );
      expect(ran.stdout.trim().split('\n')).toEqual(['agent /home/agent /usr/bin/npm', 'agent']);
      const user = await state.engine!.docker([
        'image',
        'inspect',
        '--format',
        '{{.Config.User}}',
        built.image,
      ]);
      expect(user.stdout.trim()).toBe('root');
    },
    BUILD_TIMEOUT,
  );

  test(
    'a runtime that ships no helper fails the build, naming the path it looked for',
    async () => {
      const built = await helperBuild('no-helper', NO_HELPER_RUNTIME);
      expect(built.result.passed).toBe(false);
      expect(built.log).toMatch(
        /mcp-prebake: this runtime ships no \S+\/molecule_runtime\/scripts\/prebake-mgmt-mcp\.sh/,
      );
    },
    BUILD_TIMEOUT,
  );
});
