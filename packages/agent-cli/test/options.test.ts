import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layerDir, parseDockerfileText, runScript } from '@image-layers/testing';
import { cli, makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';

// An image that sets the CLI's version is checked by the real CLI at compose time: a range or a dist-tag
// is an error at its line of image.json saying what to write instead, and nothing is composed.

let workspace: ReturnType<typeof makeFixtureWorkspace>;
beforeEach(() => {
  workspace = makeFixtureWorkspace({ 'apps/img/image.json': null });
  for (const layer of ['base-os', 'node-runtime', 'agent-cli'])
    cpSync(layerDir(layer), join(workspace.root, 'packages', layer), { recursive: true });
});
afterEach(() => workspace.cleanup());

/** Composes an image of base-os, node-runtime and agent-cli with these agent-cli options. */
function compose(options: Record<string, unknown>) {
  const image = {
    name: 'img',
    description: 'a CLI image',
    layers: ['base-os', 'node-runtime', { layer: 'agent-cli', options }],
  };
  workspace.write('apps/img/image.json', `${JSON.stringify(image, null, 2)}\n`);
  return runScript(process.execPath, [cli, 'compose', 'apps/img', '--out', 'dist/img'], {
    cwd: workspace.root,
  });
}

describe('agent-cli options, checked at compose time', () => {
  it('composes the pinned CLI an image asks for into the ARG defaults', async () => {
    const run = await compose({
      AGENT_CLI_PACKAGE: '@openai/codex',
      AGENT_CLI_VERSION: '0.130.0',
      AGENT_CLI_COMMAND: 'codex',
    });

    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = parseDockerfileText(readFileSync(join(workspace.root, 'dist/img/Dockerfile'), 'utf8'));
    expect(dockerfile.argDefault('AGENT_CLI_PACKAGE')).toBe('@openai/codex');
    expect(dockerfile.argDefault('AGENT_CLI_VERSION')).toBe('0.130.0');
    expect(dockerfile.argDefault('AGENT_CLI_COMMAND')).toBe('codex');
  });

  it.each(['^2.1.0', '~0.57', 'latest', '2.x', '>=2.1.0', '2.1', 'v2.1.332', '2.1.332+build.1'])(
    'refuses AGENT_CLI_VERSION "%s" at its line of image.json, saying to pin an exact version',
    async (version) => {
      const run = await compose({ AGENT_CLI_VERSION: version });

      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(
        /^apps\/img\/image\.json:\d+:\d+: error invalid-option \[agent-cli\] option AGENT_CLI_VERSION of "agent-cli" is ".*", which does not match /m,
      );
      expect(run.stderr).toContain(`"${version}"`);
      expect(run.stderr).toContain('The exact version to install');
      expect(run.stderr).toContain('never a range');
    },
  );

  it.each([
    ['AGENT_CLI_PACKAGE', '@openai/codex@0.130.0'],
    ['AGENT_CLI_PACKAGE', '--registry=http://evil.example'],
    ['AGENT_CLI_COMMAND', 'codex --dangerously'],
    ['AGENT_CLI_COMMAND', '../bin/sh'],
  ])('refuses %s "%s": a package name, a command name, nothing more', async (option, value) => {
    const run = await compose({ [option]: value });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`error invalid-option [agent-cli] option ${option} of "agent-cli"`);
  });
});
