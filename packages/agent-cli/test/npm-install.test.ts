import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  parseLayerFragment,
  requireTool,
  runScript,
  startHttpServer,
  type LocalHttpServer,
} from '@image-layers/testing';

// The fragment's RUN run for real, by /bin/sh with the real npm and node, against a local registry on
// 127.0.0.1 that plays registry.npmjs.org: its packages are made by the real `npm pack`. npm installs into a
// temporary global prefix, so nothing of the host changes.

const install = parseLayerFragment('agent-cli').bodies('RUN')[0]!;

interface Published {
  version: string;
  /** The package's own version in its package.json, when the registry lies about it. */
  contentVersion?: string;
  /** The CLI's exit code for --version. */
  versionExit?: number;
  /** A postinstall script exiting with this code (none when unset). */
  postinstallExit?: number;
}

let temp: ReturnType<typeof makeTempDir>;
let registry: LocalHttpServer;
const packuments = new Map<string, object>();
const tarballs = new Map<string, Buffer>();

/** Packs a CLI package with the real npm and publishes it (as the registry's packument answers it). */
async function publish(name: string, bin: string, versions: Published[], latest: string) {
  const entries: Record<string, object> = {};
  for (const { version, contentVersion = version, versionExit = 0, postinstallExit } of versions) {
    const dir = join(temp.path, 'src', `${name}-${version}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name,
        version: contentVersion,
        bin: { [bin]: 'cli.js' },
        ...(postinstallExit === undefined
          ? {}
          : { scripts: { postinstall: `node -e "process.exit(${postinstallExit})"` } }),
      }),
    );
    writeFileSync(
      join(dir, 'cli.js'),
      `#!/usr/bin/env node\nif (process.argv[2] === '--version') { console.log('${bin} ' + require('./package.json').version); process.exit(${versionExit}); }\n`,
      { mode: 0o755 },
    );
    const pack = await runScript(requireTool('npm'), ['pack', '--silent', '--pack-destination', dir], {
      cwd: dir,
      env: { npm_config_cache: join(temp.path, 'pack-cache') },
    });
    expect(pack.exitCode, pack.stderr).toBe(0);
    const data = readFileSync(join(dir, pack.stdout.trim()));
    const file = `/${name}/-/${name}-${version}.tgz`;
    tarballs.set(file, data);
    entries[version] = {
      name,
      version,
      bin: { [bin]: 'cli.js' },
      // As the registry says it: npm runs a package's install scripts only when its packument flags them.
      ...(postinstallExit === undefined ? {} : { hasInstallScript: true }),
      dist: {
        tarball: `${registry.url}${file}`,
        shasum: createHash('sha1').update(data).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
      },
    };
  }
  packuments.set(`/${name}`, { name, 'dist-tags': { latest }, versions: entries });
}

beforeAll(async () => {
  requireTool('npm');
  requireTool('node');
  temp = makeTempDir('agent-cli-npm-');
  registry = await startHttpServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '');
    const packument = packuments.get(path);
    const tarball = tarballs.get(path);
    if (packument) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    else if (tarball) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  });
  await publish('fixture-cli', 'fixture-cli', [{ version: '1.0.0' }, { version: '1.1.0' }], '1.1.0');
  await publish('@fixture/scoped-cli', 'scoped', [{ version: '2026.7.1-2' }], '2026.7.1-2');
  await publish('lying-cli', 'lying-cli', [{ version: '1.0.0', contentVersion: '1.1.0' }], '1.0.0');
  await publish('broken-cli', 'broken-cli', [{ version: '1.0.0', versionExit: 3 }], '1.0.0');
  // A CLI whose own install script fails on the build's Node (as openclaw's does on Node 18).
  await publish(
    'node18-cli',
    'node18-cli',
    [{ version: '1.0.0', versionExit: 3, postinstallExit: 4 }],
    '1.0.0',
  );
}, 60_000);
afterAll(async () => {
  await registry?.close();
  temp?.cleanup();
});

