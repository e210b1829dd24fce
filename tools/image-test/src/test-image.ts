import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ImageLayersError, ImageLayersErrors } from '@image-layers/manifest/errors';
import { closingLine, type TestReport } from '@image-layers/test-runner/project-tests';
import { startGitHttpServer, type GitHttpServer } from '@image-layers/support/git-http-server';
import { makeTempDir } from '@image-layers/support/workspace';
import { checkMetadata, runChecks, type AssertionResult } from './assertions';
import { startContainer, waitForPath, type Container } from './container';
import { connectTestEngine, EngineUnavailable, testEngineAddress, type DockerEngine } from './engine';
import { planTestBuild, type TestBuildPlan } from './plan';
import type {
  ContainerChecks,
  ContainerScenario,
  ImageTestSpec,
} from '@image-layers/manifest/image-test-schema';

// `image-layers image-test <project>`: builds the layer (on the local base, with the layers it requires) or the
// image, runs every assertion of its test/image-test.json inside containers, and writes the counts `npm test`
// adds up. A step it does not run and a stand-in it mounts are said by name; nothing is skipped silently.

const checkCount = (checks: ContainerChecks) =>
  checks.files.length +
  checks.users.length +
  checks.groups.length +
  checks.commands.length +
  checks.processes.length;

/** How many results a full run of `spec` gives (so a failed build still counts every test it prevented). */
export function expectedResults(spec: ImageTestSpec): number {
  const metadata = spec.metadata
    ? Object.keys(spec.metadata.env).length +
      ['workdir', 'user', 'entrypoint', 'cmd'].filter((key) => spec.metadata![key as 'workdir'] !== undefined)
        .length
    : 0;
  const scenarios = spec.containers.reduce(
    (sum, scenario) =>
      sum + 1 + checkCount(scenario) + scenario.logs.contains.length + scenario.logs.excludes.length,
    0,
  );
  return 1 + metadata + checkCount(spec) + scenarios;
}

