import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyFragment,
  makeChrootRoot,
  makeTempDir,
  requireTool,
  type ChrootRoot,
} from '@image-layers/testing';

// The fragment applied for real to a throwaway root holding what the image has before it: Debian's sudo
// configuration and PAM (copied from this host's sudo package) and agent made by the agent-user fragment.
describe('the t4-escalation fragment, applied to a root', () => {
  let root: ChrootRoot;
  beforeEach(async () => {
    for (const tool of ['visudo', 'sudo', 'useradd', 'groupadd', 'usermod', 'getent']) requireTool(tool);
    root = makeChrootRoot({ users: [], groups: [], hostname: 't4-test-host' });
    root.copyFromHost(
      '/etc/login.defs',
      '/etc/default/useradd',
      '/etc/skel',
      '/etc/sudoers',
      '/etc/pam.d',
      '/etc/security',
    );
    const agentUser = await applyFragment(root, 'agent-user');
    expect(agentUser.exitCode, agentUser.stderr).toBe(0);
  });
  afterEach(() => root.cleanup());

  /** Runs a command as agent through the real gosu, as the entrypoint's drop does. */
  const asAgent = (...command: string[]) => root.run('/usr/sbin/gosu', ['agent', ...command]);

  it('builds, leaving the drop-in at /etc/sudoers.d/agent-t4 owned by root, mode 0440', async () => {
    const build = await applyFragment(root, 't4-escalation');

    expect(build.exitCode, build.stderr).toBe(0);
    const stats = lstatSync(root.at('/etc/sudoers.d/agent-t4'));
    expect({ uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o7777 }).toEqual({
      uid: 0,
      gid: 0,
      mode: 0o440,
    });
  });

  it('creates the docker group and puts agent in it, agent keeping uid and gid 1000', async () => {
    const before = await root.run('id', ['agent']);
    expect(before.stdout).not.toContain('docker');

    await applyFragment(root, 't4-escalation');

    const after = await root.run('id', ['agent']);
    expect(after.stdout).toMatch(
      /^uid=1000\(agent\) gid=1000\(agent\) groups=1000\(agent\),\d+\(docker\)\n$/,
    );
  });

  it('accepts a docker group that already exists', async () => {
    const groupadd = await root.run('groupadd', ['--gid', '998', 'docker']);
    expect(groupadd.exitCode, groupadd.stderr).toBe(0);

    const build = await applyFragment(root, 't4-escalation');

    expect(build.exitCode, build.stderr).toBe(0);
    expect((await root.run('id', ['-nG', 'agent'])).stdout).toBe('agent docker\n');
  });

  it('gives agent (uid 1000) root through sudo without a password: the tier-4 path, on purpose', async () => {
    const refused = await asAgent('sudo', '-n', 'id', '-u');
    expect(refused.exitCode).not.toBe(0); // the control: Debian's sudo alone grants agent nothing

    await applyFragment(root, 't4-escalation');

    const escalated = await asAgent('sudo', '-n', 'id', '-u');
    expect(escalated.exitCode, escalated.stderr).toBe(0);
    expect(escalated.stdout).toBe('0\n');
  });

  it('makes no docker-host group unless DOCKER_HOST_GID is given (the default, claude-code)', async () => {
    const build = await applyFragment(root, 't4-escalation');

    expect(build.exitCode, build.stderr).toBe(0);
    expect((await root.run('getent', ['group', 'docker-host'])).exitCode).toBe(2);
  });

  it('with DOCKER_HOST_GID=988 creates docker-host with gid 988 and puts agent in it, as codex, hermes and openclaw do', async () => {
    const build = await applyFragment(root, 't4-escalation', { buildArgs: { DOCKER_HOST_GID: '988' } });

    expect(build.exitCode, build.stderr).toBe(0);
    expect((await root.run('getent', ['group', 'docker-host'])).stdout).toBe('docker-host:x:988:agent\n');
    expect((await root.run('id', ['agent'])).stdout).toMatch(
      /^uid=1000\(agent\) gid=1000\(agent\) groups=1000\(agent\),\d+\(docker\),988\(docker-host\)\n$/,
    );
  });

  it("lets agent use a socket carrying the host's docker gid, which it could not before", async () => {
    // The provisioner bind-mounts the host's /var/run/docker.sock: root-owned, group the host's docker gid, 0660.
    root.writeFile('/var/run/docker.sock', 'the host socket\n', { mode: 0o660, uid: 0, gid: 988 });
    const before = await asAgent('cat', '/var/run/docker.sock');
    expect(before.exitCode).not.toBe(0); // the control: agent's docker group has the image's gid, not 988
    expect(before.stderr).toContain('Permission denied');

    await applyFragment(root, 't4-escalation', { buildArgs: { DOCKER_HOST_GID: '988' } });

    const after = await asAgent('cat', '/var/run/docker.sock');
    expect(after.exitCode, after.stderr).toBe(0);
    expect(after.stdout).toBe('the host socket\n');
  });

  it('accepts a docker-host group that already has that gid (a base that made it)', async () => {
    expect((await root.run('groupadd', ['--gid', '988', 'docker-host'])).exitCode).toBe(0);

    const build = await applyFragment(root, 't4-escalation', { buildArgs: { DOCKER_HOST_GID: '988' } });

    expect(build.exitCode, build.stderr).toBe(0);
    expect((await root.run('id', ['-nG', 'agent'])).stdout).toBe('agent docker-host docker\n'); // /etc/group's order
  });

  it.each([
    ['the gid belongs to another group', ['--gid', '988', 'render'], 'gid 988 is render:x:988:'],
    [
      'docker-host exists with another gid',
      ['--gid', '990', 'docker-host'],
      'has gid 990, not DOCKER_HOST_GID=988',
    ],
  ])(
    'fails the build when %s, where the originals silently went on (`-f ... || true`)',
    async (_what, groupadd, says) => {
      expect((await root.run('groupadd', groupadd)).exitCode).toBe(0);

      const build = await applyFragment(root, 't4-escalation', { buildArgs: { DOCKER_HOST_GID: '988' } });

      expect(build.exitCode).toBe(1);
      expect(build.stderr).toContain('t4-escalation: group docker-host has gid');
      expect(build.stderr).toContain(says);
      expect((await root.run('id', ['-nG', 'agent'])).stdout).toBe('agent docker\n'); // not added
    },
  );

  it('fails the build when the drop-in is broken, so a broken sudo can never ship', async () => {
    const broken = makeTempDir('t4-broken-files-');
    try {
      mkdirSync(join(broken.path, 'sudoers.d'));
      writeFileSync(join(broken.path, 'sudoers.d', 'agent-t4'), 'agent ALL=(ALL) NOPASSWD ALL\n');

      const build = await applyFragment(root, 't4-escalation', { filesDir: broken.path });

      expect(build.exitCode).not.toBe(0);
      expect(build.stderr).toContain('syntax error');
      expect((await root.run('id', ['-nG', 'agent'])).stdout).toBe('agent\n'); // stopped before groupadd
    } finally {
      broken.cleanup();
    }
  });
});
