import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { layerDir, makeTempDir, parseLayerFragment, requireTool, runScript } from '@image-layers/testing';

const fragment = parseLayerFragment('mcp-prebake');
const keywords = fragment.instructions.map((instruction) => instruction.getKeyword());
const manifest = JSON.parse(readFileSync(join(layerDir('mcp-prebake'), 'layer.json'), 'utf8')) as {
  requires: string[];
  options: Record<string, { default: string; pattern?: string }>;
};
const accepts = (option: string, value: string) =>
  new RegExp(`^(?:${manifest.options[option]!.pattern})$`).test(value);
const bake = fragment.bodies('RUN')[0]!;

describe('the mcp-prebake fragment', () => {
  test('runs its one step as agent, and gives the build back to root (the user later layers and the entrypoint expect)', () => {
    expect(fragment.bodies('USER')).toEqual(['agent', 'root']);
    expect(keywords.filter((keyword) => keyword !== 'ARG')).toEqual(['USER', 'RUN', 'USER']);
    expect(keywords.at(-1)).toBe('USER');
  });

  test('requires the agent user, node and npm; declares every option before the step', () => {
    expect(manifest.requires).toEqual(['user:agent', 'command:node', 'command:npm']);
    const args = fragment.argDeclarations.map((declaration) => declaration.name);
    expect(args.sort()).toEqual(Object.keys(manifest.options).sort());
    expect(keywords.lastIndexOf('ARG')).toBeLessThan(keywords.indexOf('RUN'));
  });

  test("defaults are gemini-cli's: inline, @molecule-ai/mcp-server@1.7.0 listing provision_workspace, the Gitea scope, management mode", () => {
    expect(manifest.options.MCP_PREBAKE_MODE!.default).toBe('inline');
    expect(manifest.options.MCP_SERVER_PACKAGES!.default).toBe(
      '@molecule-ai/mcp-server@1.7.0=provision_workspace',
    );
    expect(manifest.options.MCP_NPM_SCOPE_REGISTRY!.default).toBe(
      '@molecule-ai=https://git.moleculesai.app/api/packages/molecule-ai/npm/',
    );
    expect(manifest.options.MCP_CHECK_ENV!.default).toBe('MOLECULE_MCP_MODE=management');
  });

  test('takes exact pins only, one word each, so the cache holds what the runtime launches', () => {
    for (const good of [
      '@molecule-ai/mcp-server@1.7.0',
      '@modelcontextprotocol/server-memory@2026.8.31=create_entities',
      'plain-server@1.2.3-beta.1 @a/b@0.0.1=tool_x',
    ])
      expect(accepts('MCP_SERVER_PACKAGES', good), good).toBe(true);
    for (const bad of [
      '',
      '@molecule-ai/mcp-server',
      '@molecule-ai/mcp-server@latest',
      '@molecule-ai/mcp-server@^1.7.0',
      'server@1.0.0 --registry=https://evil.example',
      'server@1.0.0;id',
      'git+https://example/x.git',
      'server@1.0.0=$(id)',
    ])
      expect(accepts('MCP_SERVER_PACKAGES', bad), bad).toBe(false);
  });

  test('takes one scope and an http(s) registry, and NAME=value pairs without quotes or expansions', () => {
    expect(accepts('MCP_NPM_SCOPE_REGISTRY', '')).toBe(true);
    expect(
      accepts(
        'MCP_NPM_SCOPE_REGISTRY',
        '@molecule-ai=https://git.moleculesai.app/api/packages/molecule-ai/npm/',
      ),
    ).toBe(true);
    for (const bad of [
      'molecule-ai=https://x/',
      '@a=ftp://x/',
      '@a=https://x/ @b=https://y/',
      '@a=https://$HOST/',
    ])
      expect(accepts('MCP_NPM_SCOPE_REGISTRY', bad), bad).toBe(false);
    for (const good of ['', 'MOLECULE_MCP_MODE=management', 'A=1 B_2=', 'X=a/b:c'])
      expect(accepts('MCP_CHECK_ENV', good), good).toBe(true);
    for (const bad of ['MODE', '1A=x', 'A="x y"', 'A=$(id)', 'A=`id`', 'A=x;id', 'A=*', 'A=[ab]'])
      expect(accepts('MCP_CHECK_ENV', bad), bad).toBe(false);
    for (const good of ['inline', 'runtime-helper']) expect(accepts('MCP_PREBAKE_MODE', good)).toBe(true);
    for (const bad of ['', 'helper', 'inline runtime-helper'])
      expect(accepts('MCP_PREBAKE_MODE', bad)).toBe(false);
  });

  test('never swallows a failure: no `|| true`, no output thrown away where a verdict is read', () => {
    expect(bake).not.toMatch(/\|\|\s*true/);
    // The warm-up run's output alone is discarded; the offline check's is what node reads.
    expect(bake.match(/> \/dev\/null 2>&1/g)).toHaveLength(1);
    expect(bake).toContain(
      'npx -y --offline "${package}" < "${check}/requests" > "${check}/out" 2> "${check}/err"',
    );
  });
});