let builds = 0;
/** Runs the install step as the build does, with its ARGs as variables, into a fresh global prefix. */
async function build(args: {
  AGENT_CLI_PACKAGE: string;
  AGENT_CLI_VERSION: string;
  AGENT_CLI_COMMAND: string;
  AGENT_CLI_RUN?: string;
}) {
  const prefix = join(temp.path, `prefix-${++builds}`);
  const before = registry.requests.length;
  const run = await runScript('/bin/sh', ['-c', install], {
    env: {
      AGENT_CLI_RUN: 'true', // the ARG's default
      ...args,
      PATH: `${prefix}/bin:${process.env.PATH}`,
      HOME: temp.path,
      npm_config_prefix: prefix,
      npm_config_cache: join(temp.path, `cache-${builds}`),
      npm_config_registry: `${registry.url}/`,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    timeoutMs: 60_000,
  });
  return { ...run, requests: registry.requests.slice(before).map((request) => request.url) };
}

describe('the agent-cli install step, run with the real npm against a local registry', () => {
  it('installs the exact version asked for, not the newer latest, and runs `<command> --version`', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'fixture-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'fixture-cli',
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^fixture-cli 1\.0\.0$/m);
    expect(run.requests).toContain('/fixture-cli/-/fixture-cli-1.0.0.tgz');
  });

  it('installs a scoped package with a prerelease-style version (openclaw 2026.7.1-2)', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: '@fixture/scoped-cli',
      AGENT_CLI_VERSION: '2026.7.1-2',
      AGENT_CLI_COMMAND: 'scoped',
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^scoped 2026\.7\.1-2$/m);
  });

  it.each(['latest', '^1.0.0', '~1.0', '1.x', '>=1.0.0', '1.0.0 || 1.1.0', '*', ''])(
    'refuses AGENT_CLI_VERSION="%s" (a --build-arg the composer never saw) before reaching the registry',
    async (version) => {
      const run = await build({
        AGENT_CLI_PACKAGE: 'fixture-cli',
        AGENT_CLI_VERSION: version,
        AGENT_CLI_COMMAND: 'fixture-cli',
      });

      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `agent-cli: AGENT_CLI_VERSION=${version} is not an exact version (x.y.z): pin the CLI`,
      );
      expect(run.requests).toEqual([]);
    },
  );

  it('fails the build when the version is not published', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'fixture-cli',
      AGENT_CLI_VERSION: '1.2.3',
      AGENT_CLI_COMMAND: 'fixture-cli',
    });

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('ETARGET');
    expect(run.stdout).not.toContain('fixture-cli 1.');
  });

  it('fails the build when the installed package is not the version asked for', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'lying-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'lying-cli',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('agent-cli: npm installed lying-cli 1.1.0, not 1.0.0');
  });

  it('fails the build when the command is not what the package installs', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'fixture-cli',
      AGENT_CLI_VERSION: '1.1.0',
      AGENT_CLI_COMMAND: 'fixture',
    });

    expect(run.exitCode).toBe(127);
    expect(run.stderr).toMatch(/fixture: (command )?not found/);
  });

  it('fails the build when `<command> --version` fails', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'broken-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'broken-cli',
    });

    expect(run.exitCode).toBe(3);
  });

  it('fails the build when the install script fails', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'node18-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'node18-cli',
    });

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('npm error command sh -c node -e "process.exit(4)"');
    expect(run.stdout).not.toMatch(/^node18-cli 1\.0\.0$/m); // it stopped before the probe
  });

  it('with AGENT_CLI_RUN=false installs the files at the exact version and runs nothing of the CLI, saying so', async () => {
    // node18-cli's postinstall exits 4 and its --version 3: neither runs, the build passes, the log names both.
    const run = await build({
      AGENT_CLI_PACKAGE: 'node18-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'node18-cli',
      AGENT_CLI_RUN: 'false',
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'agent-cli: AGENT_CLI_RUN=false: node18-cli installed without its install scripts, and node18-cli --version not run',
    );
    expect(run.stdout).not.toMatch(/^node18-cli 1\.0\.0$/m);
  });

  it('with AGENT_CLI_RUN=false still fails when npm installed another version', async () => {
    const run = await build({
      AGENT_CLI_PACKAGE: 'lying-cli',
      AGENT_CLI_VERSION: '1.0.0',
      AGENT_CLI_COMMAND: 'lying-cli',
      AGENT_CLI_RUN: 'false',
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('agent-cli: npm installed lying-cli 1.1.0, not 1.0.0');
  });

  it.each(['yes', '', 'False'])(
    'refuses AGENT_CLI_RUN="%s" before reaching the registry: true or false only',
    async (value) => {
      const run = await build({
        AGENT_CLI_PACKAGE: 'fixture-cli',
        AGENT_CLI_VERSION: '1.0.0',
        AGENT_CLI_COMMAND: 'fixture-cli',
        AGENT_CLI_RUN: value,
      });

      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(`agent-cli: AGENT_CLI_RUN=${value} is neither true nor false`);
      expect(run.requests).toEqual([]);
    },
  );
});
