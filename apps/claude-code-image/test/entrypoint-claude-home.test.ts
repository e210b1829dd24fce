import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntrypointRoot } from '@image-layers/testing';
import { makeClaudeHomeRoot } from './claude-home-root';

const agent = { uid: 1000, gid: 1000 };
const sessionsLink = '/home/agent/.claude/sessions';
const sessionsVolume = '/root/.claude/sessions';

// Whether a path exists, the path itself: links inside the root hold absolute targets that only make sense
// inside it, so following one from the host (as existsSync does) would look at the host's own /root.
const present = (hostPath: string) => lstatSync(hostPath, { throwIfNoEntry: false }) !== undefined;

describe("the app's root hook: the agent CLI home, /home/agent/.claude", () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeClaudeHomeRoot();
  });
  afterEach(() => image.cleanup());

  /** Runs a command as uid 1000 inside the image's root, through the real gosu. */
  const asAgent = (...command: string[]) => image.root.run('/usr/sbin/gosu', ['agent', ...command]);

  it('creates session-env and gives the whole folder to agent, recursively', async () => {
    image.root.writeFile('/home/agent/.claude/projects/old.jsonl', '{}\n'); // root-owned, as a root run left it

    await image.start();

    expect(lstatSync(image.root.at('/home/agent/.claude/session-env')).isDirectory()).toBe(true);
    for (const path of [
      '/home/agent/.claude',
      '/home/agent/.claude/session-env',
      '/home/agent/.claude/projects/old.jsonl',
    ]) {
      const { uid, gid } = image.owner(path);
      expect({ uid, gid }, path).toEqual(agent);
    }
  });

  it('writes a settings.json stub with the default permission mode bypassPermissions when there is none', async () => {
    await image.start();

    const settings = JSON.parse(readFileSync(image.root.at('/home/agent/.claude/settings.json'), 'utf8'));
    expect(settings).toEqual({ permissions: { defaultMode: 'bypassPermissions' } });
    expect(image.owner('/home/agent/.claude/settings.json')).toMatchObject(agent);
  });

  it('never overwrites an existing settings.json', async () => {
    const own = '{"permissions":{"defaultMode":"default"},"model":"opus"}';
    image.root.writeFile('/home/agent/.claude/settings.json', own, agent);

    await image.start();

    expect(readFileSync(image.root.at('/home/agent/.claude/settings.json'), 'utf8')).toBe(own);
  });

  describe('the sessions volume mounted at /root/.claude/sessions', () => {
    beforeEach(() => {
      image.root.writeFile(`${sessionsVolume}/session-1.json`, '{}\n');
    });

    it('links /home/agent/.claude/sessions to it', async () => {
      await image.start();

      expect(lstatSync(image.root.at(sessionsLink)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(image.root.at(sessionsLink))).toBe(sessionsVolume);
    });

    it('makes /root traversable but not readable (0711), so uid 1000 can follow the link', async () => {
      await image.start();

      expect(image.owner('/root').mode).toBe(0o711);
      const listing = await asAgent('ls', '/root');
      expect(listing.exitCode).not.toBe(0);
    });

    it('lets agent list and write the sessions folder through the link, which it could not before the start', async () => {
      image.root.symlink(sessionsVolume, sessionsLink);
      const before = await asAgent('ls', `${sessionsLink}/`);
      expect(before.exitCode).not.toBe(0); // Debian's /root is 0700: the link alone does not help

      await image.start();

      const listing = await asAgent('ls', `${sessionsLink}/`);
      expect(listing.stdout).toBe('session-1.json\n');
      const write = await asAgent('touch', `${sessionsLink}/session-2.json`);
      expect(write.exitCode, write.stderr).toBe(0);
    });

    it('gives the sessions volume and the sessions in it to agent, so earlier sessions stay usable', async () => {
      await image.start();

      expect(image.owner(sessionsVolume)).toMatchObject({ uid: 1000, gid: 1000 });
      expect(image.owner(`${sessionsVolume}/session-1.json`)).toMatchObject({ uid: 1000, gid: 1000 });
    });

    it('replaces a link left by an earlier start instead of nesting a new one inside the volume', async () => {
      image.root.symlink(sessionsVolume, sessionsLink);

      await image.start();
      await image.start();

      expect(readlinkSync(image.root.at(sessionsLink))).toBe(sessionsVolume);
      expect(present(image.root.at(`${sessionsVolume}/sessions`))).toBe(false);
      expect(lstatSync(image.root.at(`${sessionsVolume}/session-1.json`)).isFile()).toBe(true);
    });

    it('replaces a real folder at /home/agent/.claude/sessions with the link', async () => {
      image.root.writeFile(`${sessionsLink}/stale.json`, '{}\n');

      await image.start();

      expect(readlinkSync(image.root.at(sessionsLink))).toBe(sessionsVolume);
      expect(present(image.root.at(`${sessionsVolume}/sessions`))).toBe(false);
    });
  });

  it('makes no sessions link and leaves /root at 0700 when no sessions volume is mounted', async () => {
    await image.start();

    expect(present(image.root.at(sessionsLink))).toBe(false);
    expect(image.owner('/root').mode).toBe(0o700);
  });
});
