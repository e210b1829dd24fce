import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIds as agent,
  expectStartedAsAgent,
  plantLink,
  startLeavingEtcAlone,
  type EntrypointRoot,
} from '@image-layers/testing';
import { makeGitAuthRoot } from './git-auth-root';

describe("git-auth's root hook never follows a link the agent planted in /home/agent", () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeGitAuthRoot({ hostile: true });
  });
  afterEach(() => image.cleanup());

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

  it('starts although .gh-token-refresh.log is a link to /etc/shadow, which stays untouched', async () => {
    plantLink(image, '/etc/shadow', '/home/agent/.gh-token-refresh.log');

    const run = await startLeavingEtcAlone(image);

    expectStartedAsAgent(image, run);
  });
});

describe("git-auth's root hook: the token cache", () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeGitAuthRoot();
  });
  afterEach(() => image.cleanup());

  it('creates /home/agent/.molecule-token-cache, agent-owned, mode 700', async () => {
    await image.start();

    expect(image.owner('/home/agent/.molecule-token-cache')).toEqual({ ...agent, mode: 0o700 });
  });

  it('repairs a token cache that is root-owned and open to others', async () => {
    image.root.mkdir('/home/agent/.molecule-token-cache', { mode: 0o755 });

    await image.start();

    expect(image.owner('/home/agent/.molecule-token-cache')).toEqual({ ...agent, mode: 0o700 });
  });

  it('prints no GitHub token on either stream, also when gh fails', async () => {
    const run = await image.start([], {
      GITHUB_TOKEN: 'PLANTED-GITHUB-TOKEN-c0ffee',
      STANDIN_GH_EXIT: '1', // the failure notice is printed too, and must not carry the token either
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('gh')).toContain('args=auth login'); // the token really went through the hook
    expect(`${run.stdout}${run.stderr}`).not.toContain('c0ffee');
  });
});
