import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { layerDir, makeTempDir, parseLayerFragment, runScript } from '@image-layers/testing';

const fragment = parseLayerFragment('python-runtime');
const keywords = fragment.instructions.map((instruction) => instruction.getKeyword());
const manifest = JSON.parse(readFileSync(join(layerDir('python-runtime'), 'layer.json'), 'utf8')) as {
  options: Record<string, { default: unknown; pattern?: string }>;
};
const argNames = fragment.argDeclarations.map((declaration) => declaration.name);
/** Where each ARG is declared and each RUN is, by instruction index. */
const argAt = (name: string) =>
  fragment.argDeclarations.find((declaration) => declaration.name === name)?.instructionIndex ?? -1;
const runs = fragment.all('RUN');
const runAt = (n: number) => fragment.instructions.indexOf(runs[n]!);
const [toolingRun, requirementsRun, runtimeRun] = fragment.bodies('RUN') as [string, string, string];
const accepts = (option: string, value: string) =>
  new RegExp(`^(?:${manifest.options[option]!.pattern})$`).test(value);

describe('the python-runtime fragment', () => {
  test('works in /app, as the runtime and the adapter expect', () => {
    expect(fragment.bodies('WORKDIR')).toEqual(['/app']);
    expect(keywords.indexOf('WORKDIR')).toBe(0);
  });

  test('has three RUN steps: the pip tooling upgrade, requirements.txt, the runtime install; no COPY', () => {
    expect(runs).toHaveLength(3);
    expect(toolingRun).toContain('pip setuptools wheel');
    expect(requirementsRun).toContain('> requirements.txt');
    expect(runtimeRun).toContain('-r requirements.txt ${PYTHON_PACKAGES}');
    expect(keywords).not.toContain('COPY');
  });

  test("declares each option's ARG with the manifest's default, before the first RUN that reads it", () => {
    expect(argNames.sort()).toEqual(Object.keys(manifest.options).sort());
    for (const [name, option] of Object.entries(manifest.options)) {
      const firstReader = runs.findIndex((run) => run.getArgumentsContent()!.includes(`\${${name}`));
      expect(firstReader, `${name} is read by no RUN`).toBeGreaterThanOrEqual(0);
      expect(argAt(name), name).toBeLessThan(runAt(firstReader));
      const value = Array.isArray(option.default) ? option.default.join(' ') : String(option.default);
      expect(fragment.argDefault(name) ?? '', name).toBe(value);
    }
  });

  test('declares RUNTIME_VERSION after the tooling and requirements steps: a new runtime version rebuilds the runtime step, and only it', () => {
    expect(argAt('RUNTIME_VERSION')).toBeGreaterThan(runAt(1));
    expect(argAt('RUNTIME_VERSION')).toBeLessThan(runAt(2));
    expect(argAt('PIP_INDEX_URL')).toBeLessThan(runAt(0));
    expect(argAt('PIP_EXTRA_INDEX_URL')).toBeLessThan(runAt(0));
  });

  test('defaults reproduce claude-code: the index pattern from public PyPI, molecule-ai-workspace-runtime>=0.1.22, no tooling upgrade', () => {
    expect(manifest.options.RUNTIME_SOURCE!.default).toBe('index');
    expect(manifest.options.RUNTIME_DISTRIBUTION!.default).toBe('molecule-ai-workspace-runtime');
    expect(manifest.options.RUNTIME_MIN_VERSION!.default).toBe('0.1.22');
    expect(manifest.options.RUNTIME_VERSION!.default).toBe('');
    expect(manifest.options.PIP_TOOLING_UPGRADE!.default).toBe(false);
    expect(manifest.options.PIP_INDEX_URL!.default).toBe('https://pypi.org/simple/');
    expect(manifest.options.PIP_EXTRA_INDEX_URL!.default).toBe('');
    expect(manifest.options.MOLECULE_RUNTIME_INDEX!.default).toBe(
      'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/',
    );
  });

  test('takes only an http(s) URL as an index, so an image cannot slip a pip flag or a second word in', () => {
    for (const option of ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'MOLECULE_RUNTIME_INDEX']) {
      expect(accepts(option, 'https://git.moleculesai.app/api/packages/molecule-ai/pypi/simple/')).toBe(true);
      expect(accepts(option, 'http://127.0.0.1:8080/simple/')).toBe(true);
      for (const bad of [
        '--trusted-host evil.example',
        'https://a.example/ https://b.example/',
        'https://$HOST/',
      ])
        expect(accepts(option, bad), `${option}: ${bad}`).toBe(false);
    }
    expect(accepts('PIP_INDEX_URL', '')).toBe(false);
    expect(accepts('MOLECULE_RUNTIME_INDEX', '')).toBe(false);
    expect(accepts('PIP_EXTRA_INDEX_URL', '')).toBe(true);
  });

  test('takes index or private-wheel as RUNTIME_SOURCE, a distribution name as RUNTIME_DISTRIBUTION, versions as versions', () => {
    expect(accepts('RUNTIME_SOURCE', 'index')).toBe(true);
    expect(accepts('RUNTIME_SOURCE', 'private-wheel')).toBe(true);
    for (const bad of ['', 'wheel', 'index private-wheel', 'Index'])
      expect(accepts('RUNTIME_SOURCE', bad)).toBe(false);
    for (const good of ['molecule-ai-workspace-runtime', 'molecules-workspace-runtime', 'Some.Name_2'])
      expect(accepts('RUNTIME_DISTRIBUTION', good)).toBe(true);
    for (const bad of ['', '--index-url', 'a b', 'runtime>=1', 'runtime==1', 'https://x/y.whl', '-r'])
      expect(accepts('RUNTIME_DISTRIBUTION', bad), bad).toBe(false);
    for (const option of ['RUNTIME_VERSION', 'RUNTIME_MIN_VERSION']) {
      for (const good of ['', '0.1.30', '0.4.87', '1.0rc1', '2!1.0.post1'])
        expect(accepts(option, good), `${option}: ${good}`).toBe(true);
      for (const bad of ['>=1', '1.0 --pre', '1.0; rm', 'latest'])
        expect(accepts(option, bad), `${option}: ${bad}`).toBe(false);
    }
  });

  test('never swallows a failed install', () => {
    expect(fragment.bodies('RUN').join('\n')).not.toMatch(/\|\|\s*true|2>\s*\/dev\/null/);
  });
});

