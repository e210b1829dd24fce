import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appDir,
  makeEntrypointRoot,
  makeHostileEntrypointRoot,
  type EntrypointRoot,
  type EntrypointRootOptions,
} from '@image-layers/testing';
import {
  expectAgentFolder,
  expectStartedAsAgent,
  plantLink,
  startLeavingEtcAlone,
} from '@image-layers/testing';

// The app's two hooks run by the real entrypoint of the entrypoint layer, as root in a chroot with the real gosu
// (@image-layers/testing's makeEntrypointRoot): the root hook gives OpenClaw's ~/.openclaw to agent, the agent
// hook writes the npm token for the private @molecule-ai scope.

const app = appDir('openclaw-image');
const homeHook = join(app, 'files/entrypoint.d/root/50-openclaw-home.sh');
const npmHook = join(app, 'files/entrypoint.d/agent/50-npm-gitea-auth.sh');
const hooks = {
  '/entrypoint.d/root/50-openclaw-home.sh': homeHook,
  '/entrypoint.d/agent/50-npm-gitea-auth.sh': npmHook,
};
// The image's ENV (image.Dockerfile): npm reads this file, whatever HOME is.
const npmEnv = { NPM_CONFIG_USERCONFIG: '/home/agent/.npmrc' };
const token = 'giteaReadToken0123abcd';

// A stand-in of the runtime's own helper (molecule_runtime.npm_auth), found through PYTHONPATH like the real one:
// it records what it was handed (the token only as whether it matched) and fails when asked to.
const helperFiles: Record<string, string> = {
  '/opt/stand-ins/python/molecule_runtime/__init__.py': '',
  '/opt/stand-ins/python/molecule_runtime/npm_auth.py': `import os, sys
def install_npm_gitea_auth():
    with open("/var/record/npm-auth", "a") as f:
        f.write("base=%s token=%s\\n" % (os.environ.get("MOLECULE_GITEA_BASE_URL"),
                                        "given" if os.environ.get("MOLECULE_TEMPLATE_REPO_TOKEN") == ${JSON.stringify(token)} else "other"))
    if os.environ.get("STANDIN_NPM_AUTH_FAIL"):
        sys.exit(1)
`,
};

let image: EntrypointRoot | undefined;
afterEach(() => image?.cleanup());
const make = (options: EntrypointRootOptions & { hostile?: boolean } = {}) => {
  image = (options.hostile ? makeHostileEntrypointRoot : makeEntrypointRoot)({ hooks, ...options });
  return image;
};
const npmrc = (root: EntrypointRoot) => readFileSync(root.root.at('/home/agent/.npmrc'), 'utf8');
const present = (root: EntrypointRoot, inside: string) =>
  lstatSync(root.root.at(inside), { throwIfNoEntry: false }) !== undefined;

describe("the root hook: OpenClaw's folder, /home/agent/.openclaw", () => {
  it('makes it and gives it, with what a root run left in it, to agent', async () => {
    const root = make();
    root.root.writeFile('/home/agent/.openclaw/openclaw.json', '{}\n'); // root-owned, as a root run left it

    const run = await root.start();

    expectStartedAsAgent(root, run);
    expectAgentFolder(root, '/home/agent/.openclaw');
    expect(root.owner('/home/agent/.openclaw/openclaw.json')).toMatchObject({ uid: 1000, gid: 1000 });
  });

  it('replaces a link the agent planted there with a folder, leaving /etc as it was', async () => {
    const root = make({ hostile: true });
    plantLink(root, '/etc', '/home/agent/.openclaw');

    const run = await startLeavingEtcAlone(root);

    expectStartedAsAgent(root, run);
    expectAgentFolder(root, '/home/agent/.openclaw');
    expect(run.stdout + run.stderr).toContain(
      'replaced the link /home/agent/.openclaw -> /etc with a folder',
    );
  });

  it('leaves a plain file in the way as it is, says so, and the start goes on', async () => {
    const root = make();
    root.root.writeFile('/home/agent/.openclaw', 'not a folder\n', { uid: 1000, gid: 1000 });

    const run = await root.start();

    expectStartedAsAgent(root, run);
    expect(readFileSync(root.root.at('/home/agent/.openclaw'), 'utf8')).toBe('not a folder\n');
    expect(run.stdout + run.stderr).toContain('/home/agent/.openclaw is not a folder; left as it is');
  });
});

