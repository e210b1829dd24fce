// What the benches that build images on the project's test engine share: a build (a context and its build
// arguments), the one way it is built and timed, and the build of an image test's plan.
import type { DockerEngine } from '@image-layers/image-test/engine';
import type { TestBuildPlan } from '@image-layers/image-test/plan';

/** One docker build: tagged image-layers-bench/<name>:latest, from a context, with --build-arg words. */
export interface Build {
  name: string;
  context: string;
  args: string[];
}

/** The repository of a bench build's image (a pattern with `*`); its tag is :latest. */
export const benchRepo = (name: string) => `image-layers-bench/${name}`;

/** The build of an image test's plan: its context, with its build arguments (the local base, steps off). */
export function planBuild(name: string, plan: TestBuildPlan): Build {
  return {
    name,
    context: plan.contextDir,
    args: Object.entries(plan.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
  };
}

/** Builds on the engine's host network, the output in `log`; the wall time in seconds. Throws if it fails. */
export async function build(engine: DockerEngine, what: Build, log: string): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await engine.docker(
    ['build', '--network', 'host', '--tag', `${benchRepo(what.name)}:latest`, ...what.args, what.context],
    { logFile: log, timeoutMs: 45 * 60_000 },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.exitCode !== 0)
    throw new Error(`docker build of ${what.name} exited ${result.exitCode}: see ${log}`);
  return seconds;
}
