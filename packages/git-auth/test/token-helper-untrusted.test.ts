// What the token helper refuses: an answer too large to hold, a token git or an HTTP header cannot carry
// (from the platform, the cache or the environment), and a cache that is not ours and private. Each case
// falls through to the next source, as the contract says, with one line saying why.
import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  answers,
  AUTH_TOKEN,
  ENV_TOKEN,
  GIT_REQUEST,
  gitAnswer,
  lines,
  plantCache,
  startHelperBench,
  TOKEN,
  type HelperBench,
} from './token-helper-fixture';

const PLANTED = 'planted-cache-token-61c0';
const MAX_ANSWER_BYTES = 64 * 1024;
const modeOf = (path: string) => statSync(path).mode & 0o777;

let bench: HelperBench;
beforeEach(async () => (bench = await startHelperBench()));
afterEach(() => bench.close());

/** A get with GITHUB_TOKEN set; the planted cache token never reaches git or a log. */
async function get(env: Record<string, string | undefined> = {}) {
  const run = await bench.run(['get'], { input: GIT_REQUEST, env: { GITHUB_TOKEN: ENV_TOKEN, ...env } });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).not.toContain(PLANTED);
  expect(run.stderr).not.toContain(PLANTED);
  return run;
}

/** Chowning to another uid needs root; without it the test fails saying so, never skips. */
function requireRoot() {
  if (process.getuid?.() !== 0)
    throw new Error('this test gives a file to another uid (chown): run the tests as root.');
}
const OTHER_UID = 4242;

describe('molecule-git-token-helper.sh bounds the platform answer', () => {
  it.each([
    ['a 1 MiB answer with a Content-Length', answers.huge(1024 * 1024, { chunked: false })],
    ['a 1 MiB answer sent chunked', answers.huge(1024 * 1024, { chunked: true })],
    ['an endless chunked answer', answers.huge(Infinity, { chunked: true })],
  ])('refuses %s, larger than 64 KiB, and falls through to GITHUB_TOKEN', async (_case, answer) => {
    bench.answerWith(answer);
    const run = await get();
    expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/platform answer is larger than 65536 bytes; ignored: http:/),
      expect.stringMatching(/using GITHUB_TOKEN/),
    ]);
    expect(existsSync(join(bench.cacheDir, 'token'))).toBe(false);
  });

  it('accepts an answer just under the limit', async () => {
    bench.answerWith(answers.huge(MAX_ANSWER_BYTES - 100, { chunked: true }));
    expect(await get()).toEqual({ exitCode: 0, stdout: gitAnswer(TOKEN), stderr: '' });
  });
});

/** Tokens no git answer, HTTP header or file line can carry as they are. */
const badTokens: [string, string][] = [
  ['a NUL character', 'ghs_a\u0000b'],
  ['a lone surrogate', 'ghs_a\ud800b'],
  ['an escape sequence', 'ghs_a\u001b[31mb'],
  ['a line break forging a line for git', 'ghs_a\npassword=forged'],
  ['a carriage return', 'ghs_a\rb'],
  ['a DEL character', 'ghs_a\u007fb'],
  ['a blank', 'ghs_a b'],
  ['a non-ASCII letter', 'ghs_tökén'],
];

describe('molecule-git-token-helper.sh refuses a token holding anything but printable ASCII', () => {
  it.each(badTokens)(
    'refuses a platform token holding %s, and falls through to GITHUB_TOKEN',
    async (_case, token) => {
      bench.answerWith(answers.json(200, { token, expires_at: '2099-01-01T00:00:00Z' }));
      const run = await get();
      expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/platform answer \(HTTP 200\) holds no usable token/),
        expect.stringMatching(/using GITHUB_TOKEN/),
      ]);
      expect(existsSync(join(bench.cacheDir, 'token'))).toBe(false);
    },
  );

  it.each([
    ['after the JSON document', `{"token":"${TOKEN}"}\u0000`],
    ['inside the token', `{"token":"${TOKEN}\u0000x"}`],
  ])('refuses a platform answer with a raw NUL byte %s', async (_case, body) => {
    bench.answerWith(answers.raw(200, body));
    const run = await get();
    expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
    expect(lines(run.stderr)[0]).toMatch(/holds no usable token/);
    expect(lines(run.stderr)).toHaveLength(2);
  });

  it.each(badTokens)(
    'ignores a cached token holding %s, saying so, and replaces it with the platform token',
    async (_case, token) => {
      plantCache(bench, Buffer.from(`${token}\n`));
      const run = await get();
      expect(run.stdout).toBe(gitAnswer(TOKEN));
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/ignoring the cached token: it holds characters other than printable ASCII/),
      ]);
      expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
    },
  );

  it.each(badTokens.filter(([, token]) => !token.includes('\u0000')))(
    'ignores GITHUB_TOKEN holding %s, saying so, and uses GH_TOKEN',
    async (_case, token) => {
      bench.answerWith(answers.json(500, {}));
      const run = await get({ GITHUB_TOKEN: token, GH_TOKEN: ENV_TOKEN });
      expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
      expect(run.stderr).not.toContain(token);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/HTTP 500/),
        expect.stringMatching(/ignoring GITHUB_TOKEN: it holds characters other than printable ASCII/),
        expect.stringMatching(/using GH_TOKEN/),
      ]);
    },
  );

  it('exits 1 when the only environment token is unusable, so git tries its next helper', async () => {
    bench.answerWith(answers.json(500, {}));
    const run = await bench.run(['get'], { input: GIT_REQUEST, env: { GH_TOKEN: 'ghs_a\npassword=x' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/ignoring GH_TOKEN/);
  });
});

