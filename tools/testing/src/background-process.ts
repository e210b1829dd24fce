import { spawn } from 'node:child_process';

export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface BackgroundProcess {
  pid: number;
  /** Writes to the process's standard input, which stays open until closeInput(). */
  write(text: string): void;
  closeInput(): void;
  /** Everything the process has written so far. */
  stdout(): string;
  stderr(): string;
  signal(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` from inside the handler of the first standard-error chunk, before the test's next poll
   * could: for the window just after a script's first log line.
   */
  signalOnFirstStderr(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited; rejects after `timeoutMs` while it still runs. */
  exited(timeoutMs?: number): Promise<ProcessExit>;
  /** For afterEach: SIGKILL to its whole process group, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running script for real (a loop, a daemon) and lets the test watch its output, signal it
 * and wait for its exit. Like runScript, the environment is exactly `env` plus PATH and HOME.
 */
export function startBackgroundProcess(
  file: string,
  args: string[] = [],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): BackgroundProcess {
  const child = spawn(file, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...options.env,
    },
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so stop() also ends whatever it started.
    detached: true,
  });
  // A process that exits without reading its input must not crash the test with EPIPE.
  child.stdin.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  let onFirstStderr: (() => void) | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    onFirstStderr?.();
    onFirstStderr = undefined;
  });
  // 'close' comes after the exit and the end of its output: all it wrote has been read.
  const exit = new Promise<ProcessExit>((resolve) =>
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal })),
  );

  return {
    pid: child.pid ?? -1,
    write: (text) => void child.stdin.write(text),
    closeInput: () => child.stdin.end(),
    stdout: () => stdout,
    stderr: () => stderr,
    signal: (signal) => void child.kill(signal),
    signalOnFirstStderr: (signal) => {
      if (stderr !== '') child.kill(signal);
      else onFirstStderr = () => void child.kill(signal);
    },
    exited: (timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${file} (or a process it started, holding its output) still ran after ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
    stop: async () => {
      // Never kill(-0): that would be the test runner's own process group.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The whole group has already exited.
        }
      }
      await exit;
    },
  };
}

/**
 * Polls `condition` until it holds; rejects after `timeoutMs`, naming what it waited for. A wait, not a
 * timing assertion: the timeout only bounds a test that would otherwise hang.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
  pollMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
