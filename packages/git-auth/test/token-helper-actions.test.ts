import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireTool, runScript, startBackgroundProcess } from '@image-layers/testing';
import {
  answers,
  ENV_TOKEN,
  GIT_REQUEST,
  gitAnswer,
  helperScript,
  lines,
  plantCache,
  startHelperBench,
  TOKEN,
  writeStandIn,
  type HelperBench,
} from './token-helper-fixture';

const modeOf = (path: string) => statSync(path).mode & 0o777;

let bench: HelperBench;
beforeEach(async () => (bench = await startHelperBench()));
afterEach(() => bench.close());

describe('molecule-git-token-helper.sh and git', () => {
  it("answers as soon as git's request ends with an empty line, without waiting for the end of input", async () => {
    const helper = startBackgroundProcess(helperScript, ['get'], {
      env: { HOME: bench.home, PLATFORM_URL: bench.platform.url, CONFIGS_DIR: bench.configs },
    });
    try {
      helper.write(GIT_REQUEST);
      expect(await helper.exited(15_000)).toEqual({ exitCode: 0, signal: null });
      expect(helper.stdout()).toBe(gitAnswer(TOKEN));
      expect(helper.stderr()).toBe('');
    } finally {
      await helper.stop();
    }
  });

  it('is used by real `git credential fill`, and a failure hands over to the next configured helper', async () => {
    requireTool('git');
    const fill = () =>
      runScript(
        'git',
        [
          '-c',
          `credential.helper=${helperScript}`,
          '-c',
          'credential.helper=!f() { echo username=next; echo password=next-helper; }; f',
          'credential',
          'fill',
        ],
        {
          input: 'protocol=https\nhost=github.com\n\n',
          env: {
            HOME: bench.home,
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_TERMINAL_PROMPT: '0',
            PLATFORM_URL: bench.platform.url,
            CONFIGS_DIR: bench.configs,
          },
        },
      );
    const served = await fill();
    expect(served.exitCode, served.stderr).toBe(0);
    expect(served.stdout).toBe(
      `protocol=https\nhost=github.com\nusername=x-access-token\npassword=${TOKEN}\n`,
    );

    bench.answerWith(answers.json(500, {}));
    await bench.run(['_invalidate_cache']);
    const handedOver = await fill();
    expect(handedOver.stderr).toMatch(/molecule-git-token-helper: .*HTTP 500/);
    expect(handedOver.stdout).toContain('password=next-helper\n');
    expect(handedOver.stdout).not.toContain('x-access-token');
  });
});