describe('the agent hook: npm auth for the private @molecule-ai scope', () => {
  it('writes the scope registry and the token into the npmrc npm reads, private to agent, never printing the token', async () => {
    const root = make();

    const run = await root.start([], {
      ...npmEnv,
      MOLECULE_TEMPLATE_REPO_TOKEN: token,
      MOLECULE_GITEA_BASE_URL: 'https://gitea.example:3000/',
    });

    expectStartedAsAgent(root, run);
    expect(npmrc(root)).toBe(
      '@molecule-ai:registry=https://gitea.example:3000/api/packages/molecule-ai/npm/\n' +
        `//gitea.example:3000/api/packages/molecule-ai/npm/:_authToken=${token}\n`,
    );
    expect(root.owner('/home/agent/.npmrc')).toEqual({ uid: 1000, gid: 1000, mode: 0o600 });
    expect(run.stdout).toContain('npm gitea auth: configured for the @molecule-ai scope (~/.npmrc written)');
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("falls back to GITEA_TOKEN and the platform's Gitea, replacing an npmrc the bake left", async () => {
    const root = make();
    root.root.writeFile('/home/agent/.npmrc', '@molecule-ai:registry=https://old.example/\n', {
      uid: 1000,
      gid: 1000,
    });

    const run = await root.start([], { ...npmEnv, GITEA_TOKEN: token });

    expectStartedAsAgent(root, run);
    expect(npmrc(root)).toBe(
      '@molecule-ai:registry=https://git.moleculesai.app/api/packages/molecule-ai/npm/\n' +
        `//git.moleculesai.app/api/packages/molecule-ai/npm/:_authToken=${token}\n`,
    );
  });

  it('without a token warns by name and writes nothing; the start goes on', async () => {
    const root = make();

    const run = await root.start([], npmEnv);

    expectStartedAsAgent(root, run);
    expect(run.stderr).toContain('npm gitea auth: WARN: no MOLECULE_TEMPLATE_REPO_TOKEN or GITEA_TOKEN');
    expect(present(root, '/home/agent/.npmrc')).toBe(false);
  });

  it.each([
    [
      'a token with a line break',
      { MOLECULE_TEMPLATE_REPO_TOKEN: `${token}\nregistry=https://evil.example/` },
      'the Gitea token holds characters no token has',
    ],
    [
      'a base URL with a line break',
      {
        MOLECULE_TEMPLATE_REPO_TOKEN: token,
        MOLECULE_GITEA_BASE_URL: 'https://a.example\nregistry=https://evil.example',
      },
      'holds characters a registry URL has not',
    ],
    [
      'a base URL that is not http(s)',
      { MOLECULE_TEMPLATE_REPO_TOKEN: token, MOLECULE_GITEA_BASE_URL: 'file:///etc' },
      'is not an http(s) URL',
    ],
  ])('refuses %s: no npmrc, a warning, and the start goes on', async (_case, env, warning) => {
    const root = make();

    const run = await root.start([], { ...npmEnv, ...env });

    expectStartedAsAgent(root, run);
    expect(run.stderr).toContain(warning);
    expect(present(root, '/home/agent/.npmrc')).toBe(false);
  });

  it("uses the runtime's own helper when the runtime has it", async () => {
    const root = make({ files: helperFiles });

    const run = await root.start([], {
      ...npmEnv,
      PYTHONPATH: '/opt/stand-ins/python',
      MOLECULE_TEMPLATE_REPO_TOKEN: token,
    });

    expectStartedAsAgent(root, run);
    expect(root.record('npm-auth')).toBe('base=https://git.moleculesai.app token=given\n');
    expect(run.stdout).toContain(
      "npm gitea auth: configured for the @molecule-ai scope (the runtime's helper)",
    );
    expect(present(root, '/home/agent/.npmrc')).toBe(false);
  });

  it('writes the npmrc itself when the helper fails', async () => {
    const root = make({ files: helperFiles });

    const run = await root.start([], {
      ...npmEnv,
      PYTHONPATH: '/opt/stand-ins/python',
      MOLECULE_TEMPLATE_REPO_TOKEN: token,
      STANDIN_NPM_AUTH_FAIL: '1',
    });

    expectStartedAsAgent(root, run);
    expect(root.record('npm-auth')).toBe('base=https://git.moleculesai.app token=given\n');
    expect(npmrc(root)).toContain(`:_authToken=${token}\n`);
  });
});
