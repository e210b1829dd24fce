import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRoot } from './image-root';
import {
  agent,
  expectAgentFolder,
  expectStartedAsAgent,
  makeHostileImageRoot,
  plantLink,
  startLeavingEtcAlone,
} from './hostile-root';

describe('entrypoint.sh as root never follows a link the agent planted', () => {
  let image: ImageRoot;
  beforeEach(() => {
    image = makeHostileImageRoot();
  });
  afterEach(() => image.cleanup());

  describe('/home/agent, the agent home volume', () => {
    it('refuses to overwrite or chown /etc/shadow through a planted /home/agent/.gitconfig link', async () => {
      plantLink(image, '/etc/shadow', '/home/agent/.gitconfig');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
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
      plantLink(image, '/etc/sudoers.d', '/home/agent/.gitconfig');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(lstatSync(image.root.at('/home/agent/.gitconfig')).isFile()).toBe(true);
    });

    it('writes nothing into a real folder the agent made at .gitconfig, and starts', async () => {
      image.root.mkdir('/home/agent/.gitconfig', agent);

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(readdirSync(image.root.at('/home/agent/.gitconfig'))).toEqual([]);
      expect(run.stdout).toContain('[entrypoint] /home/agent/.gitconfig is a folder; left as it is');
    });

    it('leaves no temporary file behind in /home/agent after writing .gitconfig', async () => {
      const run = await image.start();

      expectStartedAsAgent(image, run);
      const leftovers = readdirSync(image.root.at('/home/agent')).filter((name) =>
        name.startsWith('.gitconfig.'),
      );
      expect(leftovers).toEqual([]);
    });

    it('refuses to chown or chmod /etc/sudoers.d through a planted .molecule-token-cache link', async () => {
      plantLink(image, '/etc/sudoers.d', '/home/agent/.molecule-token-cache');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/home/agent/.molecule-token-cache')).toEqual({ ...agent, mode: 0o700 });
      expect(lstatSync(image.root.at('/home/agent/.molecule-token-cache')).isDirectory()).toBe(true);
    });

    it('starts although .molecule-token-cache is a plain file, and leaves that file as it is', async () => {
      image.root.writeFile('/home/agent/.molecule-token-cache', 'the agent wrote this\n', agent);

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(readFileSync(image.root.at('/home/agent/.molecule-token-cache'), 'utf8')).toBe(
        'the agent wrote this\n',
      );
    });

    it('refuses to create or write files in /etc through a planted /home/agent/.claude link', async () => {
      plantLink(image, '/etc', '/home/agent/.claude');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/home/agent/.claude');
      expectAgentFolder(image, '/home/agent/.claude/session-env');
      const settings = JSON.parse(readFileSync(image.root.at('/home/agent/.claude/settings.json'), 'utf8'));
      expect(settings).toEqual({ permissions: { defaultMode: 'bypassPermissions' } });
    });

    it('starts although .claude is a plain file, and still gives the sessions volume to agent', async () => {
      image.root.writeFile('/home/agent/.claude', 'the agent wrote this\n', agent);
      image.root.writeFile('/root/.claude/sessions/session-1.jsonl', '{}\n');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(readFileSync(image.root.at('/home/agent/.claude'), 'utf8')).toBe('the agent wrote this\n');
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
      expect(run.stdout).toContain('[entrypoint] /home/agent/.claude is not a folder; left as it is');
    });

    it('replaces a planted .claude/session-env link to /etc with a real folder', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink(image, '/etc', '/home/agent/.claude/session-env');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/home/agent/.claude/session-env');
    });

    it('neither writes nor chowns through a .claude/settings.json link to /etc/shadow, and keeps the link', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink(image, '/etc/shadow', '/home/agent/.claude/settings.json');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(readlinkSync(image.root.at('/home/agent/.claude/settings.json'))).toBe('/etc/shadow');
    });

    it('creates no file in /etc through a .claude/settings.json link to nowhere', async () => {
      image.root.mkdir('/home/agent/.claude', agent);
      plantLink(image, '/etc/settings-planted.json', '/home/agent/.claude/settings.json');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
    });

    it('starts although .gh-token-refresh.log is a link to /etc/shadow, which stays untouched', async () => {
      plantLink(image, '/etc/shadow', '/home/agent/.gh-token-refresh.log');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
    });
  });
});
