import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { requireTool, type EntrypointRoot } from '@image-layers/testing';
import { makeGitAuthRoot } from './git-auth-root';

const helper = '/app/scripts/molecule-git-token-helper.sh';

describe("git-auth's entrypoint hooks: git and gh credentials", () => {
  let image: EntrypointRoot;
  afterEach(() => image.cleanup());

  /** Every credential.* entry of a git config file inside the root, read by the real git. */
  const credentialEntries = (inside: string) =>
    execFileSync(
      requireTool('git'),
      ['config', '--file', image.root.at(inside), '--get-regexp', '^credential\\.'],
      {
        encoding: 'utf8',
      },
    );

  const githubOnly = `credential.https://github.com.helper ${helper}\ncredential.https://github.com.usehttppath true\n`;

  describe('the git credential helper', () => {
    it("configures it for https://github.com only, with useHttpPath, in root's global config", async () => {
      image = makeGitAuthRoot({ tokenHelper: 'executable' });

      await image.start();

      expect(credentialEntries('/root/.gitconfig')).toBe(githubOnly);
    });

    it('copies that config to /home/agent/.gitconfig, owned by agent', async () => {
      image = makeGitAuthRoot({ tokenHelper: 'executable' });

      await image.start();

      expect(credentialEntries('/home/agent/.gitconfig')).toBe(githubOnly);
      expect(image.owner('/home/agent/.gitconfig')).toMatchObject({ uid: 1000, gid: 1000 });
    });

    it('keeps a single helper entry over repeated starts', async () => {
      image = makeGitAuthRoot({ tokenHelper: 'executable' });

      await image.start();
      await image.start();

      expect(credentialEntries('/home/agent/.gitconfig')).toBe(githubOnly);
    });

    it('configures nothing when the helper is not executable', async () => {
      image = makeGitAuthRoot({ tokenHelper: 'not-executable' });

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(existsSync(image.root.at('/root/.gitconfig'))).toBe(false);
      expect(existsSync(image.root.at('/home/agent/.gitconfig'))).toBe(false);
    });

    it('configures nothing when the helper is absent', async () => {
      image = makeGitAuthRoot({ tokenHelper: 'absent' });

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(existsSync(image.root.at('/home/agent/.gitconfig'))).toBe(false);
    });
  });

  describe('priming the gh CLI', () => {
    const login = 'uid=1000 home=/home/agent args=auth login --hostname github.com --with-token\n';

    it('logs gh in as agent with GITHUB_TOKEN on standard input, never as an argument', async () => {
      image = makeGitAuthRoot();

      await image.start([], { GITHUB_TOKEN: 'ghs_from_github_token' });

      expect(image.record('gh')).toBe(login);
      expect(image.record('gh.stdin')).toBe('ghs_from_github_token\n');
    });

    it('prefers GITHUB_TOKEN over GH_TOKEN', async () => {
      image = makeGitAuthRoot();

      await image.start([], { GITHUB_TOKEN: 'ghs_first', GH_TOKEN: 'ghs_second' });

      expect(image.record('gh.stdin')).toBe('ghs_first\n');
    });

    it('falls back to GH_TOKEN when GITHUB_TOKEN is unset or empty', async () => {
      image = makeGitAuthRoot();

      await image.start([], { GH_TOKEN: 'ghs_from_gh_token' });
      await image.start([], { GITHUB_TOKEN: '', GH_TOKEN: 'ghs_again' });

      expect(image.record('gh')).toBe(login + login);
      expect(image.record('gh.stdin')).toBe('ghs_from_gh_token\nghs_again\n');
    });

    it('does not call gh when neither token is set', async () => {
      image = makeGitAuthRoot();

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(image.record('gh')).toBeUndefined();
    });

    it('still starts the runtime, with its exit code, when gh fails', async () => {
      image = makeGitAuthRoot();

      const run = await image.start([], {
        GITHUB_TOKEN: 'ghs_rejected',
        STANDIN_GH_EXIT: '1',
        STANDIN_RUNTIME_EXIT: '5',
      });

      expect(image.record('gh')).toBe(login);
      expect(image.record('runtime')).toContain('uid=1000');
      expect(run.exitCode).toBe(5);
      expect(run.stdout).toContain('gh auth login failed; continuing');
    });

    it('gives gh 20 s: a GitHub that never answers does not hold the runtime back', async () => {
      image = makeGitAuthRoot();

      const run = await image.start([], { GITHUB_TOKEN: 'ghs_slow', STANDIN_GH_HANG: '1' });

      expect(image.record('runtime')).toContain('uid=1000');
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toContain('gh auth login failed; continuing');
    }, 60_000);
  });
});