// Each RUN body is run by a real shell (dash, the image's /bin/sh), with a stand-in `pip` that records its
// arguments and, for `pip download`, writes the files STANDIN_DOWNLOADS names into --dest: PyPI is out of reach
// here, and what matters is which installs each step asks for. test/pip-index.test.ts runs them with the real pip.
describe('the pip steps, run by a real shell', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);
  const calls = join(temp.path, 'pip-calls');
  const bin = join(temp.path, 'bin');
  const work = join(temp.path, 'app');
  mkdirSync(bin);
  mkdirSync(work);
  writeFileSync(
    join(bin, 'pip'),
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> "${calls}"`,
      'command="$1"',
      '# PIP_FAILS=download or install: that command fails, as pip does when an index lacks a package.',
      'if [ "$command" = "$PIP_FAILS" ]; then exit 1; fi',
      'if [ "$command" = download ]; then',
      '  while [ "$#" -gt 0 ]; do if [ "$1" = --dest ]; then dest="$2"; fi; shift; done',
      '  for file in $STANDIN_DOWNLOADS; do : > "$dest/$file"; done',
      'fi',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'pip'), 0o755);
  /** The ARG defaults of the manifest, as the build hands them to the RUN steps. */
  const defaults = Object.fromEntries(
    Object.entries(manifest.options).map(([name, option]) => [
      name,
      Array.isArray(option.default) ? option.default.join(' ') : String(option.default),
    ]),
  );
  beforeEach(() => writeFileSync(calls, ''));
  const run = (body: string, env: Record<string, string> = {}) =>
    runScript('/bin/sh', ['-c', body], {
      cwd: work,
      env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: temp.path, ...defaults, ...env },
    });
  const pipCalls = () =>
    readFileSync(calls, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replaceAll(temp.path, '$TMP').replace(/\$TMP\/tmp\.\w+/g, '$DIR'));
  const writeRequirements = async (env: Record<string, string> = {}) => {
    const result = await run(requirementsRun, env);
    expect(result.exitCode, result.stderr).toBe(0);
    return readFileSync(join(work, 'requirements.txt'), 'utf8');
  };

  test('requirements.txt names the runtime as the image installs it: the default, a sibling name, no floor', async () => {
    expect(await writeRequirements()).toBe('molecule-ai-workspace-runtime>=0.1.22\n');
    expect(
      await writeRequirements({
        RUNTIME_DISTRIBUTION: 'molecules-workspace-runtime',
        RUNTIME_MIN_VERSION: '0.4.0',
      }),
    ).toBe('molecules-workspace-runtime>=0.4.0\n');
    expect(await writeRequirements({ RUNTIME_MIN_VERSION: '' })).toBe('molecule-ai-workspace-runtime\n');
  });

  test('the tooling step does nothing by default', async () => {
    const result = await run(toolingRun);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(pipCalls()).toEqual([]);
  });

  test('PIP_TOOLING_UPGRADE=true downloads pip, setuptools and wheel from the indexes, then upgrades from those files only', async () => {
    const result = await run(toolingRun, { PIP_TOOLING_UPGRADE: 'true' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(pipCalls()).toEqual([
      'download --no-cache-dir --dest $DIR pip setuptools wheel',
      'install --no-cache-dir --upgrade --no-index --find-links $DIR pip setuptools wheel',
    ]);
  });

  test('the tooling step fails the build when the indexes serve them not, and installs nothing', async () => {
    const result = await run(toolingRun, { PIP_TOOLING_UPGRADE: 'true', PIP_FAILS: 'download' });
    expect(result.exitCode).not.toBe(0);
    expect(pipCalls()).toEqual(['download --no-cache-dir --dest $DIR pip setuptools wheel']);
  });

  describe('RUNTIME_SOURCE=index', () => {
    test("installs requirements.txt only by default: the seed's one command", async () => {
      await writeRequirements();
      const result = await run(runtimeRun, { PYTHON_PACKAGES: '' });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(pipCalls()).toEqual(['install --no-cache-dir -r requirements.txt']);
    });

    test('installs the collected PYTHON_PACKAGES in the same resolve, one word each', async () => {
      const result = await run(runtimeRun, { PYTHON_PACKAGES: 'claude-agent-sdk>=0.1.58 pyyaml==6.0.2' });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(pipCalls()).toEqual([
        'install --no-cache-dir -r requirements.txt claude-agent-sdk>=0.1.58 pyyaml==6.0.2',
      ]);
    });

    test('then upgrades to exactly RUNTIME_VERSION of RUNTIME_DISTRIBUTION when it is set', async () => {
      expect((await run(runtimeRun, { RUNTIME_VERSION: '0.1.30' })).exitCode).toBe(0);
      expect(
        (
          await run(runtimeRun, {
            RUNTIME_VERSION: '0.3.72',
            RUNTIME_DISTRIBUTION: 'molecules-workspace-runtime',
          })
        ).exitCode,
      ).toBe(0);
      expect(pipCalls()).toEqual([
        'install --no-cache-dir -r requirements.txt',
        'install --no-cache-dir --upgrade molecule-ai-workspace-runtime==0.1.30',
        'install --no-cache-dir -r requirements.txt',
        'install --no-cache-dir --upgrade molecules-workspace-runtime==0.3.72',
      ]);
    });

    test('fails the build when pip fails', async () => {
      const result = await run(runtimeRun, { RUNTIME_VERSION: '0.1.30', PIP_FAILS: 'install' });
      expect(result.exitCode).not.toBe(0);
      expect(pipCalls()).toEqual(['install --no-cache-dir -r requirements.txt']);
    });
  });

  describe('RUNTIME_SOURCE=private-wheel', () => {
    const sibling = {
      RUNTIME_SOURCE: 'private-wheel',
      RUNTIME_DISTRIBUTION: 'molecules-workspace-runtime',
      RUNTIME_MIN_VERSION: '0.4.0',
      MOLECULE_RUNTIME_INDEX: 'http://127.0.0.1:1/private/simple/',
      PIP_INDEX_URL: 'http://127.0.0.1:1/public/simple/',
      PYTHON_PACKAGES: 'a2a-sdk==1.0.3 python-multipart>=0.0.27',
      STANDIN_DOWNLOADS: 'molecules_workspace_runtime-0.4.87-py3-none-any.whl',
    };
    beforeEach(async () => {
      await writeRequirements(sibling);
      writeFileSync(calls, '');
    });

    test('downloads the runtime alone from MOLECULE_RUNTIME_INDEX, isolated, then installs that file with the packages from PIP_INDEX_URL alone', async () => {
      const result = await run(runtimeRun, sibling);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(pipCalls()).toEqual([
        'download --isolated --no-cache-dir --only-binary=:all: --no-deps --index-url http://127.0.0.1:1/private/simple/ --dest $DIR molecules-workspace-runtime>=0.4.0',
        'install --isolated --no-cache-dir --index-url http://127.0.0.1:1/public/simple/ $DIR/molecules_workspace_runtime-0.4.87-py3-none-any.whl a2a-sdk==1.0.3 python-multipart>=0.0.27',
      ]);
    });

    test('downloads exactly RUNTIME_VERSION when it is set', async () => {
      const result = await run(runtimeRun, { ...sibling, RUNTIME_VERSION: '0.4.87' });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(pipCalls()[0]).toMatch(/ molecules-workspace-runtime==0\.4\.87$/);
    });

    test('accepts the wheel under its normalized name, whatever the case (PEP 427)', async () => {
      const result = await run(runtimeRun, {
        ...sibling,
        RUNTIME_DISTRIBUTION: 'Molecules.Workspace-Runtime',
        STANDIN_DOWNLOADS: 'molecules_workspace_runtime-0.4.87-py3-none-any.whl',
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(pipCalls()).toHaveLength(2);
    });

    for (const [what, downloads] of [
      ['no file', ''],
      [
        'two wheels',
        'molecules_workspace_runtime-0.4.87-py3-none-any.whl molecules_workspace_runtime-0.4.86-py3-none-any.whl',
      ],
      ['a wheel of another distribution', 'evil_runtime-9.0.0-py3-none-any.whl'],
      ['a source archive', 'molecules_workspace_runtime-0.4.87.tar.gz'],
    ] as const) {
      test(`refuses ${what} from the private index, naming what it got, and installs nothing`, async () => {
        const result = await run(runtimeRun, { ...sibling, STANDIN_DOWNLOADS: downloads });
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toContain(
          'python-runtime: MOLECULE_RUNTIME_INDEX gave for molecules-workspace-runtime>=0.4.0 not exactly one molecules_workspace_runtime-*.whl but:',
        );
        expect(pipCalls().filter((call) => call.startsWith('install'))).toEqual([]);
      });
    }

    test('fails the build when the download fails', async () => {
      const result = await run(runtimeRun, { ...sibling, PIP_FAILS: 'download' });
      expect(result.exitCode).not.toBe(0);
      expect(pipCalls()).toHaveLength(1);
    });

    test('refuses an extra index, whose names would compete with the public ones, before pip runs', async () => {
      const result = await run(runtimeRun, {
        ...sibling,
        PIP_EXTRA_INDEX_URL: 'http://127.0.0.1:1/other/simple/',
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        'PIP_EXTRA_INDEX_URL is http://127.0.0.1:1/other/simple/: leave it empty',
      );
      expect(pipCalls()).toEqual([]);
    });

    test('refuses the private index as the public one, before pip runs', async () => {
      const result = await run(runtimeRun, { ...sibling, PIP_INDEX_URL: sibling.MOLECULE_RUNTIME_INDEX });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        'PIP_INDEX_URL to be the public index, but it is MOLECULE_RUNTIME_INDEX',
      );
      expect(pipCalls()).toEqual([]);
    });
  });

  test('an unknown RUNTIME_SOURCE (a --build-arg the composer never saw) fails the build, saying what it takes', async () => {
    const result = await run(runtimeRun, { RUNTIME_SOURCE: 'wheel' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("RUNTIME_SOURCE is 'wheel'; it takes index or private-wheel");
    expect(pipCalls()).toEqual([]);
  });
});
