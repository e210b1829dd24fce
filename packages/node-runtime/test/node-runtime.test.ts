import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFragment, layerDir, makeChrootRoot, type ChrootRoot } from '@image-layers/testing';

const manifest = JSON.parse(readFileSync(join(layerDir('node-runtime'), 'layer.json'), 'utf8'));
const matches = (option: string, value: string) =>
  new RegExp(`^(?:${manifest.options[option].pattern})$`).test(value);

describe('the node-runtime manifest', () => {
  it("declares Debian's nodejs and npm only while INSTALL_NODESOURCE is false, for the base layer's one apt step", () => {
    expect(manifest.aptPackages).toBeUndefined();
    expect(manifest.aptPackagesWhen).toEqual([
      { option: 'INSTALL_NODESOURCE', is: false, packages: ['nodejs', 'npm'] },
    ]);
    expect(manifest.provides).toEqual(['command:node', 'command:npm']);
  });

  it('declares NodeSource as a host its build reaches, turned off by INSTALL_NODESOURCE (off by default)', () => {
    expect(manifest.network).toEqual([
      expect.objectContaining({ host: 'deb.nodesource.com', option: 'INSTALL_NODESOURCE' }),
      expect.objectContaining({ host: 'registry.npmjs.org' }), // NODESOURCE_FALLBACK=npm-registry's
    ]);
    expect(manifest.options.INSTALL_NODESOURCE).toMatchObject({ type: 'boolean', default: false });
  });

  it.each(['22', '20', '24'])('accepts NODESOURCE_MAJOR %s', (major) => {
    expect(matches('NODESOURCE_MAJOR', major)).toBe(true);
  });

  it.each(['', '22.x', 'v22', 'lts', '0', '22 '])(
    'refuses NODESOURCE_MAJOR "%s": a major is digits',
    (major) => {
      expect(matches('NODESOURCE_MAJOR', major)).toBe(false);
    },
  );
});

// The fragment applied for real (its ARGs, its RUN under /bin/sh) in a throwaway root whose PATH is /stubs
// alone: stand-ins for the tools that would reach the network or change packages (curl, apt-get), and for node
// and npm, each recording its call in /calls; `apt-get install ... nodejs` puts a node and an npm there, as the
// package would. So the control flow, the order and the major check run as the build runs them.
const nodeStub = 'echo "node $*" >> /calls; echo "$STUB_NODE_VERSION"';
const npmStub = 'echo "npm $*" >> /calls; echo 10.9.2';
const stubs: Record<string, string> = {
  curl: `echo "curl $*" >> /calls
[ -z "\${CURL_FAILS:-}" ] || { echo "curl: (6) Could not resolve host" >&2; exit 6; }
printf '%s\\n' 'echo "setup script ran as $0" >> /calls' > "$2"`,
  'apt-get': `echo "apt-get $*" >> /calls
case " $* " in *" install "*" nodejs "*|*" nodejs")
  printf '#!/bin/sh\\n%s\\n' '${nodeStub}' > /stubs/node; printf '#!/bin/sh\\n%s\\n' '${npmStub}' > /stubs/npm
  /usr/bin/chmod 0755 /stubs/node /stubs/npm ;;
esac`,
  bash: 'exec /usr/bin/bash "$@"',
  rm: 'exec /usr/bin/rm "$@"',
};

