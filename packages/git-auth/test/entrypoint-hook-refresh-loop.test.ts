import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntrypointRoot } from '@image-layers/testing';
import { makeGitAuthRoot } from './git-auth-root';

const log = '/home/agent/.gh-token-refresh.log';

// The stand-in runtime stays up until the loop has run N times (STANDIN_WAIT_REFRESH_RUNS); when it exits, every
// process left in the root dies with it, as in a container whose PID 1 ends.
describe("git-auth's agent hook: the GitHub token refresh loop", () => {
  let image: EntrypointRoot;
  afterEach(() => image.cleanup());

  const runsOf = (record: string | undefined) => (record ?? '').split('\n').filter(Boolean);
  const sessionOf = (line: string) => /session=(\d+)/.exec(line)?.[1];

  it('starts the refresh script as agent, while the runtime runs (the runtime never waits on it)', async () => {
    image = makeGitAuthRoot();

    const run = await image.start([], { STANDIN_WAIT_REFRESH_RUNS: '1', STANDIN_RUNTIME_EXIT: '0' });

    // The stand-in never ends on its own (as the real loop), yet the runtime ran and its exit code came back.
    expect(run.exitCode, run.stderr).toBe(0);
    const [first] = runsOf(image.record('refresh'));
    expect(first).toMatch(/^uid=1000 gid=1000 /);
  });

  it('detaches it in a session of its own, apart from the runtime', async () => {
    image = makeGitAuthRoot();

    await image.start([], { STANDIN_WAIT_REFRESH_RUNS: '1' });

    const refreshSession = sessionOf(runsOf(image.record('refresh'))[0] ?? '');
    const runtimeSession = sessionOf(image.record('runtime') ?? '');
    expect(refreshSession).toBeDefined();
    expect(runtimeSession).toBeDefined();
    expect(refreshSession).not.toBe(runtimeSession);
  });

  it('sends all its output, both streams, to /home/agent/.gh-token-refresh.log, owned by agent', async () => {
    image = makeGitAuthRoot();

    const run = await image.start([], { STANDIN_WAIT_REFRESH_RUNS: '1' });

    const text = readFileSync(image.root.at(log), 'utf8');
    expect(text).toContain('refresh stand-in on stdout\n');
    expect(text).toContain('refresh stand-in on stderr\n');
    expect(`${run.stdout}${run.stderr}`).not.toContain('refresh stand-in');
    expect(image.owner(log)).toMatchObject({ uid: 1000, gid: 1000 });
  });

  it('logs an exit with its code and restarts the script after a 30 s pause', async () => {
    image = makeGitAuthRoot();

    const run = await image.start([], { STANDIN_REFRESH_FIRST_EXIT: '7', STANDIN_WAIT_REFRESH_RUNS: '2' });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(runsOf(image.record('refresh'))).toHaveLength(2);
    expect(image.record('sleep')).toBe('30\n');
    const lines = readFileSync(image.root.at(log), 'utf8').split('\n');
    const exitLine = lines.find((line) => line.includes('exited'));
    expect(exitLine).toMatch(
      /^\[entrypoint\] \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \/app\/scripts\/molecule-gh-token-refresh\.sh exited with code 7; restarting in 30 s$/,
    );
    // The pause comes between the exit and the restart: the second run's output follows the exit line.
    expect(lines.lastIndexOf('refresh stand-in on stdout')).toBeGreaterThan(lines.indexOf(exitLine ?? ''));
  });

  it('keeps the runtime up when the refresh script dies', async () => {
    image = makeGitAuthRoot();

    const run = await image.start([], {
      STANDIN_REFRESH_FIRST_EXIT: '9',
      STANDIN_WAIT_REFRESH_RUNS: '2',
      STANDIN_RUNTIME_EXIT: '4',
    });

    expect(readFileSync(image.root.at(log), 'utf8')).toContain('exited with code 9');
    expect(run.exitCode).toBe(4);
  });

  it('starts no loop and writes no log when the refresh script is not there', async () => {
    image = makeGitAuthRoot({ refreshLoop: false });

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime')).toContain('uid=1000');
    expect(existsSync(image.root.at(log))).toBe(false);
  });
});
