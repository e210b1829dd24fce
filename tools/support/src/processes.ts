import { execa, type Options, type Result } from 'execa';

export interface ScriptRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script or command for real and returns its exit code and output without throwing on a
 * non-zero exit, so tests assert on failures as plainly as on successes. The environment is exactly
 * `env` plus PATH and HOME unless `inheritEnv` is set: a test must not pass because of the caller's shell.
 */
export async function runScript(
  file: string,
  args: string[] = [],
  options: {
    env?: Record<string, string | undefined>;
    input?: string;
    cwd?: string;
    timeoutMs?: number;
    inheritEnv?: boolean;
  } = {},
): Promise<ScriptRun> {
  const baseEnv = options.inheritEnv
    ? process.env
    : { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
  const execaOptions: Options = {
    env: { ...baseEnv, ...options.env },
    extendEnv: false,
    reject: false,
    input: options.input ?? '',
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 30_000,
    stripFinalNewline: false,
  };
  const result = (await execa(file, args, execaOptions)) as Result;
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}