describe('the node-runtime fragment, applied to a root', () => {
  let root: ChrootRoot;
  beforeEach(() => {
    root = makeChrootRoot();
    for (const [name, body] of Object.entries(stubs))
      root.writeFile(`/stubs/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    root.mkdir('/var/lib/apt/lists');
    root.writeFile('/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_Packages', 'x\n');
  });
  afterEach(() => root.cleanup());

  /** Debian's nodejs and npm as the base layer's apt step leaves them (INSTALL_NODESOURCE=false in image.json). */
  const debianNodeInstalled = () => {
    root.writeFile('/stubs/node', `#!/bin/sh\n${nodeStub}\n`, { mode: 0o755 });
    root.writeFile('/stubs/npm', `#!/bin/sh\n${npmStub}\n`, { mode: 0o755 });
  };
  const apply = (buildArgs: Record<string, string>, env: Record<string, string> = {}) =>
    applyFragment(root, 'node-runtime', {
      buildArgs,
      env: { PATH: '/stubs', STUB_NODE_VERSION: 'v18.19.0', ...env },
    });
  const calls = () =>
    existsSync(root.at('/calls')) ? readFileSync(root.at('/calls'), 'utf8').trim().split('\n') : [];
  const left = async () => (await root.run('/usr/bin/ls', ['-A', '/tmp', '/var/lib/apt/lists'])).stdout;

  it("with Debian's Node from the base layer (the default) reaches no host: it only probes node and npm", async () => {
    debianNodeInstalled();

    const build = await apply({});

    expect(build.exitCode, build.stderr).toBe(0);
    expect(calls()).toEqual(['node --version', 'npm --version']);
    expect(build.stdout).toBe('v18.19.0\n10.9.2\n');
  });

  it("composed for NodeSource but built with INSTALL_NODESOURCE=false, installs Debian's Node itself and says so", async () => {
    const build = await apply({ INSTALL_NODESOURCE: 'false', NODESOURCE_MAJOR: '22' });

    expect(build.exitCode, build.stderr).toBe(0);
    expect(build.stdout).toContain("node-runtime: no Node from the base layer's apt step");
    expect(calls()).toEqual([
      'apt-get update',
      'apt-get install -y --no-install-recommends nodejs npm',
      'node --version',
      'npm --version',
    ]);
    expect(await left()).toBe('/tmp:\n\n/var/lib/apt/lists:\n'); // package lists removed in the same step
  });

  it('fails the build when no node runs after all, rather than ship an image without it', async () => {
    root.writeFile('/stubs/apt-get', '#!/bin/sh\necho "apt-get $*" >> /calls\n', { mode: 0o755 });

    const build = await apply({});

    expect(build.exitCode).toBe(127);
    expect(calls()).not.toContain('npm --version');
  });

  it('with NodeSource 22 downloads setup_22.x to a file, runs it, installs nodejs, cleans up and checks the major', async () => {
    const build = await apply(
      { INSTALL_NODESOURCE: 'true', NODESOURCE_MAJOR: '22' },
      { STUB_NODE_VERSION: 'v22.12.0' },
    );

    expect(build.exitCode, build.stderr).toBe(0);
    expect(calls()).toEqual([
      'curl -fsSLo /tmp/nodesource_setup.sh https://deb.nodesource.com/setup_22.x',
      'setup script ran as /tmp/nodesource_setup.sh',
      'apt-get install -y --no-install-recommends nodejs',
      'node --version', // the major check
      'node --version', // the probe, in the build log
      'npm --version',
    ]);
    expect(await left()).toBe('/tmp:\n\n/var/lib/apt/lists:\n'); // no setup script, no package lists
  });

  it.each([
    ['22', 'v18.19.0'],
    ['22', 'v20.19.5'],
    ['2', 'v20.19.5'], // v2 is not a prefix of v20: the check matches the whole major
  ])('with NodeSource %s fails the build when node --version is %s, naming both', async (major, version) => {
    const build = await apply(
      { INSTALL_NODESOURCE: 'true', NODESOURCE_MAJOR: major },
      { STUB_NODE_VERSION: version },
    );

    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(`node-runtime: expected Node.js ${major} from NodeSource, got ${version}`);
    expect(calls()).not.toContain('npm --version');
  });

  it('fails the build when the setup script cannot be downloaded, installing nothing', async () => {
    const build = await apply(
      { INSTALL_NODESOURCE: 'true', NODESOURCE_MAJOR: '20' },
      { CURL_FAILS: '1', STUB_NODE_VERSION: 'v20.19.5' },
    );

    expect(build.exitCode).not.toBe(0);
    expect(calls()).toEqual(['curl -fsSLo /tmp/nodesource_setup.sh https://deb.nodesource.com/setup_20.x']);
  });
});
