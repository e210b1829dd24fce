import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, fragmentsOnly, parseDockerfileText, shellcheckFindings } from '@image-layers/testing';

// The composed image against the original's facts (../shared/siblings/openclaw/Dockerfile), and the app's hooks
// as files: what the image test cannot show from inside a container built with NodeSource turned off.

const app = appDir('openclaw-image');
const composed = composeImage(app);
const dockerfile = parseDockerfileText(composed.dockerfile);
const layers = composed.layers.map((layer) => layer.name);
/** The line of the first instruction whose text contains this, in the composed Dockerfile. */
const lineOf = (text: string) => composed.dockerfile.split('\n').findIndex((line) => line.includes(text));

describe('the composed openclaw image, against the original', () => {
  it("pins the original's CLI through agent-cli on NodeSource's Node 22, running it in the build by default", () => {
    for (const arg of [
      'INSTALL_NODESOURCE=true',
      'NODESOURCE_MAJOR=22',
      // Where NodeSource is out of reach (the image test): Node 22 from the npm registry, pinned, not Debian's 20.
      'NODESOURCE_FALLBACK=npm-registry',
      'NODE_REGISTRY_VERSION=22.23.5',
      'NPM_REGISTRY_VERSION=10.9.9',
      'AGENT_CLI_PACKAGE=openclaw',
      'AGENT_CLI_VERSION=2026.7.1-2',
      'AGENT_CLI_COMMAND=openclaw',
      'AGENT_CLI_RUN=true',
      'INSTALL_GH_CLI=false',
      'DOCKER_HOST_GID=988',
      'RUNTIME_SOURCE=private-wheel',
      'RUNTIME_DISTRIBUTION=molecules-workspace-runtime',
      'RUNTIME_MIN_VERSION=0.4.0',
      'PYTHON_PACKAGES=python-multipart>=0.0.27',
      'MCP_PREBAKE_MODE=runtime-helper',
      'SECRETS_LOADER=true',
    ]) {
      const [name, value] = arg.split(/=(.*)/) as [string, string];
      expect(dockerfile.argDefault(name), arg).toBe(value);
    }
  });

  it("installs the original's apt packages in one step, and no Debian nodejs (NodeSource's instead)", () => {
    const packages = dockerfile.argDefault('APT_PACKAGES')!.split(' ');
    expect([...packages].sort()).toEqual(
      // docker-cli beside docker.io: since trixie, docker.io no longer brings the docker CLI.
      [
        'ca-certificates',
        'curl',
        'docker.io',
        'docker-cli',
        'git',
        'gnupg',
        'gosu',
        'sudo',
        'util-linux',
      ].sort(),
    );
  });

  it("keeps the original's order: Node, the CLI as root, the agent user, tier 4, the runtime, the bake as agent", () => {
    const order = [
      'node-runtime',
      'agent-cli',
      'agent-user',
      't4-escalation',
      'python-runtime',
      'mcp-prebake',
    ];
    expect(order.map((layer) => layers.indexOf(layer))).toEqual(
      [...order.map((layer) => layers.indexOf(layer))].sort((a, b) => a - b),
    );
    // The CLI's npm install -g runs as root before the npm cache ENV points at agent's home: root's cache
    // files never land in /home/agent/.npm.
    expect(lineOf('npm install -g "$@" "${AGENT_CLI_PACKAGE}@${AGENT_CLI_VERSION}"')).toBeGreaterThan(-1);
    expect(lineOf('npm install -g')).toBeLessThan(lineOf('ENV npm_config_cache=/home/agent/.npm'));
  });

  it("sets every ENV the original sets, and ends as root with the entrypoint layer's ENTRYPOINT", () => {
    const env = dockerfile.bodies('ENV').join('\n');
    expect(env).toContain('npm_config_cache=/home/agent/.npm');
    expect(env).toContain('NPM_CONFIG_USERCONFIG=/home/agent/.npmrc');
    expect(env).toContain('ADAPTER_MODULE=adapter');
    expect(dockerfile.bodies('USER').at(-1)).toBe('root');
    // python-runtime's WORKDIR is the only one the fragments write; the composer writes it back after the files it
    // moved (cache order), so the image ends in /app too.
    expect(fragmentsOnly(composed.dockerfile, composed.provenance).bodies('WORKDIR')).toEqual(['/app']);
    expect(dockerfile.bodies('WORKDIR').at(-1)).toBe('/app');
    expect(dockerfile.bodies('ENTRYPOINT')).toEqual(['["/entrypoint.sh"]']);
    expect(
      composed.contextFiles.find((file) => file.destination === '/usr/local/bin/molecule-askpass')?.unit,
    ).toBe('git-auth');
  });
});

describe("the app's entrypoint hooks as files", () => {
  for (const hook of ['entrypoint.d/root/50-openclaw-home.sh', 'entrypoint.d/agent/50-npm-gitea-auth.sh']) {
    const file = join(app, 'files', hook);

    it(`${hook} is a POSIX sh script in strict mode, clean under shellcheck, executable, copied to /${hook}`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toBe('#!/bin/sh');
      expect(text).toMatch(/^set -eu$/m);
      expect(shellcheckFindings(file)).toBe('');
      expect(statSync(file).mode & 0o777).toBe(0o755);
      expect(composed.contextFiles.find((copied) => copied.destination === `/${hook}`)?.unit).toBe(
        'openclaw-image',
      );
    });
  }
});
