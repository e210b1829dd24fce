import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appDir, makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

// The app's two hooks run by the real entrypoint of the entrypoint layer, with the real sh, gosu and chown, in a
// chroot (@image-layers/testing's makeEntrypointRoot), with this image's entrypoint options (the secrets loader on).

const hooks = {
  '/entrypoint.d/root/50-codex-home.sh': join(
    appDir('codex-image'),
    'files/entrypoint.d/root/50-codex-home.sh',
  ),
  '/entrypoint.d/agent/50-codex-auth.sh': join(
    appDir('codex-image'),
    'files/entrypoint.d/agent/50-codex-auth.sh',
  ),
};
// The CLI the agent hook checks for (agent-cli installs the real one; it needs no account to print its version).
const codexStandIn = { '/opt/stand-ins/bin/codex': '#!/bin/sh\necho "codex-cli 0.130.0"\n' };
const agent = { uid: 1000, gid: 1000 };
const SECRET = 'subscription-secret-5f1d';
// What the platform's secrets loader exports: a multi-line JSON blob, as codex's auth.json is.
const authJson = `{"auth_mode": "chatgpt",\n "tokens": {"access_token": "${SECRET}"}}`;
const loader = (name: string, value: string) => `${name}='${value}'\nexport ${name}\n`;

let image: EntrypointRoot | undefined;
afterEach(() => image?.cleanup());

function make(options: { codex?: boolean } = {}): EntrypointRoot {
  image = makeEntrypointRoot({
    hooks,
    files: options.codex === false ? {} : codexStandIn,
    options: { SECRETS_LOADER: true },
  });
  return image;
}

describe("the root hook: the CLI's home, /home/agent/.codex", () => {
  it('makes ~/.codex and its sessions folder agent-owned, and gives what a root run left inside to agent', async () => {
    const root = make();
    root.root.writeFile('/home/agent/.codex/sessions/old.jsonl', '{}\n');

    const run = await root.start();

    expect(run.exitCode, run.stderr).toBe(0);
    for (const path of [
      '/home/agent/.codex',
      '/home/agent/.codex/sessions',
      '/home/agent/.codex/sessions/old.jsonl',
    ]) {
      const { uid, gid } = root.owner(path);
      expect({ uid, gid }, path).toEqual(agent);
    }
    expect(root.record('runtime')).toMatch(/^uid=1000 gid=1000/);
  });

  it('replaces a link the agent left at ~/.codex with a folder, never giving its target away', async () => {
    const root = make();
    root.root.symlink('/etc', '/home/agent/.codex');

    const run = await root.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(lstatSync(root.root.at('/home/agent/.codex')).isDirectory()).toBe(true);
    expect(root.owner('/etc')).toMatchObject({ uid: 0, gid: 0 });
    expect(run.stdout).toContain('replaced the link /home/agent/.codex -> /etc with a folder');
  });
});

describe('the agent hook: the CLI checked, the subscription sign-in written', () => {
  it('writes CODEX_AUTH_JSON from the secrets loader to ~/.codex/auth.json, 0600, byte for byte, and never logs it', async () => {
    const root = make();
    root.root.writeFile('/configs/secrets.d/load.sh', loader('CODEX_AUTH_JSON', authJson));

    const run = await root.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(root.root.at('/home/agent/.codex/auth.json'), 'utf8')).toBe(authJson);
    expect(root.owner('/home/agent/.codex/auth.json')).toEqual({ ...agent, mode: 0o600 });
    expect(readFileSync(root.root.at('/home/agent/.codex/config.toml'), 'utf8')).toBe(
      'cli_auth_credentials_store = "file"\nforced_login_method = "chatgpt"\n',
    );
    expect(run.stdout).toContain('[codex] codex installed: codex-cli 0.130.0');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(root.record('runtime')).toMatch(/^uid=1000 gid=1000/);
  });

  it('on the next start replaces auth.json and leaves the config keys once, an operator value kept', async () => {
    const root = make();
    root.root.writeFile('/home/agent/.codex/config.toml', 'forced_login_method = "api"\n', agent);
    root.root.writeFile('/home/agent/.codex/auth.json', '{"stale": true}', { ...agent, mode: 0o644 });
    root.root.writeFile('/configs/secrets.d/load.sh', loader('CODEX_AUTH_JSON', authJson));

    expect((await root.start()).exitCode).toBe(0);
    expect((await root.start()).exitCode).toBe(0);

    expect(readFileSync(root.root.at('/home/agent/.codex/auth.json'), 'utf8')).toBe(authJson);
    expect(root.owner('/home/agent/.codex/auth.json').mode).toBe(0o600);
    expect(readFileSync(root.root.at('/home/agent/.codex/config.toml'), 'utf8')).toBe(
      'forced_login_method = "api"\ncli_auth_credentials_store = "file"\n',
    );
  });

  it('takes the older name CODEX_CHATGPT_AUTH_JSON when CODEX_AUTH_JSON is unset, and CODEX_AUTH_JSON over it', async () => {
    const root = make();
    const both = loader('CODEX_CHATGPT_AUTH_JSON', '{"alias": 1}');
    root.root.writeFile('/configs/secrets.d/load.sh', both);
    expect((await root.start()).exitCode).toBe(0);
    expect(readFileSync(root.root.at('/home/agent/.codex/auth.json'), 'utf8')).toBe('{"alias": 1}');

    root.root.writeFile('/configs/secrets.d/load.sh', both + loader('CODEX_AUTH_JSON', authJson), agent);
    expect((await root.start()).exitCode).toBe(0);
    expect(readFileSync(root.root.at('/home/agent/.codex/auth.json'), 'utf8')).toBe(authJson);
  });

  it('without any credential writes no auth.json and warns, naming what to set; with OPENAI_API_KEY it is quiet', async () => {
    const root = make();

    const bare = await root.start();
    expect(bare.exitCode, bare.stderr).toBe(0);
    expect(
      lstatSync(root.root.at('/home/agent/.codex/auth.json'), { throwIfNoEntry: false }),
    ).toBeUndefined();
    expect(bare.stderr).toContain(
      '[codex] WARN: no OPENAI_API_KEY, MINIMAX_API_KEY, nor /home/agent/.codex/auth.json',
    );

    const keyed = await root.start([], { OPENAI_API_KEY: 'sk-test' });
    expect(keyed.exitCode).toBe(0);
    expect(keyed.stderr).not.toContain('[codex] WARN');
  });

  it('stops the start, saying what to do, when ~/.codex is a file the agent left, which the root hook leaves alone', async () => {
    const root = make();
    root.root.writeFile('/home/agent/.codex', 'not a folder\n', agent);

    const run = await root.start();

    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('/home/agent/.codex is not a folder; left as it is');
    expect(run.stderr).toContain('[codex] /home/agent/.codex is not a folder agent can write');
    expect(readFileSync(root.root.at('/home/agent/.codex'), 'utf8')).toBe('not a folder\n');
    expect(root.record('runtime')).toBeUndefined();
  });

  it('stops the start when codex is not on PATH, saying so, and never runs the runtime', async () => {
    const root = make({ codex: false });

    const run = await root.start();

    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('[codex] codex is not on PATH');
    expect(root.record('runtime')).toBeUndefined();
  });
});
