import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { writeComposedImage } from '@image-layers/compose/write';
import { layerDir, makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';

// The layer contract is for reuse: a sibling template (codex here, as its public Dockerfile is described in the
// design notes) composes the same six-layer library with other options and without the claude-specific adapter.
// Its workspace links the real layers it lists, unchanged: all of them are layers of this image too, so this test's
// Nx inputs (claude-code-image's layers) cover what it reads. apps/codex-image (issue 10) takes it over.

const temp = makeTempDir('sibling-template-');
afterAll(temp.cleanup);
const root = temp.path;
writeFileSync(join(root, 'nx.json'), '{}\n');
const SHARED_LAYERS = [
  'base-os',
  'node-runtime',
  'agent-cli',
  'agent-user',
  't4-escalation',
  'python-runtime',
  'entrypoint',
  'git-auth',
];
mkdirSync(join(root, 'packages'));
for (const layer of SHARED_LAYERS) symlinkSync(layerDir(layer), join(root, 'packages', layer));
const app = join(root, 'apps/codex-image');
mkdirSync(join(app, 'files'), { recursive: true });
writeFileSync(
  join(app, 'image.json'),
  JSON.stringify(
    {
      name: 'codex-image',
      description: 'The codex workspace template: the Codex CLI driven by the workspace runtime as agent.',
      layers: [
        { layer: 'base-os', options: { INSTALL_GH_CLI: false } },
        { layer: 'node-runtime', options: { INSTALL_NODESOURCE: true, NODESOURCE_MAJOR: '20' } },
        {
          layer: 'agent-cli',
          options: {
            AGENT_CLI_PACKAGE: '@openai/codex',
            AGENT_CLI_VERSION: '0.130.0',
            AGENT_CLI_COMMAND: 'codex',
          },
        },
        'agent-user',
        { layer: 't4-escalation', options: { DOCKER_HOST_GID: '988' } },
        {
          layer: 'python-runtime',
          options: {
            RUNTIME_SOURCE: 'private-wheel',
            RUNTIME_DISTRIBUTION: 'molecules-workspace-runtime',
            RUNTIME_VERSION: '0.4.87',
          },
        },
        { layer: 'entrypoint', options: { AUTH_VARIABLES: ['OPENAI_API_KEY', 'CODEX_API_KEY'] } },
        'git-auth',
      ],
      requires: ['user:agent', 'command:molecule-runtime'],
      aptPackages: ['xz-utils'],
      pythonPackages: ['a2a-sdk==1.0.3'],
    },
    null,
    2,
  ),
);
writeFileSync(
  join(app, 'image.Dockerfile'),
  [
    // Its own start-up step is a hook the shared entrypoint runs as agent; the ENTRYPOINT is the layer's.
    'COPY codex-auth.sh /entrypoint.d/agent/70-codex-auth.sh',
    '',
  ].join('\n'),
);
writeFileSync(join(app, 'files/codex-auth.sh'), '#!/bin/sh\nset -eu\nmkdir -p "$HOME/.codex"\n', {
  mode: 0o755,
});

describe('a sibling template composes the same layers with its own options', () => {
  test("every layer it links is one of this image's, so this project's cache inputs cover them", () => {
    const listed = (
      JSON.parse(readFileSync(join(__dirname, '../image.json'), 'utf8')) as { layers: unknown[] }
    ).layers.map((entry) => (typeof entry === 'string' ? entry : (entry as { layer: string }).layer));
    expect(listed).toEqual(expect.arrayContaining(SHARED_LAYERS));
  });

  const composed = composeImage(app);
  const argLine = (name: string) =>
    composed.dockerfile.split('\n').find((line) => line.startsWith(`ARG ${name}=`));

  test('the shared layers, in its order, each with its provenance; no adapter', () => {
    expect(composed.provenance.map((block) => block.unit)).toEqual([
      'base-os',
      'node-runtime',
      'agent-cli',
      'agent-user',
      't4-escalation',
      'python-runtime',
      'entrypoint',
      'git-auth',
      'codex-image',
    ]);
    expect(composed.dockerfile).not.toContain('ADAPTER_MODULE');
    expect(composed.contextFiles.map((file) => file.destination)).not.toContain('/app/adapter.py');
  });

  test('its options reach the layers: no gh, NodeSource 20, codex pinned, docker-host 988, the private runtime wheel at an exact version, the default base', () => {
    expect(argLine('INSTALL_GH_CLI')).toBe('ARG INSTALL_GH_CLI=false');
    expect(argLine('INSTALL_NODESOURCE')).toBe('ARG INSTALL_NODESOURCE=true');
    expect(argLine('NODESOURCE_MAJOR')).toBe('ARG NODESOURCE_MAJOR=20');
    expect(argLine('AGENT_CLI_PACKAGE')).toBe('ARG AGENT_CLI_PACKAGE=@openai/codex');
    expect(argLine('AGENT_CLI_VERSION')).toBe('ARG AGENT_CLI_VERSION=0.130.0');
    expect(argLine('AGENT_CLI_COMMAND')).toBe('ARG AGENT_CLI_COMMAND=codex');
    expect(argLine('DOCKER_HOST_GID')).toBe('ARG DOCKER_HOST_GID=988');
    expect(argLine('RUNTIME_SOURCE')).toBe('ARG RUNTIME_SOURCE=private-wheel');
    expect(argLine('RUNTIME_DISTRIBUTION')).toBe('ARG RUNTIME_DISTRIBUTION=molecules-workspace-runtime');
    expect(argLine('RUNTIME_VERSION')).toBe('ARG RUNTIME_VERSION=0.4.87');
    expect(argLine('BASE_IMAGE')).toBe('ARG BASE_IMAGE=python:3.11-slim');
    expect(argLine('AUTH_VARIABLES')).toBe('ARG AUTH_VARIABLES="OPENAI_API_KEY CODEX_API_KEY"');
  });

  test("one ENTRYPOINT, the shared entrypoint layer's; its own step is a hook", () => {
    expect(composed.dockerfile.match(/^ENTRYPOINT .*$/gm)).toEqual(['ENTRYPOINT ["/entrypoint.sh"]']);
    expect(composed.contextFiles.map((file) => file.destination)).toContain(
      '/entrypoint.d/agent/70-codex-auth.sh',
    );
  });

  test("its packages join the layers' in one apt step and one pip step; the claude SDK is not there", () => {
    const apt = argLine('APT_PACKAGES')!
      .replace(/^ARG APT_PACKAGES="|"$/g, '')
      .split(' ');
    expect(apt).toEqual(
      expect.arrayContaining(['curl', 'ca-certificates', 'git', 'sudo', 'gosu', 'xz-utils']),
    );
    expect(new Set(apt).size).toBe(apt.length);
    // On NodeSource's Node, node-runtime's Debian nodejs and npm (its aptPackagesWhen) are left out.
    expect(apt).not.toContain('nodejs');
    expect(apt).not.toContain('npm');
    expect(argLine('PYTHON_PACKAGES')).toBe('ARG PYTHON_PACKAGES=a2a-sdk==1.0.3');
  });

  test('its output is written like any image, and its linter run is clean', async () => {
    const out = join(root, 'dist/apps/codex-image');
    writeComposedImage(composed, out);
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toBe(composed.dockerfile);
    const lint = await runScript(
      'node',
      [join(workspaceRoot, 'tools/image-layers/bin/image-layers.js'), 'lint', 'apps/codex-image'],
      { cwd: root },
    );
    expect(lint.stdout + lint.stderr).toBe('no findings\n');
    expect(lint.exitCode).toBe(0);
  });
});
