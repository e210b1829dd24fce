import { chownSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appDir,
  entrypointEnv,
  expectAgentFolder,
  expectStartedAsAgent,
  makeEntrypointRoot,
  plantLink,
  type EntrypointRoot,
} from '@image-layers/testing';

// The app's agent hook (hermes's state folder, the /tmp/.hermes link, the restart marker, the persona) run by
// the entrypoint layer's real /entrypoint.sh in a chroot, with the real sh and gosu, and with the entrypoint
// options this image's image.json sets (the runtime command with HOME=/tmp, the auth variables, the loader).

const app = appDir('hermes-image');
const hook = join(app, 'files/entrypoint.d/agent/50-hermes-home.sh');
const entrypointOptions = (
  JSON.parse(readFileSync(join(app, 'image.json'), 'utf8')) as {
    layers: (string | { layer: string; options?: Record<string, string | boolean | string[]> })[];
  }
).layers.flatMap((item) =>
  typeof item === 'object' && item.layer === 'entrypoint' ? [item.options ?? {}] : [],
)[0];

const agent = { uid: 1000, gid: 1000 };

describe("the app's agent hook: hermes's state in /configs/.hermes, reached as /tmp/.hermes", () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeEntrypointRoot({
      hooks: { '/entrypoint.d/agent/50-hermes-home.sh': hook },
      options: entrypointOptions,
    });
  });
  afterEach(() => image.cleanup());

  it("makes /configs/.hermes agent's, links /tmp/.hermes to it and leaves the restart marker there", async () => {
    const run = await image.start();

    expectStartedAsAgent(image, run);
    expectAgentFolder(image, '/configs/.hermes');
    expect(lstatSync(image.root.at('/tmp/.hermes')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(image.root.at('/tmp/.hermes'))).toBe('/configs/.hermes');
    expect(image.owner('/configs/.hermes/.clean_shutdown')).toMatchObject(agent);
  });

  it('runs the runtime as the original does: env HOME=/tmp CONFIGS_DIR=/configs molecule-runtime <args>', async () => {
    const run = await image.start(['--port', '8000', '--label', 'two words']);

    expectStartedAsAgent(image, run);
    expect(image.record('runtime')).toMatch(/^home=\/tmp$/m);
    expect(image.record('runtime.env')).toMatch(/^CONFIGS_DIR=\/configs$/m);
    expect(image.record('runtime.argv')).toBe('<--port>\n<8000>\n<--label>\n<two words>\n');
  });

  it('keeps the state an earlier container left in the volume and replaces a stale /tmp/.hermes folder', async () => {
    image.root.writeFile('/configs/.hermes/state.db', 'sessions\n', agent);
    image.root.mkdir('/tmp/.hermes', { ...agent, mode: 0o755 });
    image.root.writeFile('/tmp/.hermes/old.log', 'old\n', agent);

    const run = await image.start();

    expectStartedAsAgent(image, run);
    expect(readlinkSync(image.root.at('/tmp/.hermes'))).toBe('/configs/.hermes');
    expect(readFileSync(image.root.at('/configs/.hermes/state.db'), 'utf8')).toBe('sessions\n');
  });

  it("grafts the concierge's persona into SOUL.md (0644, agent's), ahead of the plain system prompt", async () => {
    image.root.writeFile('/configs/prompts/concierge.md', 'You are the concierge.\n');
    image.root.writeFile('/configs/system-prompt.md', 'You are a worker.\n');

    const run = await image.start();

    expectStartedAsAgent(image, run);
    expect(readFileSync(image.root.at('/configs/.hermes/SOUL.md'), 'utf8')).toBe('You are the concierge.\n');
    expect(image.owner('/configs/.hermes/SOUL.md')).toEqual({ ...agent, mode: 0o644 });
    expect(run.stdout).toContain('persona /configs/prompts/concierge.md -> /tmp/.hermes/SOUL.md');
  });

  it('uses system-prompt.md when the concierge prompt is empty, and renews SOUL.md on every start', async () => {
    image.root.writeFile('/configs/prompts/concierge.md', '');
    image.root.writeFile('/configs/system-prompt.md', 'You are the reviewer.\n');
    image.root.writeFile('/configs/.hermes/SOUL.md', 'an older persona\n', agent);

    const run = await image.start();

    expectStartedAsAgent(image, run);
    expect(readFileSync(image.root.at('/configs/.hermes/SOUL.md'), 'utf8')).toBe('You are the reviewer.\n');
  });

  it('without a persona says so loudly, keeps the SOUL.md the volume has, and the start goes on', async () => {
    image.root.writeFile('/configs/.hermes/SOUL.md', 'kept persona\n', agent);

    const run = await image.start();

    expectStartedAsAgent(image, run);
    expect(run.stderr).toContain('[50-hermes-home] ERROR no workspace persona was delivered');
    expect(readFileSync(image.root.at('/configs/.hermes/SOUL.md'), 'utf8')).toBe('kept persona\n');
  });

  it('stops the start, naming the path, when /configs/.hermes is a plain file', async () => {
    image.root.writeFile('/configs/.hermes', 'not a folder\n', agent);

    const run = await image.start();

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('[50-hermes-home] /configs/.hermes is not a folder');
    expect(image.record('runtime')).toBeUndefined();
  });

  it('runs as agent: a link the agent planted at /configs/.hermes cannot make it write where root may', async () => {
    // The hook runs after the drop, so following the agent's own link only reaches what uid 1000 may write.
    plantLink(image, '/etc', '/configs/.hermes');
    const etcBefore = readFileSync(image.root.at('/etc/passwd'), 'utf8');

    const run = await image.start();

    expect(run.exitCode).not.toBe(0);
    expect(readFileSync(image.root.at('/etc/passwd'), 'utf8')).toBe(etcBefore);
    expect(lstatSync(image.root.at('/etc/.clean_shutdown'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('also runs when the container starts as uid 1000 (no root phase, as on Kubernetes)', async () => {
    // On Kubernetes the pod's fsGroup hands the volume over agent-owned.
    chownSync(image.root.at('/configs'), agent.uid, agent.gid);
    const run = await image.root.run('/usr/sbin/gosu', ['agent', '/entrypoint.sh'], {
      cwd: '/app',
      env: {
        PATH: '/opt/stand-ins/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: '/home/agent',
        ...entrypointEnv(entrypointOptions),
      },
    });

    expectStartedAsAgent(image, run);
    expect(readlinkSync(image.root.at('/tmp/.hermes'))).toBe('/configs/.hermes');
  });
});