describe('molecule-git-token-helper.sh actions besides get', () => {
  it.each(['store', 'erase'])('%s does nothing, silently, and succeeds', async (action) => {
    const run = await bench.run([action], { input: `${GIT_REQUEST.trim()}\nusername=x\npassword=y\n\n` });
    expect(run).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(bench.platform.requests).toHaveLength(0);
    expect(existsSync(bench.cacheDir)).toBe(false);
  });

  it('_fetch_token prints the bare token, from the platform and then from the cache', async () => {
    expect(await bench.run(['_fetch_token'])).toEqual({ exitCode: 0, stdout: `${TOKEN}\n`, stderr: '' });
    expect(await bench.run(['_fetch_token'])).toEqual({ exitCode: 0, stdout: `${TOKEN}\n`, stderr: '' });
    expect(bench.platform.requests).toHaveLength(1);
  });

  it('_fetch_token follows the same fallback chain, and exits 1 when it ends empty-handed', async () => {
    bench.answerWith(answers.json(401, {}));
    const fallback = await bench.run(['_fetch_token'], { env: { GH_TOKEN: ENV_TOKEN } });
    expect(fallback.stdout).toBe(`${ENV_TOKEN}\n`);
    const none = await bench.run(['_fetch_token']);
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('_invalidate_cache removes the cached token, so the next get asks the platform again', async () => {
    await bench.run(['get'], { input: GIT_REQUEST });
    const run = await bench.run(['_invalidate_cache']);
    expect(run).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(readdirSync(bench.cacheDir)).toEqual([]);
    await bench.run(['get'], { input: GIT_REQUEST });
    expect(bench.platform.requests).toHaveLength(2);
  });

  it.each([{ args: ['_unknown'] }, { args: ['fetch'] }, { args: [] }])(
    'refuses the unknown action $args with exit 1 and a usage line',
    async ({ args }) => {
      const run = await bench.run(args);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(/unknown action/);
      expect(bench.platform.requests).toHaveLength(0);
    },
  );
});

describe('molecule-git-token-helper.sh cache privacy', () => {
  it('creates the cache folder 700 and its files 600, leaving no temporary file behind', async () => {
    await bench.run(['get'], { input: GIT_REQUEST });
    expect(modeOf(bench.cacheDir)).toBe(0o700);
    expect(readdirSync(bench.cacheDir).sort()).toEqual(['expiry', 'token']);
    expect(modeOf(join(bench.cacheDir, 'token'))).toBe(0o600);
    expect(modeOf(join(bench.cacheDir, 'expiry'))).toBe(0o600);
  });

  it('writes the cache and ~/.gh_token atomically: created 0600 under a temporary name, then renamed (strace)', async () => {
    requireTool('strace');
    writeStandIn(bench, 'gh', 'cat >/dev/null');
    const trace = join(bench.home, '..', 'trace.txt');
    const run = await runScript(
      'strace',
      ['-f', '-qq', '-o', trace, '-e', 'trace=%file', helperScript, '_refresh_gh'],
      {
        env: {
          HOME: bench.home,
          PLATFORM_URL: bench.platform.url,
          CONFIGS_DIR: bench.configs,
          PATH: `${bench.fakeBin}:${process.env.PATH}`,
        },
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const calls = readFileSync(trace, 'utf8').split('\n');
    for (const target of [
      join(bench.cacheDir, 'token'),
      join(bench.cacheDir, 'expiry'),
      join(bench.home, '.gh_token'),
    ]) {
      const opensForWriting = calls.filter(
        (c) => c.includes(`open`) && c.includes(`"${target}"`) && /O_WRONLY|O_RDWR/.test(c),
      );
      expect(opensForWriting, target).toEqual([]);
      const rename = calls.find(
        (c) => /rename\w*\(/.test(c) && c.includes(`, "${target}"`) && / = 0$/.test(c),
      );
      const source = /rename\w*\(AT_FDCWD, "([^"]+)"/.exec(rename ?? '')?.[1];
      expect(source, `the rename onto ${target}`).toBeDefined();
      const created = calls.find((c) => c.includes(`"${source}"`) && c.includes('O_CREAT'));
      expect(created).toMatch(/O_CREAT\|O_EXCL, 0600\) = \d+$/);
    }
  });

  it('tightens a cache folder that already exists with a looser mode to 700', async () => {
    mkdirSync(bench.cacheDir, { mode: 0o755 });
    await bench.run(['get'], { input: GIT_REQUEST });
    expect(modeOf(bench.cacheDir)).toBe(0o700);
  });

  it('reports a failed chmod as a warning, and still answers git with files private from the start', async () => {
    writeStandIn(bench, 'chmod', 'exit 1');
    const run = await bench.run(['get'], { input: GIT_REQUEST, withFakeBin: true });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(gitAnswer(TOKEN));
    expect(run.stderr).toMatch(/warning: could not chmod 700 .*\.molecule-token-cache/);
    expect(run.stderr).toMatch(/warning: could not chmod 600 .*token/);
    // Without a working chmod, only creating them private keeps them private.
    expect(modeOf(bench.cacheDir)).toBe(0o700);
    expect(modeOf(join(bench.cacheDir, 'token'))).toBe(0o600);
    expect(modeOf(join(bench.cacheDir, 'expiry'))).toBe(0o600);
  });
});

describe('molecule-git-token-helper.sh _refresh_gh', () => {
  /** A stand-in gh that records its arguments and standard input, then exits with `exitCode`. */
  function standInGh(exitCode = 0) {
    const record = join(bench.home, '..', 'gh-record');
    writeStandIn(
      bench,
      'gh',
      `printf '%s\\n' "$*" > '${record}.args'\ncat > '${record}.stdin'\necho "gh saw ${TOKEN}" >&2\nexit ${exitCode}`,
    );
    return {
      args: () => readFileSync(`${record}.args`, 'utf8'),
      stdin: () => readFileSync(`${record}.stdin`, 'utf8'),
      called: () => existsSync(`${record}.args`),
    };
  }
  const ghToken = () => join(bench.home, '.gh_token');

  it('fetches from the platform, logs gh in with the token on standard input and writes ~/.gh_token 600', async () => {
    const gh = standInGh();
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true });
    expect(run).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(gh.args()).toBe('auth login --hostname github.com --with-token\n');
    expect(gh.stdin()).toBe(`${TOKEN}\n`);
    expect(readFileSync(ghToken(), 'utf8')).toBe(`${TOKEN}\n`);
    expect(modeOf(ghToken())).toBe(0o600);
    expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('skips a fresh cache: it asks the platform and overwrites the cached token', async () => {
    standInGh();
    plantCache(bench, 'still-fresh-old-token\n');
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true });
    expect(run.exitCode).toBe(0);
    expect(bench.platform.requests).toHaveLength(1);
    expect(readFileSync(join(bench.cacheDir, 'token'), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('reports a failing gh login with its exit code, but neither its output nor a failure', async () => {
    standInGh(4);
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true });
    expect(run.exitCode).toBe(0);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/warning: gh auth login failed \(exit 4\)/)]);
    expect(readFileSync(ghToken(), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('gives up on a gh login that does not finish within 20 s, and still writes ~/.gh_token', async () => {
    writeStandIn(bench, 'gh', 'cat >/dev/null\nexec sleep 300');
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true, timeoutMs: 45_000 });
    expect(run.exitCode).toBe(0);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/warning: gh auth login did not finish within 20s/),
    ]);
    expect(readFileSync(ghToken(), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('reports a missing gh CLI and still writes ~/.gh_token', async () => {
    // A PATH with every command of /usr/bin but gh, whether or not this machine has gh.
    const noGh = join(bench.home, '..', 'no-gh-bin');
    mkdirSync(noGh);
    for (const name of readdirSync('/usr/bin'))
      if (name !== 'gh') symlinkSync(join('/usr/bin', name), join(noGh, name));
    const run = await bench.run(['_refresh_gh'], { env: { PATH: noGh } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/gh CLI not found/);
    expect(readFileSync(ghToken(), 'utf8')).toBe(`${TOKEN}\n`);
  });

  it('exits 1 when the platform fails, without the environment fallback, gh or ~/.gh_token', async () => {
    const gh = standInGh();
    bench.answerWith(answers.json(500, {}));
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true, env: { GITHUB_TOKEN: ENV_TOKEN } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/HTTP 500/);
    expect(run.stderr).not.toMatch(/GITHUB_TOKEN/);
    expect(gh.called()).toBe(false);
    expect(existsSync(ghToken())).toBe(false);
  });

  it('exits 1 when ~/.gh_token cannot be written (a folder is in the way)', async () => {
    standInGh();
    mkdirSync(ghToken());
    const run = await bench.run(['_refresh_gh'], { withFakeBin: true });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/could not write .*\.gh_token/);
    expect(readdirSync(ghToken())).toEqual([]);
  });
});
