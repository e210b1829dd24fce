import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, parseDockerfileText } from '@image-layers/testing';

// The facts of the published gemini-cli Dockerfile (../shared/siblings/gemini-cli/, EnterOS-AI's b66f01f), written
// here as data, held against the composed Dockerfile: each effect of the original is there, in an order that keeps
// its meaning. The deliberate differences are the ones README.md lists.

const app = appDir('gemini-cli-image');
const composed = composeImage(app);
const dockerfile = parseDockerfileText(composed.dockerfile);
const model = dockerfile.model;
const words = (text: string) => text.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);

const argDefault = (name: string) => dockerfile.argDefault(name);

/** Index of the first top-level instruction for which `match` holds; fails the test when there is none. */
function indexOf(what: string, match: (keyword: string, text: string) => boolean): number {
  const found = model.instructions.find((i) => match(i.keyword, i.argumentsText));
  expect(found, `no instruction ${what} in the composed Dockerfile`).toBeDefined();
  return found!.index;
}

describe('the composed gemini-cli Dockerfile has every effect of the original', () => {
  // Intended since base-os 2.0.0: two apt steps, the platform package set shared by every image, then the rest.
  test("the same base and the same five Debian packages, in base-os's two apt steps, without gh", () => {
    expect(model.all('FROM').map((from) => from.argumentsText.trim())).toEqual(['${BASE_IMAGE}']);
    expect(argDefault('BASE_IMAGE')).toBe('python:3.11-slim');
    expect(argDefault('APT_PACKAGES')!.split(' ').sort()).toEqual(
      ['ca-certificates', 'curl', 'gosu', 'nodejs', 'npm'].sort(),
    );
    expect(argDefault('INSTALL_GH_CLI')).toBe('false');
    expect(
      model.all('RUN').filter((run) => /apt-get update/.test(run.argumentsText.split('elif')[0]!)),
    ).toHaveLength(2);
  });

  test('the Gemini CLI, pinned, from npm', () => {
    expect(argDefault('AGENT_CLI_PACKAGE')).toBe('@google/gemini-cli');
    expect(argDefault('AGENT_CLI_VERSION')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(argDefault('AGENT_CLI_COMMAND')).toBe('gemini');
  });

  test('the MCP pre-bake: the same server, scope registry, check variable and tool, as agent, then root', () => {
    expect(argDefault('MCP_PREBAKE_MODE')).toBe('inline');
    expect(argDefault('MCP_SERVER_PACKAGES')).toBe('@molecule-ai/mcp-server@1.7.0=provision_workspace');
    expect(argDefault('MCP_NPM_SCOPE_REGISTRY')).toBe(
      '@molecule-ai=https://git.moleculesai.app/api/packages/molecule-ai/npm/',
    );
    expect(argDefault('MCP_CHECK_ENV')).toBe('MOLECULE_MCP_MODE=management');
    expect(model.all('USER').map((user) => user.argumentsText.trim())).toEqual(['agent', 'root']);
  });

  test('the runtime from the Gitea index with PyPI as the extra index, at the pinned version, under one name', () => {
    expect(argDefault('RUNTIME_SOURCE')).toBe('index');
    expect(argDefault('PIP_INDEX_URL')).toBe(
      'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/',
    );
    expect(argDefault('PIP_EXTRA_INDEX_URL')).toBe('https://pypi.org/simple/');
    expect(argDefault('RUNTIME_DISTRIBUTION')).toBe('molecules-workspace-runtime');
    expect(argDefault('RUNTIME_VERSION')).toBe('0.3.72');
    expect(argDefault('PYTHON_PACKAGES')).toBe('');
  });

  test('in the original order: apt, CLI, user, bake as agent, root, /app, pip, adapter files', () => {
    const order = [
      indexOf('apt-get install', (k, t) => k === 'RUN' && t.includes('apt-get install')),
      indexOf('npm install -g', (k, t) => k === 'RUN' && t.includes('npm install -g')),
      indexOf('useradd', (k, t) => k === 'RUN' && /useradd -u 1000 -m -s \/bin\/bash agent/.test(t)),
      indexOf('USER agent', (k, t) => k === 'USER' && t.trim() === 'agent'),
      indexOf('USER root', (k, t) => k === 'USER' && t.trim() === 'root'),
      indexOf('WORKDIR /app', (k, t) => k === 'WORKDIR' && t.trim() === '/app'),
      indexOf('pip install -r requirements.txt', (k, t) => k === 'RUN' && t.includes('-r requirements.txt')),
      indexOf('COPY adapter.py', (k, t) => k === 'COPY' && words(t).includes('adapter.py')),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('the adapter files at /app, ADAPTER_MODULE, the entrypoint and the banner variables of the original', () => {
    const copy = model.all('COPY').find((c) => words(c.argumentsText).includes('adapter.py'))!;
    expect(words(copy.argumentsText)).toEqual(['adapter.py', '__init__.py', 'cli_executor.py', '/app/']);
    expect(model.all('ENV').some((env) => /\bADAPTER_MODULE=adapter\b/.test(env.argumentsText))).toBe(true);
    expect(model.all('ENTRYPOINT').map((e) => e.argumentsText.trim())).toEqual(['["/entrypoint.sh"]']);
    expect(argDefault('AUTH_VARIABLES')!.split(' ')).toEqual([
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_AUTH_TOKEN',
      'ANTHROPIC_BASE_URL',
      'MINIMAX_API_KEY',
      'GLM_API_KEY',
      'KIMI_API_KEY',
      'DEEPSEEK_API_KEY',
      'OPENAI_API_KEY',
    ]);
    // The original's entrypoint sources no secrets loader.
    expect(argDefault('SECRETS_LOADER')).toBe('false');
    expect(argDefault('RUNTIME_COMMAND')).toBe('molecule-runtime');
  });

  test('no chmod step: the entrypoint is copied executable', () => {
    expect(model.all('RUN').filter((run) => /chmod \+x/.test(run.argumentsText))).toEqual([]);
  });

  test('the README numbers its deliberate differences', () => {
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    const section = readme.split('## Differences from the original Dockerfile')[1]!.split('\n## ')[0]!;
    const numbers = [...section.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers.length).toBeGreaterThanOrEqual(9);
  });
});