describe('molecule-git-token-helper.sh checks its platform credential', () => {
  it.each([
    ['a line break inside, which would add a request header', `${AUTH_TOKEN}\nX-Injected: 1\n`],
    ['a NUL byte', `${AUTH_TOKEN}\u0000x\n`],
    ['a non-ASCII letter', `${AUTH_TOKEN}é\n`],
  ])('does not ask the platform when .auth_token holds %s', async (_case, content) => {
    bench.writeAuthToken(content);
    const run = await get();
    expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
    expect(bench.platform.requests).toHaveLength(0);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/no platform credential: .*\.auth_token holds /),
      expect.stringMatching(/using GITHUB_TOKEN/),
    ]);
  });

  it('does not wait on a FIFO planted as .auth_token (reading it would block forever)', async () => {
    rmSync(join(bench.configs, '.auth_token'), { force: true });
    execFileSync('mkfifo', [join(bench.configs, '.auth_token')]);
    const run = await get();
    expect(run.stdout).toBe(gitAnswer(ENV_TOKEN));
    expect(bench.platform.requests).toHaveLength(0);
    expect(lines(run.stderr)[0]).toMatch(
      /no platform credential: .*\.auth_token is missing, unreadable or not a regular file/,
    );
  });
});

describe('molecule-git-token-helper.sh trusts a cache only when it is ours and private', () => {
  /** The planted cache was ignored: one line saying why, the platform asked, its token served. */
  async function expectIgnored(reason: RegExp) {
    const run = await get();
    expect(run.stdout).toBe(gitAnswer(TOKEN));
    expect(lines(run.stderr)[0]).toMatch(/ignoring the token cache: /);
    expect(lines(run.stderr)[0]).toMatch(reason);
    expect(bench.platform.requests).toHaveLength(1);
    return run;
  }

  it('ignores a cache folder another uid owns, and writes nothing into it', async () => {
    requireRoot();
    const cache = plantCache(bench, `${PLANTED}\n`);
    for (const path of [bench.cacheDir, cache.token, cache.expiry]) chownSync(path, OTHER_UID, OTHER_UID);
    const run = await expectIgnored(new RegExp(`belongs to uid ${OTHER_UID}, not `));
    expect(lines(run.stderr)[1]).toMatch(/warning: not writing the token cache: .* belongs to uid 4242/);
    expect(readFileSync(cache.token, 'utf8')).toBe(`${PLANTED}\n`);
    expect(statSync(cache.token).uid).toBe(OTHER_UID);
  });

  it('ignores a token file another uid owns in our folder, and replaces it', async () => {
    requireRoot();
    const cache = plantCache(bench, `${PLANTED}\n`);
    chownSync(cache.token, OTHER_UID, OTHER_UID);
    await expectIgnored(/token belongs to uid 4242/);
    expect(readFileSync(cache.token, 'utf8')).toBe(`${TOKEN}\n`);
    expect(statSync(cache.token).uid).toBe(process.getuid?.());
  });

  it.each([
    ['a folder open to everyone (0777)', { dirMode: 0o777 }, /cache has mode 777/],
    ['a folder its group can write (0770)', { dirMode: 0o770 }, /cache has mode 770/],
    ['a folder others can enter (0701)', { dirMode: 0o701 }, /cache has mode 701/],
    ['a token others can read (0644)', { fileMode: 0o644 }, /token has mode 644/],
    ['a token its group can write (0620)', { fileMode: 0o620 }, /token has mode 620/],
  ])('ignores a cache with %s, and rewrites it private', async (_case, modes, reason) => {
    plantCache(bench, `${PLANTED}\n`, modes);
    const run = await expectIgnored(reason);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(modeOf(bench.cacheDir)).toBe(0o700);
    for (const name of ['token', 'expiry']) expect(modeOf(join(bench.cacheDir, name))).toBe(0o600);
    expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('never reads through a symbolic link at the token path, and replaces the link, not its target', async () => {
    const cache = plantCache(bench, 'unused\n');
    const target = join(bench.home, 'elsewhere');
    writeFileSync(target, `${PLANTED}\n`, { mode: 0o600 });
    rmSync(cache.token);
    symlinkSync(target, cache.token);
    await expectIgnored(/token is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe(`${PLANTED}\n`);
    expect(lstatSync(cache.token).isFile()).toBe(true);
    expect(readFileSync(cache.token, 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('ignores a cache folder that is a symbolic link, and writes nothing through it', async () => {
    const real = join(bench.home, 'real-cache');
    mkdirSync(real, { mode: 0o700 });
    writeFileSync(join(real, 'token'), `${PLANTED}\n`, { mode: 0o600 });
    writeFileSync(join(real, 'expiry'), `${Math.floor(Date.now() / 1000) + 600}\n`, { mode: 0o600 });
    symlinkSync(real, bench.cacheDir);
    const run = await expectIgnored(/molecule-token-cache is a symbolic link/);
    expect(lines(run.stderr)[1]).toMatch(/warning: not writing the token cache: .* is a symbolic link/);
    expect(readFileSync(join(real, 'token'), 'utf8')).toBe(`${PLANTED}\n`);
  });

  it('ignores a token path that is not a regular file', async () => {
    const cache = plantCache(bench, 'unused\n');
    rmSync(cache.token);
    mkdirSync(cache.token, { mode: 0o700 });
    await expectIgnored(/token is not a regular file/);
  });
});
