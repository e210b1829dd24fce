import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  layerFile,
  makeTempDir,
  requireTool,
  runScript,
  shellcheckFindings,
  startGitHttpServer,
  type GitHttpServer,
} from '@image-layers/testing';

const askpass = layerFile('git-auth', 'scripts/molecule-askpass');
const USERNAME = 'persona-bot';
const PASSWORD = 'planted-password-5c1e9b07';
const USERNAME_PROMPT = "Username for 'https://git.example.test': ";
const PASSWORD_PROMPT = "Password for 'https://persona-bot@git.example.test': ";

/** The platform names the host of these prompts; askpass-hosts.test.ts proves which hosts it answers for. */
const HOSTS = { MOLECULE_ASKPASS_HOSTS: 'git.example.test' };

/** Runs the helper as git does, and checks the two promises every answer keeps: exit 0, silent stderr. */
async function ask(prompt: string | undefined, env: Record<string, string> = {}): Promise<string> {
  const run = await runScript(askpass, prompt === undefined ? [] : [prompt], { env: { ...HOSTS, ...env } });
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout;
}

describe('molecule-askpass, the file', () => {
  it('is a POSIX sh script, executable, LF-only and clean under shellcheck', () => {
    const text = readFileSync(askpass, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).not.toContain('\r');
    expect(statSync(askpass).mode & 0o111).toBe(0o111);
    expect(shellcheckFindings(askpass)).toBe('');
  });

  it('names no host, URL or address but the loopback ones, so the same bytes work against any git host', () => {
    const loopback = "'127.0.0.1' | '[::1]' | 'localhost'";
    expect(readFileSync(askpass, 'utf8')).toContain(loopback);
    const text = readFileSync(askpass, 'utf8').replace(loopback, '');
    expect(text).not.toMatch(/\w:\/\/\w/);
    expect(text).not.toMatch(/\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/i);
    expect(text).not.toMatch(/\b\d{1,3}(?:\.\d{1,3}){3}\b/);
    expect(text).not.toMatch(/localhost|github|gitlab|bitbucket/i);
  });
});

