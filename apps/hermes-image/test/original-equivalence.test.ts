import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, fragmentsOnly, parseDockerfileText } from '@image-layers/testing';

// The composed Dockerfile against the facts of the original hermes Dockerfile (EnterOS-AI/
// enteros-workspace-template-hermes at 7500d4a, written out here rather than copied: the packages, pins, users,
// working folders and ENV it sets). Each test is one effect; the README lists what differs on purpose.

const app = appDir('hermes-image');
// The machinery's Dockerfile model of the composed text (instructions with keyword and argument text).
const composedImage = composeImage(app);
const composedDockerfile = parseDockerfileText(composedImage.dockerfile);
const composed = composedDockerfile.model;
const words = (text: string) => text.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
const argDefault = (name: string) => composedDockerfile.argDefault(name);

/** The ENV in effect at the end, from every ENV instruction (`ENV A=b C=d`, continuations and quotes allowed). */
function finalEnv(): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of composed.all('ENV')) {
    for (const [, name, quoted, plain] of instruction.argumentsText
      .replace(/\\\n/g, ' ')
      .matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) {
      env.set(name!, quoted ?? plain ?? '');
    }
  }
  return env;
}

describe('the composed hermes image has the effects of the original Dockerfile', () => {
  test('its base is python:3.11-slim', () => {
    expect(argDefault('BASE_IMAGE')).toBe('python:3.11-slim');
  });

  // Intended since base-os 2.0.0: two apt steps, the platform package set shared by every image, then the rest.
  test("base-os's two apt steps install exactly the original's packages", () => {
    const original = [
      'curl',
      'ca-certificates',
      'git',
      'gosu',
      'xz-utils',
      'build-essential',
      'sudo',
      'util-linux',
      'docker.io',
    ];
    // Plus docker-cli: since trixie (python:3.11-slim's Debian), docker.io no longer brings the docker CLI.
    expect(words(argDefault('APT_PACKAGES')!.replace(/"/g, '')).sort()).toEqual(
      [...original, 'docker-cli'].sort(),
    );
    expect(composed.all('RUN').filter((run) => run.argumentsText.includes('apt-get install'))).toHaveLength(
      2,
    );
  });

  test('tier-4 with the docker-host group of gid 988', () => {
    expect(argDefault('DOCKER_HOST_GID')).toBe('988');
  });

  test('the runtime arrives as the private wheel molecules-workspace-runtime, then the public solve', () => {
    expect(argDefault('RUNTIME_SOURCE')).toBe('private-wheel');
    expect(argDefault('RUNTIME_DISTRIBUTION')).toBe('molecules-workspace-runtime');
    expect(argDefault('RUNTIME_MIN_VERSION')).toBe('0.4.0');
    expect(argDefault('RUNTIME_VERSION')).toBe('');
    expect(argDefault('MOLECULE_RUNTIME_INDEX')).toBe(
      'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/',
    );
    expect(words(argDefault('PYTHON_PACKAGES')!.replace(/"/g, ''))).toEqual([
      'python-multipart>=0.0.27',
      'httpx>=0.27.0',
      'aiohttp>=3.9',
    ]);
  });

  test('hermes-agent and the A2A plugin are pinned as in the original', () => {
    expect(argDefault('HERMES_VERSION')).toBe('0.19.0');
    expect(argDefault('HERMES_PLATFORM_MOLECULE_A2A_REF')).toBe('93d43d772470eb3ddc781858dc5629f3464eed99');
    const pins = composed.all('RUN').find((run) => run.argumentsText.includes('--force-reinstall'))!;
    expect(words(pins.argumentsText)).toEqual(
      expect.arrayContaining([
        '"hermes-agent==${HERMES_VERSION}"',
        '"git+https://git.moleculesai.app/molecule-ai/hermes-platform-molecule-a2a.git@${HERMES_PLATFORM_MOLECULE_A2A_REF}#egg=hermes-platform-molecule-a2a"',
      ]),
    );
  });

  test('the installer, the pins and the MCP pre-bake run as agent in /home/agent; then root in /app', () => {
    // The USER and WORKDIR switches in order, and which user each step of hermes's own runs as.
    let user = 'root';
    let workdir = '/';
    const asWhom = new Map<string, string>();
    const switches: string[] = [];
    for (const instruction of composed.instructions) {
      if (instruction.keyword === 'USER') switches.push(`USER ${(user = instruction.argumentsText.trim())}`);
      if (instruction.keyword === 'WORKDIR')
        switches.push(`WORKDIR ${(workdir = instruction.argumentsText.trim())}`);
      if (instruction.keyword !== 'RUN') continue;
      for (const step of ['scripts/install.sh', '--force-reinstall', 'prebake-mgmt-mcp.sh']) {
        if (instruction.argumentsText.includes(step)) asWhom.set(step, `${user} in ${workdir}`);
      }
    }
    expect(Object.fromEntries(asWhom)).toEqual({
      'scripts/install.sh': 'agent in /home/agent',
      '--force-reinstall': 'agent in /home/agent',
      'prebake-mgmt-mcp.sh': 'agent in /home/agent',
    });
    // The fragments' own switches end as the original's; the composer writes WORKDIR back for the files that cache
    // order moves after them (compose/cache-order.ts), and the image ends where the original does: root in /app.
    const own = fragmentsOnly(composedImage.dockerfile, composedImage.provenance)
      .model.instructions.filter((instruction) => ['USER', 'WORKDIR'].includes(instruction.keyword))
      .map((instruction) => `${instruction.keyword} ${instruction.argumentsText.trim()}`);
    expect(own.slice(-4)).toEqual(['USER agent', 'WORKDIR /home/agent', 'USER root', 'WORKDIR /app']);
    expect([user, workdir]).toEqual(['root', '/app']);
    expect(switches).toContain('WORKDIR /app');
  });

  test('the pre-bake points the runtime helper at the Node under ~/.hermes', () => {
    const prebake = composed.all('RUN').find((run) => run.argumentsText.includes('prebake-mgmt-mcp.sh'))!;
    expect(prebake.argumentsText).toContain('MOLECULE_PREBAKE_NODE_BIN=/home/agent/.hermes/node/bin');
  });

  test('every ENV of the original, with its value; ~/.local/bin first on PATH', () => {
    const env = finalEnv();
    expect(
      Object.fromEntries(
        [...env].filter(([name]) => name !== 'PATH' && !name.startsWith('MOLECULE_ENTRYPOINT_')),
      ),
    ).toMatchObject({
      ADAPTER_MODULE: 'adapter',
      HERMES_API_BASE: 'http://127.0.0.1:8642/v1',
      API_SERVER_ENABLED: 'true',
      API_SERVER_HOST: '127.0.0.1',
      API_SERVER_PORT: '8642',
      MOLECULE_A2A_PLATFORM_ENABLED: 'true',
      MOLECULE_A2A_PLATFORM_HOST: '127.0.0.1',
      MOLECULE_A2A_PLATFORM_PORT: '8645',
      MOLECULE_A2A_CALLBACK_HOST: '127.0.0.1',
      MOLECULE_A2A_CALLBACK_PORT: '8646',
    });
    expect(env.get('PATH')).toBe('/home/agent/.local/bin:${PATH}');
  });

  test('the askpass helper is at /usr/local/bin/molecule-askpass and the entrypoint is the shared one', () => {
    expect(
      composed
        .all('COPY')
        .some((copy) => words(copy.argumentsText).at(-1) === '/usr/local/bin/molecule-askpass'),
    ).toBe(true);
    expect(composed.all('ENTRYPOINT').map((entry) => entry.argumentsText.trim())).toEqual([
      '["/entrypoint.sh"]',
    ]);
    expect(finalEnv().get('MOLECULE_ENTRYPOINT_RUNTIME')).toBe('${RUNTIME_COMMAND}');
    expect(argDefault('RUNTIME_COMMAND')).toBe('env HOME=/tmp CONFIGS_DIR=/configs molecule-runtime');
    expect(argDefault('SECRETS_LOADER')).toBe('true');
  });

  test('the README numbers its deliberate differences and names what is out of scope', () => {
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    const differences = readme.split('## Differences from the original Dockerfile')[1] ?? '';
    expect(differences.match(/^\d+\. \*\*/gm)?.length).toBeGreaterThanOrEqual(10);
    for (const item of ['hermes gateway', 'provider derivation', 'reconcile loop', '8642', '8645', '8646']) {
      expect(readme).toContain(item);
    }
  });
});
