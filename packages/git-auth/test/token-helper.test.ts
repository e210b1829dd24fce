import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shellcheckFindings, startHttpServer } from '@image-layers/testing';
import {
  answers,
  AUTH_TOKEN,
  BODY_SECRET,
  ENV_TOKEN,
  GIT_REQUEST,
  gitAnswer,
  helperScript,
  lines,
  plantCache,
  startHelperBench,
  TOKEN,
  type HelperBench,
} from './token-helper-fixture';

const nowSec = () => Math.floor(Date.now() / 1000);

describe('molecule-git-token-helper.sh, the file', () => {
  it('is a bash script, executable, LF-only and clean under shellcheck', () => {
    const text = readFileSync(helperScript, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).not.toContain('\r');
    expect(statSync(helperScript).mode & 0o111).toBe(0o111);
    expect(shellcheckFindings(helperScript)).toBe('');
  });
});

describe('molecule-git-token-helper.sh get', () => {
  let bench: HelperBench;
  beforeEach(async () => (bench = await startHelperBench()));
  afterEach(() => bench.close());

  it('answers git with x-access-token, the platform token and an empty line, and logs nothing', async () => {
    const run = await bench.run(['get'], { input: GIT_REQUEST });
    expect(run).toEqual({ exitCode: 0, stdout: gitAnswer(TOKEN), stderr: '' });
  });

  it('asks the admin endpoint with the trimmed .auth_token as Bearer and JSON accepted, once', async () => {
    await bench.run(['get'], { input: GIT_REQUEST });
    expect(bench.platform.requests).toHaveLength(1);
    const [request] = bench.platform.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/admin/github-installation-token');
    expect(request?.headers.authorization).toBe(`Bearer ${AUTH_TOKEN}`);
    expect(request?.headers.accept).toBe('application/json');
  });

  it("asks the workspace's endpoint when WORKSPACE_ID is set", async () => {
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { WORKSPACE_ID: 'ws-42' } });
    expect(run.stdout).toBe(gitAnswer(TOKEN));
    expect(bench.platform.requests.map((r) => r.url)).toEqual([
      '/workspaces/ws-42/github-installation-token',
    ]);
  });

  it("stops reading at the empty line that ends git's request, and also copes with none", async () => {
    const extra = await bench.run(['get'], { input: `${GIT_REQUEST}trailing=ignored\n` });
    expect(extra.stdout).toBe(gitAnswer(TOKEN));
    const eof = await bench.run(['get'], { input: 'protocol=https\nhost=github.com\n' });
    expect(eof.stdout).toBe(gitAnswer(TOKEN));
  });

  it('serves a second get from the cache without asking the platform', async () => {
    await bench.run(['get'], { input: GIT_REQUEST });
    bench.answerWith(answers.token('a-different-token'));
    const second = await bench.run(['get'], { input: GIT_REQUEST });
    expect(second).toEqual({ exitCode: 0, stdout: gitAnswer(TOKEN), stderr: '' });
    expect(bench.platform.requests).toHaveLength(1);
  });

  it('caches the token with an expiry 50 minutes ahead, in epoch seconds', async () => {
    const before = nowSec();
    await bench.run(['get'], { input: GIT_REQUEST });
    const after = nowSec();
    expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
    const expiry = Number(readFileSync(join(bench.cacheDir, 'expiry'), 'utf8').trim());
    expect(expiry).toBeGreaterThanOrEqual(before + 3000);
    expect(expiry).toBeLessThanOrEqual(after + 3000);
  });

  it('answers from a fresh cache even when the platform is unreachable', async () => {
    plantCache(bench, 'cached-token-1\n');
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { PLATFORM_URL: 'http://127.0.0.1:1' } });
    expect(run).toEqual({ exitCode: 0, stdout: gitAnswer('cached-token-1'), stderr: '' });
  });

  it('replaces an expired cached token with a new one from the platform', async () => {
    const cache = plantCache(bench, 'expired-token\n');
    writeFileSync(cache.expiry, `${nowSec() - 1}\n`);
    const run = await bench.run(['get'], { input: GIT_REQUEST });
    expect(run.stdout).toBe(gitAnswer(TOKEN));
    expect(bench.platform.requests).toHaveLength(1);
    expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
  });
});

