import type { ScriptRun } from '@image-layers/support/processes';
import type { DockerEngine } from './engine';

// Where assertions run is a driver apart from what they assert: a Container is anything that can run a
// command inside the image under test. This module drives Docker's; assertions.ts never names Docker.

export interface ExecOptions {
  user?: string;
  env?: Record<string, string>;
  workdir?: string;
  stdin?: string;
  timeoutMs?: number;
}

export interface Container {
  /** Runs a command inside; never throws on a non-zero exit. */
  exec(argv: string[], options?: ExecOptions): Promise<ScriptRun>;
  /** What the container's main process has written so far, standard output and error. */
  logs(): Promise<string>;
  /** Whether its main process still runs. */
  running(): Promise<boolean>;
  remove(): Promise<void>;
}

export interface StartOptions {
  /** Replace the image's ENTRYPOINT (a container kept up for static checks), or keep it (undefined). */
  entrypoint?: string[];
  args?: string[];
  env?: Record<string, string>;
  /** Host path -> path inside; read-only when `readOnly`. */
  mounts?: { hostPath: string; path: string; readOnly?: boolean }[];
}

let counter = 0;

/** Starts a container of `image` on the host's network (the engine has no bridge; git servers listen on 127.0.0.1). */
export async function startContainer(
  engine: DockerEngine,
  image: string,
  options: StartOptions = {},
): Promise<Container> {
  const name = `image-test-${process.pid}-${++counter}`;
  const args = ['run', '--detach', '--name', name, '--network', 'host'];
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
  for (const mount of options.mounts ?? [])
    args.push('--volume', `${mount.hostPath}:${mount.path}${mount.readOnly ? ':ro' : ''}`);
  const [entrypoint, ...entrypointArgs] = options.entrypoint ?? [];
  if (entrypoint) args.push('--entrypoint', entrypoint);
  args.push(image, ...entrypointArgs, ...(options.args ?? []));
  const started = await engine.docker(args);
  if (started.exitCode !== 0) {
    await engine.docker(['rm', '--force', name]);
    throw new Error(`docker run ${image} failed: ${started.stderr.trim()}`);
  }
  return {
    exec: (argv, execOptions = {}) => {
      const execArgs = ['exec', '--interactive'];
      if (execOptions.user) execArgs.push('--user', execOptions.user);
      if (execOptions.workdir) execArgs.push('--workdir', execOptions.workdir);
      for (const [key, value] of Object.entries(execOptions.env ?? {}))
        execArgs.push('--env', `${key}=${value}`);
      return engine.docker([...execArgs, name, ...argv], {
        input: execOptions.stdin ?? '',
        timeoutMs: execOptions.timeoutMs ?? 60_000,
      });
    },
    logs: async () => {
      const logs = await engine.docker(['logs', name]);
      return logs.stdout + logs.stderr;
    },
    running: async () =>
      (await engine.docker(['inspect', '--format', '{{.State.Running}}', name])).stdout.trim() === 'true',
    remove: async () => {
      await engine.docker(['rm', '--force', '--volumes', name]);
    },
  };
}

/** Polls until `path` exists inside; false when the container stopped or `timeoutMs` passed first. */
export async function waitForPath(container: Container, path: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await container.exec(['test', '-e', path])).exitCode === 0) return true;
    if (!(await container.running())) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