describe('molecule-askpass answering one prompt', () => {
  const persona = { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: PASSWORD };
  const gitea = { GITEA_USER: 'gitea-bot', GITEA_TOKEN: 'gitea-token-0a9d' };

  it('answers a Username prompt with GIT_HTTP_USERNAME and a Password prompt with GIT_HTTP_PASSWORD', async () => {
    expect(await ask(USERNAME_PROMPT, { ...persona, ...gitea })).toBe(`${USERNAME}\n`);
    expect(await ask(PASSWORD_PROMPT, { ...persona, ...gitea })).toBe(`${PASSWORD}\n`);
  });

  it('falls back to GITEA_USER and GITEA_TOKEN when GIT_HTTP_* are unset', async () => {
    expect(await ask(USERNAME_PROMPT, gitea)).toBe('gitea-bot\n');
    expect(await ask(PASSWORD_PROMPT, gitea)).toBe('gitea-token-0a9d\n');
  });

  it('falls back to GITEA_USER and GITEA_TOKEN when GIT_HTTP_* are set but empty', async () => {
    const env = { GIT_HTTP_USERNAME: '', GIT_HTTP_PASSWORD: '', ...gitea };
    expect(await ask(USERNAME_PROMPT, env)).toBe('gitea-bot\n');
    expect(await ask(PASSWORD_PROMPT, env)).toBe('gitea-token-0a9d\n');
  });

  it('answers an empty line when no variable holds a value', async () => {
    expect(await ask(USERNAME_PROMPT)).toBe('\n');
    expect(await ask(PASSWORD_PROMPT, { GIT_HTTP_PASSWORD: '', GITEA_TOKEN: '' })).toBe('\n');
  });

  it.each([
    ['Are you sure you want to continue connecting (yes/no/[fingerprint])? '],
    ["Enter passphrase for key '/home/agent/.ssh/id_ed25519': "],
    ["username for 'https://git.example.test': "],
    [''],
  ])('answers an empty line to the unknown prompt %j, whatever the variables hold', async (prompt) => {
    expect(await ask(prompt, { ...persona, ...gitea })).toBe('\n');
  });

  it('answers an empty line when called without a prompt', async () => {
    expect(await ask(undefined, persona)).toBe('\n');
  });

  it('opens no socket and writes no file (every syscall traced with strace)', async () => {
    requireTool('strace');
    const temp = makeTempDir('askpass-strace-');
    try {
      const trace = join(temp.path, 'trace.txt');
      const run = await runScript(
        'strace',
        ['-f', '-qq', '-o', trace, '-e', 'trace=%network,%file', askpass, PASSWORD_PROMPT],
        { env: { ...HOSTS, ...persona } },
      );
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(`${PASSWORD}\n`);
      const calls = readFileSync(trace, 'utf8').split('\n');
      expect(calls.some((line) => line.includes('execve('))).toBe(true);
      expect(calls.filter((line) => /\b(socket|connect|sendto|bind)\(/.test(line))).toEqual([]);
      const writes = calls.filter(
        (line) =>
          /\b(open|openat|creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat)\(/.test(line) &&
          (/O_WRONLY|O_RDWR|O_CREAT/.test(line) || !/\bopen(at)?\(/.test(line)) &&
          !line.includes('"/dev/null"'),
      );
      expect(writes).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });
});

describe('git clone and push through molecule-askpass, against git http-backend behind HTTP Basic auth', () => {
  let server: GitHttpServer;
  let temp: { path: string; cleanup: () => void };
  let home: string;

  beforeAll(async () => {
    requireTool('git');
    server = await startGitHttpServer({ username: USERNAME, password: PASSWORD });
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    temp = makeTempDir('askpass-git-');
    home = join(temp.path, 'home');
    mkdirSync(home);
  });
  afterEach(() => temp.cleanup());

  /**
   * Runs git with no configuration but its own (a temp HOME, no system file: no credential helper of this
   * machine can answer instead of the script) and with terminal prompts off, so a failure cannot hang.
   */
  function git(args: string[], persona: Record<string, string | undefined>, cwd?: string) {
    return runScript('git', args, {
      cwd,
      timeoutMs: 20_000,
      env: {
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: askpass,
        GIT_AUTHOR_NAME: 'Agent',
        GIT_AUTHOR_EMAIL: 'agent@test.invalid',
        GIT_COMMITTER_NAME: 'Agent',
        GIT_COMMITTER_EMAIL: 'agent@test.invalid',
        // The platform names the git host the persona belongs to: here, the server on 127.0.0.1.
        MOLECULE_ASKPASS_HOSTS: server.url,
        ...persona,
      },
    });
  }

  async function cloneWith(persona: Record<string, string | undefined>) {
    const before = server.requests.length;
    const dest = join(temp.path, 'clone');
    const run = await git(['clone', server.repoUrl, dest], persona);
    return { run, dest, requests: server.requests.slice(before) };
  }

  it('clones with the right GIT_HTTP_USERNAME and GIT_HTTP_PASSWORD', async () => {
    const { run, dest, requests } = await cloneWith({
      GIT_HTTP_USERNAME: USERNAME,
      GIT_HTTP_PASSWORD: PASSWORD,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dest, 'README.md'), 'utf8')).toBe('seed commit\n');
    // The first request goes unauthenticated and is refused: the credentials came from the script.
    expect(requests[0]?.authorized).toBe(false);
    expect(requests.some((r) => r.authorized)).toBe(true);
  });

  it('clones with GITEA_USER and GITEA_TOKEN when GIT_HTTP_* are unset', async () => {
    const { run } = await cloneWith({ GITEA_USER: USERNAME, GITEA_TOKEN: PASSWORD });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('clones with GITEA_USER and GITEA_TOKEN when GIT_HTTP_* are set but empty', async () => {
    const { run } = await cloneWith({
      GIT_HTTP_USERNAME: '',
      GIT_HTTP_PASSWORD: '',
      GITEA_USER: USERNAME,
      GITEA_TOKEN: PASSWORD,
    });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it.each([
    ['a wrong password', { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: 'not-the-password' }],
    ['empty variables', { GIT_HTTP_USERNAME: '', GIT_HTTP_PASSWORD: '', GITEA_USER: '', GITEA_TOKEN: '' }],
    ['no variable at all', {}],
  ])('fails at once with "Authentication failed" given %s', async (_case, persona) => {
    const { run, requests } = await cloneWith(persona);
    expect(run.exitCode).toBe(128);
    expect(run.stderr).toContain('Authentication failed');
    // One request without credentials, one with the script's answer, refused: no retry, no other source.
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => !r.authorized)).toBe(true);
  });

  /** `git ls-remote <url>` with the right persona; returns the run and the server's requests it caused. */
  async function lsRemote(url: string, env: Record<string, string | undefined>, config: string[] = []) {
    const before = server.requests.length;
    const persona = { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: PASSWORD };
    const run = await git([...config, 'ls-remote', url], { ...persona, ...env });
    return { run, requests: server.requests.slice(before) };
  }

  it('hands nothing to a git server on 127.0.0.1 that no variable names: it fails with "Authentication failed"', async () => {
    const { run, requests } = await lsRemote(server.repoUrl, { MOLECULE_ASKPASS_HOSTS: undefined });
    expect(run.exitCode).toBe(128);
    expect(run.stderr).toContain('Authentication failed');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => !r.authorized)).toBe(true);
  });

  it('hands nothing to a configured host reached over plain http that is not loopback', async () => {
    // git resolves the name to this server itself (http.curloptResolve): a real plain-http remote by name.
    const port = new URL(server.url).port;
    const { run, requests } = await lsRemote(
      `http://gitea.example.test:${port}/repo.git`,
      { MOLECULE_ASKPASS_HOSTS: `gitea.example.test:${port}` },
      ['-c', `http.curloptResolve=gitea.example.test:${port}:127.0.0.1`],
    );
    expect(run.exitCode).toBe(128);
    expect(run.stderr).toContain('Authentication failed');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => !r.authorized)).toBe(true);
  });

  it('clones from the host of MOLECULE_GITEA_BASE_URL when MOLECULE_ASKPASS_HOSTS is unset', async () => {
    const { run, requests } = await cloneWith({
      GIT_HTTP_USERNAME: USERNAME,
      GIT_HTTP_PASSWORD: PASSWORD,
      MOLECULE_ASKPASS_HOSTS: undefined,
      MOLECULE_GITEA_BASE_URL: `${server.url}/`,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(requests.some((r) => r.authorized)).toBe(true);
  });

  it('pushes a commit with the right credentials', async () => {
    const persona = { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: PASSWORD };
    const { run, dest } = await cloneWith(persona);
    expect(run.exitCode, run.stderr).toBe(0);
    writeFileSync(join(dest, 'change.txt'), 'pushed through askpass\n');
    expect((await git(['add', 'change.txt'], persona, dest)).exitCode).toBe(0);
    expect((await git(['commit', '-m', 'pushed through askpass'], persona, dest)).exitCode).toBe(0);
    const push = await git(['push', 'origin', 'HEAD:main'], persona, dest);
    expect(push.exitCode, push.stderr).toBe(0);
    const log = await runScript('git', [
      '--git-dir',
      server.bareRepoPath,
      'log',
      '-1',
      '--format=%s',
      'main',
    ]);
    expect(log.stdout).toBe('pushed through askpass\n');
  });

  it('leaves the password in no file under the clone (its whole .git folder included) or the home folder', async () => {
    const persona = { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: PASSWORD };
    const { run, dest } = await cloneWith(persona);
    expect(run.exitCode, run.stderr).toBe(0);
    const fetch = await git(['fetch', 'origin'], persona, dest);
    expect(fetch.exitCode, fetch.stderr).toBe(0);
    expect(readdirSync(join(dest, '.git'))).toContain('config');
    // grep exits 1 for "no match" and 2 for an error, so only a real search of real files passes.
    const grep = await runScript('grep', ['-r', '-F', '-l', '--', PASSWORD, dest, home]);
    expect(grep.stdout).toBe('');
    expect(grep.exitCode).toBe(1);
  });
});
