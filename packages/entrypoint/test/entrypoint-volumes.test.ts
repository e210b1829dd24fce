import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

const agent = { uid: 1000, gid: 1000 };
const root = { uid: 0, gid: 0 };

describe('entrypoint.sh: volume ownership, fixed as root before the drop', () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeEntrypointRoot();
  });
  afterEach(() => image.cleanup());

  const ownerOf = (inside: string) => {
    const { uid, gid } = image.owner(inside);
    return { uid, gid };
  };

  describe('/configs', () => {
    it('gives /configs and everything in it to agent, so .auth_token stays agent-owned', async () => {
      image.root.writeFile('/configs/.auth_token', 'token\n', { mode: 0o600 });
      image.root.writeFile('/configs/nested/config.yaml', 'name: x\n');

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      for (const path of [
        '/configs',
        '/configs/.auth_token',
        '/configs/nested',
        '/configs/nested/config.yaml',
      ]) {
        expect(ownerOf(path), path).toEqual(agent);
      }
      expect(image.owner('/configs/.auth_token').mode).toBe(0o600);
    });

    it('starts without error when there is no /configs', async () => {
      rmSync(image.root.at('/configs'), { recursive: true });

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(image.record('runtime')).toContain('uid=1000');
      expect(run.stdout).toContain('[entrypoint] /configs <missing>');
    });
  });

  describe('/workspace', () => {
    it('gives the top folder of an empty workspace to agent', async () => {
      await image.start();

      expect(ownerOf('/workspace')).toEqual(agent);
    });

    it('leaves deeper files alone when the first entry is not root-owned (the fast path)', async () => {
      image.root.mkdir('/workspace/project', agent);
      image.root.writeFile('/workspace/project/deep/root-file', 'x\n'); // root-owned, below the first entry

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(ownerOf('/workspace')).toEqual(agent);
      expect(ownerOf('/workspace/project/deep/root-file')).toEqual(root);
      expect(ownerOf('/workspace/project/deep')).toEqual(root);
    });

    it('gives the whole tree to agent when the first entry is root-owned (the Docker Desktop on Windows case)', async () => {
      image.root.writeFile('/workspace/project/deep/root-file', 'x\n');

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      for (const path of [
        '/workspace/project',
        '/workspace/project/deep',
        '/workspace/project/deep/root-file',
      ]) {
        expect(ownerOf(path), path).toEqual(agent);
      }
    });

    it('creates .molecule/chat-uploads, both agent-owned, where attachments are uploaded', async () => {
      image.root.mkdir('/workspace/project', agent); // fast path: no recursive chown to lean on
      image.root.mkdir('/workspace/.molecule'); // left root-owned by an earlier image

      await image.start();

      expect(ownerOf('/workspace/.molecule')).toEqual(agent);
      expect(ownerOf('/workspace/.molecule/chat-uploads')).toEqual(agent);
    });
  });
});
