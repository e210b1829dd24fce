import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { layerDir, layerFile, makeTempDir, parseLayerFragment, runScript } from '@image-layers/testing';

const fragment = parseLayerFragment('python-runtime');
const keywords = fragment.instructions.map((instruction) => instruction.getKeyword());

describe('the python-runtime fragment', () => {
  test('works in /app, as the runtime and the adapter expect', () => {
    expect(fragment.bodies('WORKDIR')).toEqual(['/app']);
    expect(keywords.indexOf('WORKDIR')).toBeLessThan(keywords.indexOf('COPY'));
  });

  test('declares ARG RUNTIME_VERSION (empty) before the pip layer, so a new version changes its cache key', () => {
    expect(fragment.bodies('ARG')).toContain('RUNTIME_VERSION=');
    expect(keywords.indexOf('ARG')).toBeLessThan(keywords.indexOf('RUN'));
  });

  test('declares ARG PYTHON_PACKAGES (empty) for the packages the composer collects from the other layers', () => {
    expect(fragment.bodies('ARG').slice(0, 2)).toEqual(['RUNTIME_VERSION=', 'PYTHON_PACKAGES=']);
  });

  test('declares the index ARGs pip reads from its environment before the pip layer: public PyPI, no extra index', () => {
    expect(fragment.bodies('ARG')).toEqual([
      'RUNTIME_VERSION=',
      'PYTHON_PACKAGES=',
      'PIP_INDEX_URL=https://pypi.org/simple/',
      'PIP_EXTRA_INDEX_URL=',
    ]);
    const lastArg = keywords.lastIndexOf('ARG');
    expect(lastArg).toBeLessThan(keywords.indexOf('RUN'));
    // pip takes them from the environment, so the command names no index of its own (nor a second, competing one).
    expect(fragment.bodies('RUN').join('\n')).not.toMatch(/--(extra-)?index-url|-i\s/);
  });

  test('copies requirements.txt into /app before installing it', () => {
    expect(fragment.bodies('COPY')).toEqual(['requirements.txt .']);
    expect(keywords.indexOf('COPY')).toBeLessThan(keywords.indexOf('RUN'));
  });

  test('requires the workspace runtime at its minimum version, and nothing template-specific', () => {
    expect(readFileSync(layerFile('python-runtime', 'requirements.txt'), 'utf8')).toBe(
      'molecule-ai-workspace-runtime>=0.1.22\n',
    );
  });

  test('takes only an http(s) URL as an index, so an image cannot slip a pip flag or a second word in', () => {
    const { options } = JSON.parse(readFileSync(join(layerDir('python-runtime'), 'layer.json'), 'utf8')) as {
      options: Record<string, { pattern?: string }>;
    };
    const accepts = (option: string, value: string) =>
      new RegExp(`^(?:${options[option]!.pattern})$`).test(value);
    for (const option of ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL']) {
      expect(accepts(option, 'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/')).toBe(true);
      expect(accepts(option, 'http://127.0.0.1:8080/simple/')).toBe(true);
      for (const bad of [
        '--trusted-host evil.example',
        'https://a.example/ https://b.example/',
        'https://$HOST/',
      ])
        expect(accepts(option, bad)).toBe(false);
    }
    expect(accepts('PIP_INDEX_URL', '')).toBe(false);
    expect(accepts('PIP_EXTRA_INDEX_URL', '')).toBe(true);
  });

  test('never swallows a failed install', () => {
    expect(fragment.bodies('RUN').join('\n')).not.toMatch(/\|\|\s*true|2>\s*\/dev\/null/);
  });
});

// The RUN body itself is run by a real shell, with a stand-in `pip` that records its arguments:
// PyPI is out of reach here, and what matters is which installs the step asks for.
describe('the pip step, run by a real shell', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);
  const calls = join(temp.path, 'pip-calls');
  const pip = join(temp.path, 'pip');
  writeFileSync(pip, `#!/bin/sh\nprintf '%s\\n' "$*" >> "${calls}"\n[ -z "$PIP_FAILS" ]\n`);
  chmodSync(pip, 0o755);
  const run = (env: Record<string, string>) => {
    writeFileSync(calls, '');
    return runScript('sh', ['-ec', fragment.bodies('RUN')[0]!], {
      env: { PATH: `${temp.path}:/usr/bin:/bin`, ...env },
    });
  };

  test('installs requirements.txt only, when RUNTIME_VERSION and PYTHON_PACKAGES are empty', async () => {
    const result = await run({ RUNTIME_VERSION: '', PYTHON_PACKAGES: '' });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe('install --no-cache-dir -r requirements.txt\n');
  });

  test('installs the collected PYTHON_PACKAGES in the same resolve, one word each', async () => {
    const result = await run({
      RUNTIME_VERSION: '',
      PYTHON_PACKAGES: 'claude-agent-sdk>=0.1.58 pyyaml==6.0.2',
    });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe(
      'install --no-cache-dir -r requirements.txt claude-agent-sdk>=0.1.58 pyyaml==6.0.2\n',
    );
  });

  test('then upgrades to exactly RUNTIME_VERSION when it is set', async () => {
    const result = await run({ RUNTIME_VERSION: '0.1.30' });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe(
      'install --no-cache-dir -r requirements.txt\ninstall --no-cache-dir --upgrade molecule-ai-workspace-runtime==0.1.30\n',
    );
  });

  test('fails the build when pip fails', async () => {
    const result = await run({ RUNTIME_VERSION: '0.1.30', PIP_FAILS: '1' });
    expect(result.exitCode).not.toBe(0);
    expect(readFileSync(calls, 'utf8')).toBe('install --no-cache-dir -r requirements.txt\n');
  });
});