describe('molecule-git-token-helper.sh get when the platform fails', () => {
  let bench: HelperBench;
  beforeEach(async () => (bench = await startHelperBench()));
  afterEach(() => bench.close());

  /** A failing platform must lead to GITHUB_TOKEN, with one line saying why and one naming the variable. */
  async function expectEnvFallback(reason: RegExp, options: { env?: Record<string, string> } = {}) {
    const run = await bench.run(['get'], {
      input: GIT_REQUEST,
      env: { GITHUB_TOKEN: ENV_TOKEN, ...options.env },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
    const stderr = lines(run.stderr);
    expect(stderr).toHaveLength(2);
    expect(stderr[0]).toMatch(reason);
    expect(stderr[1]).toMatch(/GITHUB_TOKEN/);
    // A fallback token is not the platform's: it is never cached.
    expect(existsSync(join(bench.cacheDir, 'token'))).toBe(false);
    return run;
  }

  it.each([401, 403, 500, 502])(
    'falls through to GITHUB_TOKEN on HTTP %i, naming the status',
    async (status) => {
      bench.answerWith(answers.json(status, { error: BODY_SECRET, token: BODY_SECRET }));
      await expectEnvFallback(new RegExp(`HTTP ${status}`));
    },
  );

  it.each([
    ['JSON without a token', JSON.stringify({ expires_at: '2099-01-01T00:00:00Z', note: BODY_SECRET })],
    ['a null token', JSON.stringify({ token: null, note: BODY_SECRET })],
    ['an empty token', JSON.stringify({ token: '', note: BODY_SECRET })],
    ['a token with a line break', JSON.stringify({ token: `${BODY_SECRET}\npassword=x` })],
    ['a body that is not JSON', `<html>${BODY_SECRET}</html>`],
    ['a JSON array', JSON.stringify([BODY_SECRET])],
  ])('falls through to GITHUB_TOKEN on an answer with %s', async (_case, body) => {
    bench.answerWith(answers.raw(200, body));
    await expectEnvFallback(/no usable token/);
  });

  it('gives up on a platform that does not answer within 10 s and falls through', async () => {
    bench.answerWith(answers.stall());
    await expectEnvFallback(/did not answer within 10s/);
  }, 40_000);

  it('falls through when the platform is unreachable (a closed port)', async () => {
    const closed = await startHttpServer(() => undefined);
    await closed.close();
    await expectEnvFallback(/unreachable/, { env: { PLATFORM_URL: closed.url } });
  });

  it('does not ask the platform without .auth_token, and says the file is missing', async () => {
    await expectEnvFallback(/\.auth_token is missing/, {
      env: { CONFIGS_DIR: join(bench.home, 'no-configs') },
    });
    expect(bench.platform.requests).toHaveLength(0);
  });

  it('does not ask the platform when .auth_token holds only whitespace, and says it is empty', async () => {
    bench.writeAuthToken(' \n\t\n');
    await expectEnvFallback(/\.auth_token is empty/);
    expect(bench.platform.requests).toHaveLength(0);
  });

  it('uses GH_TOKEN when GITHUB_TOKEN is unset or empty, and prefers GITHUB_TOKEN over it', async () => {
    bench.answerWith(answers.json(500, {}));
    for (const env of [{ GH_TOKEN: ENV_TOKEN }, { GITHUB_TOKEN: '', GH_TOKEN: ENV_TOKEN }]) {
      const run = await bench.run(['get'], { input: GIT_REQUEST, env });
      expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
      expect(lines(run.stderr)[1]).toMatch(/GH_TOKEN/);
    }
    const both = await bench.run(['get'], {
      input: GIT_REQUEST,
      env: { GITHUB_TOKEN: ENV_TOKEN, GH_TOKEN: 'the-other-one' },
    });
    expect(both.stdout).toBe(gitAnswer(ENV_TOKEN));
  });

  it('exits 1 with nothing on standard output when no source has a token, so git tries its next helper', async () => {
    bench.answerWith(answers.json(401, { error: BODY_SECRET }));
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { GITHUB_TOKEN: '', GH_TOKEN: '' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/HTTP 401/);
    expect(run.stderr).toMatch(/no token/);
  });

  it('asks http://host.docker.internal:8080 when PLATFORM_URL is unset', async () => {
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { PLATFORM_URL: undefined } });
    expect(lines(run.stderr)[0]).toContain(
      ': http://host.docker.internal:8080/admin/github-installation-token',
    );
  });

  it('reads /configs/.auth_token when CONFIGS_DIR is unset', async () => {
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { CONFIGS_DIR: undefined } });
    expect(run.stderr).toContain('/configs/.auth_token');
  });
});
