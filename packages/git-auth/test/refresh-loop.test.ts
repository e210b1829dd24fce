import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  layerFile,
  makeTempDir,
  shellcheckFindings,
  startBackgroundProcess,
  waitUntil,
  type BackgroundProcess,
} from '@image-layers/testing';

const loopScript = layerFile('git-auth', 'scripts/molecule-gh-token-refresh.sh');
const SECRET = 'planted-refresh-secret-e7b2';
const LOG_LINE = /^\[molecule-gh-token-refresh\] \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \S/;
const ATTEMPT = /refresh (succeeded|failed)/;

describe('molecule-gh-token-refresh.sh, the file', () => {
  it('is a bash script, executable, LF-only and clean under shellcheck', () => {
    const text = readFileSync(loopScript, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).not.toContain('\r');
    expect(statSync(loopScript).mode & 0o111).toBe(0o111);
    expect(shellcheckFindings(loopScript)).toBe('');
  });
});

describe('molecule-gh-token-refresh.sh, run with second-long intervals and a stand-in helper', () => {
  let temp: { path: string; cleanup: () => void };
  let helper: string;
  let loops: BackgroundProcess[] = [];
  const file = (name: string) => join(temp.path, name);

  beforeEach(() => {
    temp = makeTempDir('refresh-loop-');
    // The stand-in records each call (time and arguments), prints a planted secret on both streams, exits
    // with the code in exit-code, and with a hang file present blocks (after noting its pid) until killed;
    // with an ignore-term file present it ignores SIGTERM.
    helper = file('helper.sh');
    writeFileSync(
      helper,
      [
        '#!/bin/sh',
        `printf '%s %s\\n' "$(date +%s.%N)" "$*" >> '${file('calls')}'`,
        `echo '${SECRET}'; echo '${SECRET}' >&2`,
        `if [ -e '${file('ignore-term')}' ]; then trap '' TERM; fi`,
        `if [ -e '${file('hang')}' ]; then echo $$ > '${file('helper.pid')}'; exec sleep 300; fi`,
        `exit "$(cat '${file('exit-code')}')"`,
        '',
      ].join('\n'),
    );
    chmodSync(helper, 0o755);
    writeFileSync(file('exit-code'), '0\n');
  });

  afterEach(async () => {
    await Promise.all(loops.map((p) => p.stop()));
    loops = [];
    temp.cleanup();
  });

  function start(settings: Record<string, string | undefined>) {
    const loop = startBackgroundProcess(loopScript, [], {
      env: {
        TOKEN_HELPER_SCRIPT: helper,
        TOKEN_REFRESH_INITIAL_DELAY_SEC: '0',
        TOKEN_REFRESH_INTERVAL_SEC: '1',
        TOKEN_REFRESH_JITTER_SEC: '0',
        ...settings,
      },
    });
    loops.push(loop);
    return loop;
  }
  const logLines = (p: BackgroundProcess) => p.stderr().split('\n').filter(Boolean);
  const attempts = (p: BackgroundProcess) => logLines(p).filter((line) => ATTEMPT.test(line));
  const calls = () =>
    existsSync(file('calls')) ? readFileSync(file('calls'), 'utf8').split('\n').filter(Boolean) : [];

  /** SIGTERM, then the promises every run keeps: a clean exit, prefixed timestamped lines, no secret. */
  async function stopWithSigterm(p: BackgroundProcess) {
    p.signal('SIGTERM');
    expect(await p.exited(5_000)).toEqual({ exitCode: 0, signal: null });
    const lines = logLines(p);
    expect(lines.at(-1)).toMatch(/stopping on SIGTERM$/);
    for (const line of lines) expect(line).toMatch(LOG_LINE);
    expect(p.stdout()).toBe('');
    expect(p.stderr()).not.toContain(SECRET);
    return lines;
  }

  it('logs its settings first, then waits the initial delay before the first refresh', async () => {
    const p = start({ TOKEN_REFRESH_INITIAL_DELAY_SEC: '300', TOKEN_REFRESH_JITTER_SEC: '7' });
    await waitUntil(() => logLines(p).length > 0, 'the settings line');
    const lines = await stopWithSigterm(p);
    expect(lines[0]).toContain(`starting: helper=${helper} interval=1s jitter=0..7s initial_delay=300s`);
    expect(lines).toHaveLength(2);
    expect(calls()).toEqual([]);
  });

  it('falls back to the documented defaults when the settings are unset', async () => {
    const p = start({
      TOKEN_HELPER_SCRIPT: undefined,
      TOKEN_REFRESH_INITIAL_DELAY_SEC: undefined,
      TOKEN_REFRESH_INTERVAL_SEC: undefined,
      TOKEN_REFRESH_JITTER_SEC: undefined,
    });
    await waitUntil(() => logLines(p).length > 0, 'the settings line');
    const [settings] = await stopWithSigterm(p);
    expect(settings).toContain(
      'starting: helper=/app/scripts/molecule-git-token-helper.sh interval=2700s jitter=0..120s initial_delay=60s',
    );
  });

  it('reports a setting that is not a whole number and uses its default instead', async () => {
    const p = start({ TOKEN_REFRESH_INITIAL_DELAY_SEC: 'soon', TOKEN_REFRESH_INTERVAL_SEC: '-5' });
    await waitUntil(() => logLines(p).some((line) => line.includes('starting:')), 'the settings line');
    const lines = await stopWithSigterm(p);
    expect(lines).toContainEqual(
      expect.stringContaining("TOKEN_REFRESH_INITIAL_DELAY_SEC='soon' is not a whole number"),
    );
    expect(lines).toContainEqual(
      expect.stringContaining("TOKEN_REFRESH_INTERVAL_SEC='-5' is not a whole number"),
    );
    expect(lines.find((line) => line.includes('starting:'))).toContain(
      'interval=2700s jitter=0..0s initial_delay=60s',
    );
  });

  it('runs `<helper> _refresh_gh` again and again, at least the interval apart, logging each success', async () => {
    const p = start({});
    await waitUntil(() => attempts(p).length >= 3, 'three refresh attempts');
    await stopWithSigterm(p);
    const done = attempts(p);
    for (const line of done) expect(line).toMatch(/refresh succeeded; next in 1s$/);
    const recorded = calls();
    expect(recorded.length - done.length).toBeGreaterThanOrEqual(0);
    expect(recorded.length - done.length).toBeLessThanOrEqual(1);
    const times = recorded.map((line) => Number(line.split(' ')[0]));
    for (const line of recorded) expect(line.split(' ').slice(1).join(' ')).toBe('_refresh_gh');
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1);
  });

  it('adds a random 0..N seconds of jitter to each wait, and logs the wait it chose', async () => {
    // Five loops, one attempt each: with N = 300 (its maximum) five equal draws have a chance of about 1e-10.
    const runs = [1, 2, 3, 4, 5].map(() =>
      start({ TOKEN_REFRESH_INTERVAL_SEC: '5', TOKEN_REFRESH_JITTER_SEC: '300' }),
    );
    const waits: number[] = [];
    for (const p of runs) {
      await waitUntil(() => attempts(p).length === 1, 'the first attempt');
      await stopWithSigterm(p);
      const wait = /refresh succeeded; next in (\d+)s$/.exec(attempts(p)[0] ?? '')?.[1];
      waits.push(Number(wait));
    }
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(5);
      expect(wait).toBeLessThanOrEqual(305);
    }
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  it('survives a failing helper, logging its exit code and when it retries, and recovers', async () => {
    writeFileSync(file('exit-code'), '3\n');
    const p = start({});
    await waitUntil(() => attempts(p).length >= 2, 'two failed attempts');
    writeFileSync(file('exit-code'), '0\n');
    await waitUntil(() => attempts(p).some((line) => line.includes('succeeded')), 'a successful attempt');
    const lines = await stopWithSigterm(p);
    const [first, second] = attempts(p);
    expect(first).toMatch(/refresh failed \(helper exit 3\); retrying in 1s$/);
    expect(second).toMatch(/refresh failed \(helper exit 3\); retrying in 1s$/);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('logs a helper that cannot be run as a failed attempt (exit 127) and keeps going', async () => {
    const p = start({ TOKEN_HELPER_SCRIPT: file('no-such-helper') });
    await waitUntil(() => attempts(p).length >= 2, 'two failed attempts');
    await stopWithSigterm(p);
    for (const line of attempts(p)) expect(line).toMatch(/refresh failed \(helper exit 127\)/);
  });

  it('stops at once on SIGTERM in the middle of a long wait, leaving no sleep behind', async () => {
    const p = start({ TOKEN_REFRESH_INTERVAL_SEC: '300' });
    await waitUntil(() => attempts(p).length === 1, 'the first attempt');
    // exited() waits for the output pipes to close: a leftover sleep holding them would time it out.
    await stopWithSigterm(p);
    expect(calls()).toHaveLength(1);
  });

  it('leaves no sleep behind when SIGTERM lands just after a log line, as the next sleep starts', async () => {
    // bash runs the trap between commands: a SIGTERM during the fork of `sleep &` comes before the script
    // could note the sleep's pid. Sent from the output handler, it lands in that window often (before the
    // fix, 4 to 15 runs in 60 left a sleep holding the output open), so thirty runs miss it rarely.
    for (let run = 0; run < 30; run++) {
      const p = start({ TOKEN_REFRESH_INITIAL_DELAY_SEC: '300' });
      p.signalOnFirstStderr('SIGTERM');
      expect(await p.exited(5_000)).toEqual({ exitCode: 0, signal: null });
      expect(logLines(p).at(-1)).toMatch(/stopping on SIGTERM$/);
    }
  });

  /** The settings line, once the loop has logged it. */
  async function settingsOf(p: BackgroundProcess) {
    await waitUntil(() => logLines(p).some((line) => line.includes('starting:')), 'the settings line');
    return logLines(p).find((line) => line.includes('starting:')) ?? '';
  }

  it.each([
    ['TOKEN_REFRESH_INTERVAL_SEC', '0', 'below 1; using 1', 'interval=1s'],
    ['TOKEN_REFRESH_INTERVAL_SEC', '9223372036854775808', 'above 3000; using 3000', 'interval=3000s'],
    ['TOKEN_REFRESH_JITTER_SEC', '18446744073709551615', 'above 300; using 300', 'jitter=0..300s'],
    ['TOKEN_REFRESH_INITIAL_DELAY_SEC', '99999999999', 'above 3000; using 3000', 'initial_delay=3000s'],
    ['TOKEN_REFRESH_HELPER_TIMEOUT_SEC', '0', 'below 1; using 1', 'helper_timeout=1s'],
    ['TOKEN_REFRESH_HELPER_TIMEOUT_SEC', '100000', 'above 600; using 600', 'helper_timeout=600s'],
  ])('clamps %s=%s into its range, saying what it uses', async (name, value, said, used) => {
    const p = start({ TOKEN_REFRESH_INITIAL_DELAY_SEC: '300', [name]: value });
    expect(await settingsOf(p)).toContain(used);
    const lines = await stopWithSigterm(p);
    expect(lines).toContainEqual(expect.stringContaining(`warning: ${name}=${value} is ${said}`));
  });

  it('reads a setting with leading zeros as decimal, not octal', async () => {
    const p = start({ TOKEN_REFRESH_INITIAL_DELAY_SEC: '0300', TOKEN_REFRESH_JITTER_SEC: '010' });
    expect(await settingsOf(p)).toContain('jitter=0..10s initial_delay=300s');
    await stopWithSigterm(p);
  });

  it('never runs the helper more than once a second, even with an interval of 0', async () => {
    const p = start({ TOKEN_REFRESH_INTERVAL_SEC: '0' });
    await waitUntil(() => attempts(p).length >= 2, 'two refresh attempts');
    await stopWithSigterm(p);
    const times = calls().map((line) => Number(line.split(' ')[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1);
    for (const line of attempts(p)) expect(line).toMatch(/next in 1s$/);
  });

  it('keeps running with a jitter whose arithmetic would wrap, waiting interval + 0..300 s', async () => {
    const p = start({ TOKEN_REFRESH_INTERVAL_SEC: '5', TOKEN_REFRESH_JITTER_SEC: '18446744073709551615' });
    await waitUntil(() => attempts(p).length === 1, 'the first attempt');
    await stopWithSigterm(p);
    const wait = Number(/next in (\d+)s$/.exec(attempts(p)[0] ?? '')?.[1]);
    expect(wait).toBeGreaterThanOrEqual(5);
    expect(wait).toBeLessThanOrEqual(305);
  });

  it('ends a helper that outlives TOKEN_REFRESH_HELPER_TIMEOUT_SEC, logs it as failed and keeps going', async () => {
    writeFileSync(file('hang'), '');
    const p = start({ TOKEN_REFRESH_HELPER_TIMEOUT_SEC: '1' });
    await waitUntil(() => existsSync(file('helper.pid')), 'the helper to start');
    const helperPid = Number(readFileSync(file('helper.pid'), 'utf8'));
    await waitUntil(() => attempts(p).length >= 1, 'the first attempt to time out');
    expect(attempts(p)[0]).toMatch(/refresh failed \(helper did not finish within 1s\); retrying in 1s$/);
    await waitUntil(() => !isAlive(helperPid), 'the timed-out helper to end');
    rmSync(file('hang'));
    await waitUntil(() => attempts(p).some((line) => line.includes('succeeded')), 'a successful attempt');
    await stopWithSigterm(p);
  });

  it('kills a helper that ignores the SIGTERM of its time limit 5 s later, and keeps going', async () => {
    writeFileSync(file('hang'), '');
    writeFileSync(file('ignore-term'), '');
    const p = start({ TOKEN_REFRESH_HELPER_TIMEOUT_SEC: '1' });
    await waitUntil(() => existsSync(file('helper.pid')), 'the helper to start');
    const helperPid = Number(readFileSync(file('helper.pid'), 'utf8'));
    await waitUntil(() => attempts(p).length >= 1, 'the first attempt to be killed', 15_000);
    expect(attempts(p)[0]).toMatch(/refresh failed \(helper exit 137\); retrying in 1s$/);
    expect(isAlive(helperPid)).toBe(false);
    await stopWithSigterm(p);
  });

  it('stops at once on SIGTERM while the helper runs, and ends that helper', async () => {
    writeFileSync(file('hang'), '');
    const p = start({});
    await waitUntil(() => existsSync(file('helper.pid')), 'the helper to start');
    const helperPid = Number(readFileSync(file('helper.pid'), 'utf8'));
    const lines = await stopWithSigterm(p);
    expect(lines.filter((line) => ATTEMPT.test(line))).toEqual([]);
    await waitUntil(() => !isAlive(helperPid), 'the helper to end');
  });
});

/** Running, as opposed to gone or a zombie waiting for a parent to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