// The step run by a real shell (dash, as /bin/sh in the image) and the real node, with stand-ins for npm, npx and
// python3 that record their arguments and, for npx, answer as a server would (STANDIN_ANSWER): the registry and a
// runtime are out of reach here. test/prebake-image.test.ts builds it for real with a server from npm.
describe('the bake step, run by a real shell', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);
  const bin = join(temp.path, 'bin');
  const home = join(temp.path, 'home');
  const calls = join(temp.path, 'calls');
  const helperDir = join(temp.path, 'site', 'molecule_runtime', 'scripts');
  mkdirSync(bin);
  mkdirSync(home);
  mkdirSync(helperDir, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s %s\\n' "${name}" "$*" >> "${calls}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('npm', '[ "$1" != install ] || [ -z "$NPM_FAILS" ] || exit 1');
  // npx: stdin is the two requests; what it answers depends on the flag (the warm-up is --prefer-offline).
  stub(
    'npx',
    'cat > /dev/null; case "$*" in *--offline*) printf "%s\\n" "$STANDIN_ANSWER"; exit "${STANDIN_EXIT:-0}" ;; esac',
  );
  stub(
    'python3',
    `[ -z "$NO_RUNTIME" ] || { echo "ModuleNotFoundError: No module named 'molecule_runtime'" >&2; exit 1; }; echo "${helperDir}/prebake-mgmt-mcp.sh"`,
  );
  const node = requireTool('node');
  const nodeDir = node.replace(/\/node$/, '');
  beforeEach(() => writeFileSync(calls, ''));
  const defaults = Object.fromEntries(
    Object.entries(manifest.options).map(([name, option]) => [name, option.default]),
  );
  const answer = (tools: string[]) =>
    [
      'npm WARN something that is not JSON',
      JSON.stringify({ result: { protocolVersion: '2024-11-05', capabilities: {} }, jsonrpc: '2.0', id: 1 }),
      JSON.stringify({
        result: { tools: tools.map((name) => ({ name, inputSchema: {} })) },
        jsonrpc: '2.0',
        id: 2,
      }),
    ].join('\n');
  const run = (env: Record<string, string> = {}) =>
    runScript('/bin/sh', ['-c', bake], {
      cwd: temp.path,
      env: {
        PATH: `${bin}:${nodeDir}:/usr/bin:/bin`,
        HOME: home,
        TMPDIR: temp.path,
        ...defaults,
        STANDIN_ANSWER: answer(['provision_workspace', 'list_workspaces']),
        ...env,
      },
    });
  const recorded = () =>
    readFileSync(calls, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replaceAll(temp.path, '$TMP').replace(/\$TMP\/tmp\.\w+/g, '$DIR'));

  test('inline, by default: writes the scope registry, warms the cache, then checks the server offline', async () => {
    const result = await run();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(home, '.npmrc'), 'utf8')).toBe(
      '@molecule-ai:registry=https://git.moleculesai.app/api/packages/molecule-ai/npm/\n',
    );
    expect(recorded()).toEqual([
      'npm init -y',
      'npm install --no-audit --no-fund --loglevel=error @molecule-ai/mcp-server@1.7.0',
      'npx -y --prefer-offline @molecule-ai/mcp-server@1.7.0',
      'npx -y --offline @molecule-ai/mcp-server@1.7.0',
    ]);
    expect(result.stdout).toContain('tools: provision_workspace list_workspaces');
  });

  test('each of several servers is warmed and checked; a server without =tool passes on any tool list', async () => {
    const result = await run({
      MCP_SERVER_PACKAGES: '@a/one@1.0.0=list_workspaces two@2.0.0',
      MCP_NPM_SCOPE_REGISTRY: '',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(recorded().filter((call) => call.startsWith('npx -y --offline'))).toEqual([
      'npx -y --offline @a/one@1.0.0',
      'npx -y --offline two@2.0.0',
    ]);
  });

  test('fails the build when the offline tools/list lacks the named tool, saying what it listed', async () => {
    const result = await run({ MCP_SERVER_PACKAGES: 'srv@1.0.0=create_entities' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'its tools/list answered provision_workspace, list_workspaces, without create_entities',
    );
    expect(result.stderr).toContain(
      "mcp-prebake: srv@1.0.0 does not start offline from the agent's npm cache",
    );
  });

  test('fails the build when the server answers nothing offline (npx found no cache: ENOTCACHED), with its exit status', async () => {
    const result = await run({ STANDIN_ANSWER: 'npm ERR! code ENOTCACHED', STANDIN_EXIT: '1' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('it gave no answer to tools/list');
    expect(result.stderr).toContain('(npx --offline exited 1)');
  });

  test('fails the build when the answer to tools/list is an error', async () => {
    const result = await run({
      STANDIN_ANSWER: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        error: { code: -32601, message: 'Method not found' },
      }),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Method not found');
  });

  test('fails the build when npm install fails, before any npx run', async () => {
    const result = await run({ NPM_FAILS: '1' });
    expect(result.exitCode).not.toBe(0);
    expect(recorded().filter((call) => call.startsWith('npx'))).toEqual([]);
  });

  test('runtime-helper runs the bake the runtime ships, and nothing of its own', async () => {
    writeFileSync(join(helperDir, 'prebake-mgmt-mcp.sh'), `echo "helper ran as $(id -u)" >> "${calls}"\n`);
    const result = await run({ MCP_PREBAKE_MODE: 'runtime-helper' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(recorded()).toEqual([expect.stringMatching(/^python3 -c /), `helper ran as ${process.getuid!()}`]);
  });

  test('runtime-helper without the runtime fails, saying to list python-runtime first', async () => {
    const result = await run({ MCP_PREBAKE_MODE: 'runtime-helper', NO_RUNTIME: '1' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'molecule_runtime does not import: list python-runtime before mcp-prebake',
    );
  });

  test('runtime-helper with a runtime that has no helper fails, naming the path', async () => {
    rmSync(join(helperDir, 'prebake-mgmt-mcp.sh'), { force: true });
    const result = await run({ MCP_PREBAKE_MODE: 'runtime-helper' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`this runtime ships no ${helperDir}/prebake-mgmt-mcp.sh`);
  });

  test('an unknown MCP_PREBAKE_MODE (a --build-arg the composer never saw) fails, saying what it takes', async () => {
    const result = await run({ MCP_PREBAKE_MODE: 'helper' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("MCP_PREBAKE_MODE is 'helper'; it takes inline or runtime-helper");
    expect(recorded()).toEqual([]);
  });
});
