import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_REPORTS_FOLDER } from './report-path';
import { filesUnder } from '@image-layers/support/walk';
import { closingLine, type TestReport } from './project-tests';
import { installTestTools } from './setup-test-tools';

/** The targets `npm test` runs in every project that has them (typecheck, docs and check: code-checks' alone). */
export const NPM_TEST_TARGETS = ['build', 'typecheck', 'lint', 'docs', 'check', 'test', 'image-test'];

/**
 * `npm test`: installs the test tools, runs every project's build, typecheck, lint, test and image-test targets
 * through Nx (cached locally; pass --skip-nx-cache for a cold run, as CI does), then prints one closing line
 * `N passed, N failed` that counts every test of every runner, vitest and Python alike. Build, typecheck and
 * lint targets write no report, so they count no test: one of them failing fails the run (see summarizeReports).
 */
export function runAllTests(root: string, extraNxArgs: string[]): number {
  if (!installTestTools()) {
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  }
  rmSync(join(root, TEST_REPORTS_FOLDER), { recursive: true, force: true });
  // Image tests need a Docker engine and the local base: brought up when missing (as root; otherwise each image
  // test fails saying how), and stopped afterwards when this run started them.
  const imageTestEnv = join(root, 'tools/image-test/bin/image-test-env.sh');
  const engineWasUp = spawnSync(imageTestEnv, ['status'], { stdio: 'ignore' }).status === 0;
  if (!engineWasUp) spawnSync(imageTestEnv, ['start'], { stdio: 'inherit' });
  const nx = spawnSync(
    join(root, 'node_modules/.bin/nx'),
    ['run-many', '-t', ...NPM_TEST_TARGETS, '--parallel=2', '--outputStyle=static', ...extraNxArgs],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NX_TUI: 'false' } },
  );
  if (!engineWasUp) spawnSync(imageTestEnv, ['stop'], { stdio: 'inherit' });
  const summary = summarizeReports(join(root, TEST_REPORTS_FOLDER), nx.status === 0);
  process.stdout.write(`\n${summary.text}`);
  return summary.exitCode;
}

/**
 * The end of `npm test`: every skip named on its own line, then every failure, then `N passed, N failed` (`, N skipped` when
 * something did not run), summed over the reports in `reportsDir`. `nxSucceeded` false with no failure counted
 * (a failed build, a crashed runner) still counts one failure: that run must not look green.
 */
export function summarizeReports(
  reportsDir: string,
  nxSucceeded: boolean,
): { text: string; exitCode: number } {
  const reports = existsSync(reportsDir)
    ? // Recursive: a scoped project (@image-layers/lint) writes its report one folder down.
      filesUnder(reportsDir, (name) => name.endsWith('.json')).map(
        (file) => JSON.parse(readFileSync(file, 'utf8')) as TestReport,
      )
    : [];
  const passed = reports.reduce((sum, report) => sum + report.passed, 0);
  let failed = reports.reduce((sum, report) => sum + report.failed, 0);
  if (!nxSucceeded && failed === 0) failed = 1;
  const skipped = reports.flatMap((report) =>
    (report.skipped ?? []).map((skip) => `${report.project}: ${skip}`),
  );
  // Failures last, right above the count: the end of a long log is what CI shows.
  const failures = reports.flatMap((report) =>
    (report.failures ?? []).map((failure) => `${report.project}: ${failure}`),
  );
  if (!nxSucceeded && failures.length === 0)
    failures.push(
      'a build, typecheck, lint, docs or check target (they write no test report): Nx lists it above as a failed task',
    );
  const text = [
    ...skipped.map((skip) => `skipped: ${skip}`),
    ...failures.map((failure) => `failed: ${failure}`),
    closingLine(passed, failed, skipped.length),
  ].join('\n');
  return { text: `${text}\n`, exitCode: nxSucceeded && failed === 0 ? 0 : 1 };
}
