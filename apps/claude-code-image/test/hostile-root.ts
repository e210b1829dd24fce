import { createHash } from 'node:crypto';
import { lchownSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScriptRun } from '@image-layers/testing';
import { makeImageRoot, type ImageRoot } from './image-root';

// The agent (uid 1000) writes /workspace, /home/agent and, once given them, /configs and the sessions volume;
// all of them outlive the container. So before any start it may have left links there, aimed at files only root
// may change. The hostile-* tests plant them as the agent would (agent-owned links), start the real entrypoint
// as root with the real gosu and chown, and check that root changed nothing outside the agent's own paths.

export const agent = { uid: 1000, gid: 1000 };

/**
 * The image's root with the tier-4 layer's sudoers drop-in in place: /etc/sudoers.d and its file are what
 * would hand out root if the agent could own or write them.
 */
export function makeHostileImageRoot(): ImageRoot {
  const image = makeImageRoot();
  image.root.writeFile('/etc/sudoers.d/agent-t4', 'agent ALL=(ALL) NOPASSWD:ALL\n', { mode: 0o440 });
  return image;
}

/**
 * Every entry under a folder inside the root, each with its type, owner, mode and content (a digest) or link
 * target: two pictures are equal only when nothing in the tree was created, removed or changed.
 */
export function picture(image: ImageRoot, inside: string): Record<string, string> {
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
}

/** Plants a symbolic link as the agent makes one: the link itself owned by uid 1000. */
export function plantLink(image: ImageRoot, target: string, inside: string): void {
  image.root.symlink(target, inside);
  lchownSync(image.root.at(inside), agent.uid, agent.gid);
}

/** Starts the entrypoint and checks that /etc, every file and folder in it, is exactly as before. */
export async function startLeavingEtcAlone(image: ImageRoot): Promise<ScriptRun> {
  const etc = picture(image, '/etc');
  const run = await image.start();
  expect(picture(image, '/etc')).toEqual(etc);
  return run;
}

/** The start went all the way: exit 0, and molecule-runtime ran as agent. */
export function expectStartedAsAgent(image: ImageRoot, run: ScriptRun): void {
  expect(run.exitCode, run.stderr).toBe(0);
  expect(image.record('runtime')).toMatch(/^uid=1000 gid=1000 /m);
}

/** A real folder (not a link to one) owned by agent. */
export function expectAgentFolder(image: ImageRoot, inside: string): void {
  const stats = lstatSync(image.root.at(inside));
  expect(stats.isDirectory(), `${inside} is a real folder`).toBe(true);
  expect({ uid: stats.uid, gid: stats.gid }, inside).toEqual(agent);
}
