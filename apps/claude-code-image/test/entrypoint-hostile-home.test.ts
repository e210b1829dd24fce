import { linkSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIds as agent,
  expectAgentFolder,
  expectStartedAsAgent,
  picture,
  plantLink,
  startLeavingEtcAlone,
  type EntrypointRoot,
} from '@image-layers/testing';
import { makeClaudeHomeRoot } from './claude-home-root';

describe("the app's root hook never follows a link the agent planted", () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeClaudeHomeRoot({ hostile: true });
  });
  afterEach(() => image.cleanup());

  describe('/home/agent, the agent home volume', () => {
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
  });

  describe('the sessions volume at /root/.claude/sessions', () => {
    beforeEach(() => {
      image.root.writeFile('/root/.claude/sessions/session-1.jsonl', '{}\n');
    });

    it('keeps every session when a planted /home/agent/.claude link points at /root/.claude', async () => {
      plantLink(image, '/root/.claude', '/home/agent/.claude');
      const sessions = picture(image, '/root/.claude/sessions');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(lstatSync(image.root.at('/root/.claude/sessions/session-1.jsonl')).isFile()).toBe(true);
      expect(Object.keys(picture(image, '/root/.claude/sessions'))).toEqual(Object.keys(sessions));
      expect(readlinkSync(image.root.at('/home/agent/.claude/sessions'))).toBe('/root/.claude/sessions');
    });

    it('gives the volume to agent without following links the agent left inside it', async () => {
      plantLink(image, '/etc', '/root/.claude/sessions/etc');
      plantLink(image, '/etc/shadow', '/root/.claude/sessions/shadow');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link in the volume to its owner', async () => {
      linkSync(image.root.at('/etc/shadow'), image.root.at('/root/.claude/sessions/shadow'));

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/root/.claude/sessions/session-1.jsonl')).toMatchObject(agent);
    });
  });
});
