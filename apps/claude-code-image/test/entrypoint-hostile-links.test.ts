import { createHash } from 'node:crypto';
import { lchownSync, linkSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptRun } from 'image-layers/testing';
import { makeImageRoot, type ImageRoot } from './image-root';

// The agent (uid 1000) writes /workspace, /home/agent and, once given them, /configs and the sessions volume;
// all of them outlive the container. So before any start it may have left links there, aimed at files only root
// may change. These tests plant them as the agent would (agent-owned links), start the real entrypoint as root
// with the real gosu and chown, and check that root changed nothing outside the agent's own paths.

const agent = { uid: 1000, gid: 1000 };

/** The tier-4 layer's drop-in: a folder and a file that would hand out root if the agent could own them. */
const sudoersDropIn = '/etc/sudoers.d/agent-t4';

describe('entrypoint.sh as root never follows a link the agent planted', () => {
  let image: ImageRoot;
  beforeEach(() => {
    image = makeImageRoot();
    image.root.writeFile(sudoersDropIn, 'agent ALL=(ALL) NOPASSWD:ALL\n', { mode: 0o440 });
  });
  afterEach(() => image.cleanup());

  /**
   * Every entry under a folder inside the root, each with its type, owner, mode and content (a digest) or
   * link target: two pictures are equal only when nothing in the tree was created, removed or changed.
   */
  const picture = (inside: string): Record<string, string> => {
    const entries: Record<string, string> = {};
    const visit = (path: string) => {
      const host = image.root.at(path);
      const stats = lstatSync(host);
      const owner = `${stats.uid}:${stats.gid} ${(stats.mode & 0o7777).toString(8)}`;
      if (stats.isSymbolicLink()) {
        entries[path] = `link ${owner} -> ${readlinkSync(host)}`;
      } else if (stats.isDirectory()) {
        entries[path] = `folder ${owner}`;
        for (const name of readdirSync(host).sort()) visit(join(path, name));
      } else {
        const digest = createHash('sha256').update(readFileSync(host)).digest('hex');
        entries[path] = `file ${owner} ${digest}`;
      }
    };
    visit(inside);
    return entries;
  };

  /** Plants a symbolic link as the agent makes one: owned by uid 1000, in a folder that must already exist. */
  const plantLink = (target: string, inside: string) => {
    image.root.symlink(target, inside);
    lchownSync(image.root.at(inside), agent.uid, agent.gid);
  };

  /** The start went all the way: exit 0, and molecule-runtime ran as agent. */
  const expectStartedAsAgent = (run: ScriptRun) => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime')).toMatch(/^uid=1000 gid=1000 /m);
  };

  /** Starts the entrypoint and checks that /etc, every file and folder in it, is exactly as before. */
  const startLeavingEtcAlone = async () => {
    const etc = picture('/etc');
    const run = await image.start();
    expect(picture('/etc')).toEqual(etc);
    return run;
  };

  const expectAgentFolder = (inside: string) => {
    const stats = lstatSync(image.root.at(inside));
    expect(stats.isDirectory(), `${inside} is a real folder`).toBe(true);
    expect({ uid: stats.uid, gid: stats.gid }, inside).toEqual(agent);
  };

  describe('/workspace/.molecule and its chat-uploads', () => {
    beforeEach(() => {
      image.root.mkdir('/workspace/project', agent); // an agent-owned first entry: the fast path
    });

    it('refuses to chown /etc through a planted /workspace/.molecule link, and makes a real .molecule folder', async () => {
      plantLink('/etc', '/workspace/.molecule');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/workspace/.molecule');
      expectAgentFolder('/workspace/.molecule/chat-uploads');
      expect(run.stdout).toContain(
        '[entrypoint] replaced the link /workspace/.molecule -> /etc with a folder',
      );
    });

    it('refuses to chown /etc/sudoers.d through a planted chat-uploads link', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink('/etc/sudoers.d', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a link to a file', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink('/etc/hosts', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a link to nowhere', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink('/etc/planted-by-agent', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a plain file, and leaves that file as it is', async () => {
      image.root.writeFile('/workspace/.molecule/chat-uploads', 'the agent wrote this\n', agent);

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(readFileSync(image.root.at('/workspace/.molecule/chat-uploads'), 'utf8')).toBe(
        'the agent wrote this\n',
      );
      expect(run.stdout).toContain(
        '[entrypoint] /workspace/.molecule/chat-uploads is not a folder; left as it is',
      );
    });
  });

  describe('a workspace the host left root-owned (the recursive chown)', () => {
    it('gives the tree to agent without following a link inside it to /etc or /etc/shadow', async () => {
      image.root.writeFile('/workspace/project/README.md', 'x\n'); // root-owned first entry: the slow path
      plantLink('/etc', '/workspace/project/etc');
      plantLink('/etc/shadow', '/workspace/project/shadow');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/workspace/project/README.md')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link to its owner, since the other name may be /etc/shadow', async () => {
      image.root.writeFile('/workspace/project/README.md', 'x\n');
      linkSync(image.root.at('/etc/shadow'), image.root.at('/workspace/project/shadow'));

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/workspace/project/README.md')).toMatchObject(agent);
      expect(run.stdout).toContain(
        '[entrypoint] not given to agent (more than one hard link): /workspace/project/shadow',
      );
    });
  });

  describe('/home/agent, the agent home volume', () => {
    it('refuses to overwrite or chown /etc/shadow through a planted /home/agent/.gitconfig link', async () => {
      plantLink('/etc/shadow', '/home/agent/.gitconfig');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      const gitconfig = lstatSync(image.root.at('/home/agent/.gitconfig'));
      expect(gitconfig.isFile()).toBe(true);
      expect({ uid: gitconfig.uid, gid: gitconfig.gid, mode: gitconfig.mode & 0o777 }).toEqual({
        ...agent,
        mode: 0o644,
      });
      expect(readFileSync(image.root.at('/home/agent/.gitconfig'), 'utf8')).toBe(
        readFileSync(image.root.at('/root/.gitconfig'), 'utf8'),
      );
    });

    it('refuses to write into /etc/sudoers.d through a .gitconfig link to that folder', async () => {
      plantLink('/etc/sudoers.d', '/home/agent/.gitconfig');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(lstatSync(image.root.at('/home/agent/.gitconfig')).isFile()).toBe(true);
    });

    it('writes nothing into a real folder the agent made at .gitconfig, and starts', async () => {
      image.root.mkdir('/home/agent/.gitconfig', agent);

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(readdirSync(image.root.at('/home/agent/.gitconfig'))).toEqual([]);
      expect(run.stdout).toContain('[entrypoint] /home/agent/.gitconfig is a folder; left as it is');
    });

    it('leaves no temporary file behind in /home/agent after writing .gitconfig', async () => {
      const run = await image.start();

      expectStartedAsAgent(run);
      const leftovers = readdirSync(image.root.at('/home/agent')).filter((name) =>
        name.startsWith('.gitconfig.'),
      );
      expect(leftovers).toEqual([]);
    });

    it('refuses to chown or chmod /etc/sudoers.d through a planted .molecule-token-cache link', async () => {
      plantLink('/etc/sudoers.d', '/home/agent/.molecule-token-cache');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/home/agent/.molecule-token-cache')).toEqual({ ...agent, mode: 0o700 });
      expect(lstatSync(image.root.at('/home/agent/.molecule-token-cache')).isDirectory()).toBe(true);
    });

    it('starts although .molecule-token-cache is a plain file, and leaves that file as it is', async () => {
      image.root.writeFile('/home/agent/.molecule-token-cache', 'the agent wrote this\n', agent);

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(readFileSync(image.root.at('/home/agent/.molecule-token-cache'), 'utf8')).toBe(
        'the agent wrote this\n',
      );
    });

    it('refuses to create or write files in /etc through a planted /home/agent/.claude link', async () => {
      plantLink('/etc', '/home/agent/.claude');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/home/agent/.claude');
      expectAgentFolder('/home/agent/.claude/session-env');
      const settings = JSON.parse(readFileSync(image.root.at('/home/agent/.claude/settings.json'), 'utf8'));
      expect(settings).toEqual({ permissions: { defaultMode: 'bypassPermissions' } });
    });

    it('starts although .claude is a plain file, and still gives the sessions volume to agent', async () => {
      image.root.writeFile('/home/agent/.claude', 'the agent wrote this\n', agent);
      image.root.writeFile('/root/.claude/sessions/session-1.jsonl', '{}\n');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(readFileSync(image.root.at('/home/agent/.claude'), 'utf8')).toBe('the agent wrote this\n');
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
      expect(run.stdout).toContain('[entrypoint] /home/agent/.claude is not a folder; left as it is');
    });

    it('replaces a planted .claude/session-env link to /etc with a real folder', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink('/etc', '/home/agent/.claude/session-env');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expectAgentFolder('/home/agent/.claude/session-env');
    });

    it('neither writes nor chowns through a .claude/settings.json link to /etc/shadow, and keeps the link', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink('/etc/shadow', '/home/agent/.claude/settings.json');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(readlinkSync(image.root.at('/home/agent/.claude/settings.json'))).toBe('/etc/shadow');
    });

    it('creates no file in /etc through a .claude/settings.json link to nowhere', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink('/etc/settings-planted.json', '/home/agent/.claude/settings.json');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
    });

    it('starts although .gh-token-refresh.log is a link to /etc/shadow, which stays untouched', async () => {
      plantLink('/etc/shadow', '/home/agent/.gh-token-refresh.log');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
    });
  });

  describe('the sessions volume at /root/.claude/sessions', () => {
    beforeEach(() => {
      image.root.writeFile('/root/.claude/sessions/session-1.jsonl', '{}\n');
    });

    it('keeps every session when a planted /home/agent/.claude link points at /root/.claude', async () => {
      plantLink('/root/.claude', '/home/agent/.claude');
      const sessions = picture('/root/.claude/sessions');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(lstatSync(image.root.at('/root/.claude/sessions/session-1.jsonl')).isFile()).toBe(true);
      expect(Object.keys(picture('/root/.claude/sessions'))).toEqual(Object.keys(sessions));
      expect(readlinkSync(image.root.at('/home/agent/.claude/sessions'))).toBe('/root/.claude/sessions');
    });

    it('gives the volume to agent without following links the agent left inside it', async () => {
      plantLink('/etc', '/root/.claude/sessions/etc');
      plantLink('/etc/shadow', '/root/.claude/sessions/shadow');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link in the volume to its owner', async () => {
      linkSync(image.root.at('/etc/shadow'), image.root.at('/root/.claude/sessions/shadow'));

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
    });
  });

  describe('/configs, given to agent recursively', () => {
    it('does not follow links inside it to /etc or /etc/shadow', async () => {
      image.root.writeFile('/configs/.auth_token', 'token\n', { mode: 0o600 });
      plantLink('/etc', '/configs/etc');
      plantLink('/etc/shadow', '/configs/shadow');

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/configs/.auth_token')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link to its owner, so a hard link to /etc/shadow changes nothing', async () => {
      image.root.writeFile('/configs/.auth_token', 'token\n', { mode: 0o600 });
      linkSync(image.root.at('/etc/shadow'), image.root.at('/configs/shadow'));

      const run = await startLeavingEtcAlone();

      expectStartedAsAgent(run);
      expect(image.owner('/configs/.auth_token')).toMatchObject(agent);
    });

    it('shows control characters in the names of its files as ? in the banner', async () => {
      image.root.writeFile('/configs/a\u001b[2Jb\rc', 'x\n');

      const run = await image.start();

      expectStartedAsAgent(run);
      expect(run.stdout).toContain('files: a?[2Jb?c\n');
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stdout).not.toContain('\r');
    });
  });
});
