import { linkSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIds as agent,
  expectAgentFolder,
  expectStartedAsAgent,
  makeHostileEntrypointRoot,
  plantLink,
  startLeavingEtcAlone,
  type EntrypointRoot,
} from '@image-layers/testing';

describe('entrypoint.sh as root never follows a link the agent planted', () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeHostileEntrypointRoot();
  });
  afterEach(() => image.cleanup());

  describe('/workspace/.molecule and its chat-uploads', () => {
    beforeEach(() => {
      image.root.mkdir('/workspace/project', agent); // an agent-owned first entry: the fast path
    });

    it('refuses to chown /etc through a planted /workspace/.molecule link, and makes a real .molecule folder', async () => {
      plantLink(image, '/etc', '/workspace/.molecule');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/workspace/.molecule');
      expectAgentFolder(image, '/workspace/.molecule/chat-uploads');
      expect(run.stdout).toContain(
        '[entrypoint] replaced the link /workspace/.molecule -> /etc with a folder',
      );
    });

    it('refuses to chown /etc/sudoers.d through a planted chat-uploads link', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink(image, '/etc/sudoers.d', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a link to a file', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink(image, '/etc/hosts', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a link to nowhere', async () => {
      image.root.mkdir('/workspace/.molecule', agent);
      plantLink(image, '/etc/planted-by-agent', '/workspace/.molecule/chat-uploads');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expectAgentFolder(image, '/workspace/.molecule/chat-uploads');
    });

    it('starts although chat-uploads is a plain file, and leaves that file as it is', async () => {
      image.root.writeFile('/workspace/.molecule/chat-uploads', 'the agent wrote this\n', agent);

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
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
      plantLink(image, '/etc', '/workspace/project/etc');
      plantLink(image, '/etc/shadow', '/workspace/project/shadow');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/workspace/project/README.md')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link to its owner, since the other name may be /etc/shadow', async () => {
      image.root.writeFile('/workspace/project/README.md', 'x\n');
      linkSync(image.root.at('/etc/shadow'), image.root.at('/workspace/project/shadow'));

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/workspace/project/README.md')).toMatchObject(agent);
      expect(run.stdout).toContain(
        '[entrypoint] not given to agent (more than one hard link): /workspace/project/shadow',
      );
    });
  });

  describe('/configs, given to agent recursively', () => {
    it('does not follow links inside it to /etc or /etc/shadow', async () => {
      image.root.writeFile('/configs/.auth_token', 'token\n', { mode: 0o600 });
      plantLink(image, '/etc', '/configs/etc');
      plantLink(image, '/etc/shadow', '/configs/shadow');

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/configs/.auth_token')).toMatchObject(agent);
    });

    it('leaves a file with a second hard link to its owner, so a hard link to /etc/shadow changes nothing', async () => {
      image.root.writeFile('/configs/.auth_token', 'token\n', { mode: 0o600 });
      linkSync(image.root.at('/etc/shadow'), image.root.at('/configs/shadow'));

      const run = await startLeavingEtcAlone(image);

      expectStartedAsAgent(image, run);
      expect(image.owner('/configs/.auth_token')).toMatchObject(agent);
    });

    it('shows control characters in the names of its files as ? in the banner', async () => {
      image.root.writeFile('/configs/a\u001b[2Jb\rc', 'x\n');

      const run = await image.start();

      expectStartedAsAgent(image, run);
      expect(run.stdout).toContain('files: a?[2Jb?c\n');
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stdout).not.toContain('\r');
    });
  });
});
