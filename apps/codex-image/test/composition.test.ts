import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { writeComposedImage } from '@image-layers/compose/write';
import { appDir, makeTempDir, parseDockerfileText, runScript, workspaceRoot } from '@image-layers/testing';

// The codex image composed from the real layers, checked against its original
// (../shared/siblings/codex/Dockerfile) block by block: the layers in an order that keeps its meaning, the
// options that make them codex's, one apt step and one pip step, one ENTRYPOINT, its ENV. It takes over what
// claude-code-image's sibling-template test showed with a codex-like image in a temp workspace.

const app = appDir('codex-image');
const composed = composeImage(app);
const composedDockerfile = parseDockerfileText(composed.dockerfile);
const argDefault = (name: string) => composedDockerfile.argDefault(name);
const lineOf = (pattern: RegExp) => composed.dockerfile.split('\n').findIndex((line) => pattern.test(line));

describe("the codex image composes the shared layers with codex's options", () => {
  test("the layers' install steps in build order, then their image config, then their files in the originals' order (cache order), each with its provenance", () => {
    expect(composed.provenance.map((block) => `${block.unit}: ${block.part}`)).toEqual([
      'base-os: install',
      'node-runtime: install',
      'agent-user: install',
      't4-escalation: install',
      'python-runtime: install',
      'mcp-prebake: install',
      'entrypoint: install',
      'agent-cli: install',
      'entrypoint: config',
      'codex-image: config',
      'codex-image: files',
      'adapter-core: files',
      'git-auth: files',
      'entrypoint: files',
    ]);
  });

  test("the original's order where it carries meaning: Node before the pre-bake, the runtime before its helper runs, the CLI after both", () => {
    const node = lineOf(/curl -fsSLo \/tmp\/nodesource_setup\.sh/);
    const runtime = lineOf(/pip download --isolated/);
    const prebake = lineOf(/prebake-mgmt-mcp\.sh/);
    const cli = lineOf(/npm install -g/);
    expect([node, runtime, prebake, cli].every((line) => line > 0)).toBe(true);
    expect(node).toBeLessThan(runtime);
    expect(runtime).toBeLessThan(prebake);
    expect(prebake).toBeLessThan(cli);
  });

  test('its options reach the layers: no gh, NodeSource 20, codex pinned, docker-host 988, the private runtime wheel at 0.4.87, the pre-bake through the runtime, the banner names', () => {
    expect(argDefault('INSTALL_GH_CLI')).toBe('false');
    expect(argDefault('INSTALL_NODESOURCE')).toBe('true');
    expect(argDefault('NODESOURCE_MAJOR')).toBe('20');
    expect(argDefault('AGENT_CLI_PACKAGE')).toBe('@openai/codex');
    expect(argDefault('AGENT_CLI_VERSION')).toBe('0.130.0');
    expect(argDefault('AGENT_CLI_COMMAND')).toBe('codex');
    expect(argDefault('DOCKER_HOST_GID')).toBe('988');
    expect(argDefault('RUNTIME_SOURCE')).toBe('private-wheel');
    expect(argDefault('RUNTIME_DISTRIBUTION')).toBe('molecules-workspace-runtime');
    expect(argDefault('RUNTIME_VERSION')).toBe('0.4.87');
    expect(argDefault('MOLECULE_RUNTIME_INDEX')).toBe(
      'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/',
    );
    expect(argDefault('MCP_PREBAKE_MODE')).toBe('runtime-helper');
    expect(argDefault('BASE_IMAGE')).toBe('python:3.11-slim');
    expect(argDefault('AUTH_VARIABLES')).toBe(
      'OPENAI_API_KEY MINIMAX_API_KEY KIMI_API_KEY CODEX_AUTH_JSON CODEX_CHATGPT_AUTH_JSON MOLECULE_ORG_ID',
    );
    expect(argDefault('SECRETS_LOADER')).toBe('true');
  });

  test("the original's eight apt packages in one apt step (no Debian nodejs: NodeSource's), its pip packages in one pip step", () => {
    const apt = argDefault('APT_PACKAGES')!.split(' ');
    expect([...apt].sort()).toEqual(
      // docker-cli beside docker.io: since trixie, docker.io no longer brings the docker CLI.
      [
        'curl',
        'ca-certificates',
        'git',
        'gosu',
        'xz-utils',
        'sudo',
        'util-linux',
        'docker.io',
        'docker-cli',
      ].sort(),
    );
    expect(argDefault('PYTHON_PACKAGES')).toBe('a2a-sdk==1.0.3 python-multipart>=0.0.27');
  });

  test("one ENTRYPOINT, the shared entrypoint layer's; the image's ENV and its final USER root, WORKDIR /app", () => {
    expect(composed.dockerfile.match(/^ENTRYPOINT .*$/gm)).toEqual(['ENTRYPOINT ["/entrypoint.sh"]']);
    const env = composed.dockerfile.slice(composed.dockerfile.lastIndexOf('\nENV ADAPTER_MODULE='));
    expect(env).toContain('ADAPTER_MODULE=adapter');
    expect(env).toContain('PYTHONPATH=/app');
    expect(env).toContain('GIT_ASKPASS=/usr/local/bin/molecule-askpass');
    expect(composed.dockerfile.match(/^USER .*$/gm)!.at(-1)).toBe('USER root');
    expect(composed.dockerfile.match(/^WORKDIR .*$/gm)!.at(-1)).toBe('WORKDIR /app');
    expect(composed.dockerfile).not.toMatch(/^CMD /m);
  });

  test('the files at their paths: the adapter in /app beside adapter-core, the askpass helper, the hooks', () => {
    const destinations = composed.contextFiles.map((file) => file.destination);
    expect(destinations).toEqual(
      expect.arrayContaining([
        '/app/adapter.py',
        '/app/__init__.py',
        '/app/config.yaml',
        '/app/molecule_adapter_core.py',
        '/usr/local/bin/molecule-askpass',
        '/entrypoint.sh',
        '/entrypoint.d/root/50-codex-home.sh',
        '/entrypoint.d/agent/50-codex-auth.sh',
      ]),
    );
    // No claude-code file: the claude adapter layer is not listed.
    expect(destinations).not.toContain('/app/claude_sdk_executor.py');
  });

  const temp = makeTempDir('codex-image-');
  afterAll(temp.cleanup);

  test('its output is written like any image, and its linter run is clean', async () => {
    const out = join(temp.path, 'out');
    writeComposedImage(composed, out);
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toBe(composed.dockerfile);
    const lint = await runScript(
      'node',
      [join(workspaceRoot, 'tools/image-layers/bin/image-layers.js'), 'lint', 'apps/codex-image'],
      { cwd: workspaceRoot },
    );
    expect(lint.stdout + lint.stderr).toBe('no findings\n');
    expect(lint.exitCode).toBe(0);
  });
});