/** Replaces `{{service.field}}` with the host services' values. */
function filler(values: Record<string, string>): (text: string) => string {
  return (text) => text.replace(/\{\{([\w.]+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

async function startServices(
  spec: ImageTestSpec,
): Promise<{ values: Record<string, string>; close(): Promise<void> }> {
  const servers: GitHttpServer[] = [];
  const values: Record<string, string> = {};
  if (spec.hostServices.gitHttp) {
    const server = await startGitHttpServer(spec.hostServices.gitHttp);
    servers.push(server);
    Object.assign(values, {
      'gitHttp.url': server.url,
      'gitHttp.repoUrl': server.repoUrl,
      'gitHttp.username': spec.hostServices.gitHttp.username,
      'gitHttp.password': spec.hostServices.gitHttp.password,
    });
  }
  return { values, close: async () => void (await Promise.all(servers.map((server) => server.close()))) };
}

/** Volumes as Docker makes them: root-owned folders, with the scenario's files in them. */
function makeVolumes(scenario: ContainerScenario): {
  mounts: { hostPath: string; path: string }[];
  cleanup(): void;
} {
  const temps = scenario.volumes.map((volume) => {
    const temp = makeTempDir('image-test-volume-');
    chmodSync(temp.path, 0o755);
    for (const file of volume.files) {
      const target = join(temp.path, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
      chmodSync(target, Number.parseInt(file.mode, 8));
    }
    return { temp, path: volume.path };
  });
  return {
    mounts: temps.map(({ temp, path }) => ({ hostPath: temp.path, path })),
    cleanup: () => temps.forEach(({ temp }) => temp.cleanup()),
  };
}

async function runScenario(
  engine: DockerEngine,
  image: string,
  plan: TestBuildPlan,
  scenario: ContainerScenario,
  fill: (text: string) => string,
): Promise<AssertionResult[]> {
  const volumes = makeVolumes(scenario);
  let container: Container | undefined;
  const prefix = (result: AssertionResult) => ({ ...result, name: `[${scenario.name}] ${result.name}` });
  try {
    container = await startContainer(engine, image, {
      args: scenario.args.map(fill),
      env: Object.fromEntries(Object.entries(scenario.env).map(([key, value]) => [key, fill(value)])),
      mounts: [...plan.standIns.map((standIn) => ({ ...standIn, readOnly: true })), ...volumes.mounts],
    });
    const readyName = `[${scenario.name}] starts through the image's entrypoint and reaches ${scenario.readyWhen}`;
    if (!(await waitForPath(container, scenario.readyWhen))) {
      const logs = (await container.logs()).trim().split('\n').slice(-20).join('\n    ');
      return [
        {
          name: readyName,
          passed: false,
          detail: `${scenario.readyWhen} never appeared; the container's last output:\n    ${logs}`,
        },
        ...notRun(
          checkCount(scenario) + scenario.logs.contains.length + scenario.logs.excludes.length,
          scenario.name,
        ),
      ];
    }
    const results: AssertionResult[] = [{ name: readyName, passed: true }];
    results.push(...(await runChecks(container, scenario, fill, 10_000)).map(prefix));
    const logs = await container.logs();
    for (const pattern of scenario.logs.contains) {
      const ok = new RegExp(pattern, 'm').test(logs);
      results.push(
        prefix({
          name: `output matches /${pattern}/`,
          passed: ok,
          detail: ok ? undefined : `output:\n    ${logs.trim().split('\n').join('\n    ')}`,
        }),
      );
    }
    for (const pattern of scenario.logs.excludes) {
      const ok = !new RegExp(pattern, 'm').test(logs);
      results.push(
        prefix({ name: `output never matches /${pattern}/`, passed: ok, detail: ok ? undefined : 'it does' }),
      );
    }
    return results;
  } finally {
    await container?.remove();
    volumes.cleanup();
  }
}

/** Checks that could not run count as failed, one each, so a broken build never shrinks the count. */
function notRun(count: number, why: string): AssertionResult[] {
  return Array.from({ length: count }, () => ({ name: `not run: ${why}`, passed: false }));
}

/** The failed results for `npm test`'s closing lines: a run of identical ones as one name with its count. */
function failureNames(results: AssertionResult[]): string[] {
  const counts = new Map<string, number>();
  for (const result of results) {
    if (result.passed) continue;
    const name = `image test > ${result.name}${result.detail ? `: ${result.detail.split('\n')[0]!.slice(0, 200)}` : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => (count > 1 ? `${name} (${count} times)` : name));
}

/** One line a result; a run of identical not-run results as one line with its count. */
function printResults(results: AssertionResult[], say: (line: string) => void): void {
  for (let index = 0; index < results.length;) {
    const result = results[index]!;
    let same = 1;
    while (!result.detail && results[index + same]?.name === result.name && !results[index + same]?.detail)
      same++;
    const count = same > 1 ? ` (${same} checks)` : '';
    say(
      `  ${result.passed ? '✓' : '✗'} ${result.name}${count}${result.detail ? `\n      ${result.detail}` : ''}`,
    );
    index += same;
  }
}

/**
 * `docker build` of a plan's context on the host's network (the engine has no bridge: --bridge=none), its output
 * in `logFile`; the result names the layers and the time, and on failure shows the end of the log.
 */
export async function buildTestImage(
  engine: DockerEngine,
  plan: TestBuildPlan,
  image: string,
  logFile: string,
): Promise<AssertionResult> {
  const args = ['build', '--network', 'host', '--force-rm', '--tag', image];
  for (const [key, value] of Object.entries(plan.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  const started = Date.now();
  const result = await engine.docker([...args, plan.contextDir], { logFile, timeoutMs: 45 * 60_000 });
  const name = `builds ${plan.layers.join(' -> ')}${plan.kind === 'image' ? ` -> ${plan.project}` : ''} on the local base (${Math.round((Date.now() - started) / 1000)} s)`;
  if (result.exitCode === 0) return { name, passed: true };
  const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-30).join('\n    ');
  return {
    name,
    passed: false,
    detail: `docker build exited ${result.exitCode}; the end of ${logFile}:\n    ${tail}`,
  };
}

async function runAll(engine: DockerEngine, plan: TestBuildPlan, root: string): Promise<AssertionResult[]> {
  const image = `image-layers-test/${plan.project}:latest`;
  const logFile = join(root, '.image-test', 'logs', `${plan.project}.build.log`);
  const built = await buildTestImage(engine, plan, image, logFile);
  if (!built.passed) return [built, ...notRun(expectedResults(plan.spec) - 1, 'the build failed')];
  const results = [built];
  if (plan.spec.metadata) {
    const inspect = await engine.docker(['image', 'inspect', '--format', '{{json .Config}}', image]);
    results.push(...checkMetadata(JSON.parse(inspect.stdout), plan.spec.metadata));
  }
  const services = await startServices(plan.spec);
  const fill = filler(services.values);
  try {
    if (checkCount(plan.spec) > 0) {
      // One container kept up for every static check: cheap execs instead of a container a check.
      const container = await startContainer(engine, image, {
        entrypoint: ['sleep', 'infinity'],
        mounts: plan.standIns.map((standIn) => ({ ...standIn, readOnly: true })),
      });
      try {
        results.push(...(await runChecks(container, plan.spec, fill)));
      } finally {
        await container.remove();
      }
    }
    for (const scenario of plan.spec.containers)
      results.push(...(await runScenario(engine, image, plan, scenario, fill)));
  } finally {
    await services.close();
  }
  return results;
}

function writeReport(
  reportFile: string,
  project: string,
  passed: number,
  failed: number,
  skipped: string[],
  failures: string[],
): void {
  const report: TestReport = {
    project,
    passed,
    failed,
    skipped,
    failures,
    runners: [{ runner: 'image', passed, failed, skipped, failures, exitCode: failed === 0 ? 0 : 1 }],
  };
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}

/** Runs one project's image test and writes its report; returns the exit code. */
export async function runImageTest(root: string, projectDir: string, reportFile: string): Promise<number> {
  const project = relative(root, projectDir);
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let results: AssertionResult[];
  let plan: TestBuildPlan | undefined;
  try {
    if (!existsSync(projectDir)) throw new Error(`no folder ${projectDir}`);
    // Planned before the engine is asked (the base image's name is known without it), so that an engine out of
    // reach still knows how many assertions it prevented and which steps would not have run.
    const { baseImage, baseAdds } = testEngineAddress();
    plan = planTestBuild(root, projectDir, baseImage);
    say(
      `image test of ${plan.project}: ${plan.layers.join(', ')}${plan.kind === 'image' ? ` and ${plan.project}'s own fragment` : ''}, on the local base ${baseImage}`,
    );
    // The local base stands in for python:3.11-slim; what it has beyond it could hide a missing install.
    if (baseAdds.length > 0)
      say(
        `  base adds: ${baseAdds.join(', ')} (beyond python3, pip and CA certificates, what python:3.11-slim gives)`,
      );
    for (const step of plan.notRun) say(`  not run: ${step.unit}: ${step.step} (${step.how})`);
    for (const standIn of plan.standIns)
      say(
        `  stand-in: ${standIn.path} from ${relative(root, standIn.hostPath)}, mounted read-only, never built in (${standIn.why})`,
      );
    const engine = await connectTestEngine();
    results = await runAll(engine, plan, root);
  } catch (error) {
    if (error instanceof EngineUnavailable && plan) {
      process.stderr.write(`${project}: ${error.message}\n`);
      // Every assertion the missing engine prevented is a failure, the build included: an image test that
      // could not run must weigh in the count as much as one that ran and failed.
      results = [
        { name: 'builds on the local base', passed: false, detail: error.message },
        ...notRun(expectedResults(plan.spec) - 1, 'no engine'),
      ];
    } else {
      if (error instanceof EngineUnavailable) process.stderr.write(`${project}: ${error.message}\n`);
      else if (error instanceof ImageLayersError || error instanceof ImageLayersErrors)
        process.stderr.write(`${error.format(root)}\n`);
      else throw error;
      writeReport(reportFile, project, 0, 1, [], [`image test: ${error.message.split('\n')[0]}`]);
      return 1;
    }
  }
  printResults(results, say);
  const passed = results.filter((result) => result.passed).length;
  const failed = results.length - passed;
  // A build step left out for lack of its host is neither a pass nor a failure: it is a skip, named in the
  // closing line of `npm test` so nobody reads the count as covering it.
  const skipped = plan.notRun.map((step) => `build step not run: ${step.unit}: ${step.step} (${step.how})`);
  writeReport(reportFile, project, passed, failed, skipped, failureNames(results));
  say(
    `${project} image test: ${closingLine(passed, failed, skipped.length)} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return failed === 0 ? 0 : 1;
}
