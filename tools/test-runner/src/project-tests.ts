import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { filesUnder } from '@image-layers/support/walk';

/** The counts `npm test` adds up for its closing line. */
export interface TestReport {
  project: string;
  passed: number;
  failed: number;
  /** What did not run, one line each (`file > test: reason`), so the closing line can name every skip. */
  skipped?: string[];
  /**
   * What failed, one line each (`file > test`), so the end of `npm test` names every failure: CI shows a reader
   * the tail of a long log, where the runners' own reports have scrolled away.
   */
  failures?: string[];
  runners: {
    runner: 'vitest' | 'python' | 'image';
    passed: number;
    failed: number;
    skipped?: string[];
    failures?: string[];
    exitCode: number;
  }[];
}

/** `N passed, N failed`, with `, N skipped` only when something did not run. */
export function closingLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/** Python tests run with Debian's interpreter: it has PyYAML (python3-yaml), like the image's adapter needs. */
export const PYTHON_FOR_TESTS = '/usr/bin/python3';

function runVitest(root: string, projectDir: string): TestReport['runners'][number] {
  const scratch = mkdtempSync(join(tmpdir(), 'image-layers-vitest-'));
  const reportFile = join(scratch, 'vitest.json');
  try {
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'vitest'),
      [
        'run',
        '--config',
        join(root, 'vitest.config.mts'),
        '--dir',
        relative(root, projectDir),
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    const counts = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as {
          numPassedTests: number;
          numFailedTests: number;
          testResults: {
            name: string;
            status: string;
            message?: string;
            assertionResults: { fullName: string; status: string }[];
          }[];
        })
      : undefined;
    // Skipped and todo tests are neither passed nor failed: they are counted as skipped and named, so the
    // closing line shows what did not run instead of hiding it in either number.
    const skipped = (counts?.testResults ?? []).flatMap((file) =>
      file.assertionResults
        .filter((test) => test.status !== 'passed' && test.status !== 'failed')
        .map((test) => `${relative(root, file.name)} > ${test.fullName}: ${test.status}`),
    );
    // A file that failed without a failing test (it did not load, a hook threw) is named with vitest's message.
    const failures = counts
      ? counts.testResults.flatMap((file) => {
          const failedTests = file.assertionResults
            .filter((test) => test.status === 'failed')
            .map((test) => `${relative(root, file.name)} > ${test.fullName}`);
          if (failedTests.length > 0 || file.status !== 'failed') return failedTests;
          return [`${relative(root, file.name)}: ${firstLine(file.message) || 'failed outside its tests'}`];
        })
      : [`${relative(root, projectDir)}: vitest wrote no report (exit ${run.status ?? run.signal})`];
    const failed = counts ? counts.numFailedTests : 1;
    return {
      runner: 'vitest',
      passed: counts?.numPassedTests ?? 0,
      failed,
      skipped,
      failures,
      exitCode: run.status ?? 1,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

function runPython(testDir: string): TestReport['runners'][number] {
  const scratch = mkdtempSync(join(tmpdir(), 'image-layers-python-'));
  const reportFile = join(scratch, 'python.json');
  try {
    if (!existsSync(PYTHON_FOR_TESTS)) {
      throw new Error(
        `${PYTHON_FOR_TESTS} is missing: install Debian's python3 and python3-yaml (npm test does this as root)`,
      );
    }
    const run = spawnSync(
      PYTHON_FOR_TESTS,
      ['-B', join(__dirname, 'run_python_tests.py'), testDir, reportFile],
      { stdio: 'inherit' },
    );
    const counts = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as {
          passed: number;
          failed: number;
          skipped: string[];
          failures: string[];
        })
      : {
          passed: 0,
          failed: 1,
          skipped: [],
          failures: [`${testDir}: the Python runner wrote no report (exit ${run.status ?? run.signal})`],
        };
    return { runner: 'python', ...counts, exitCode: run.status ?? 1 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs every test of one project: vitest for *.test.ts, Python's unittest for test_*.py under test/.
 * Writes the counts to `reportFile` and returns the exit code (non-zero if anything failed, or if
 * the project has no test at all: a project without tests proves nothing and must say so).
 */
export function runProjectTests(root: string, projectDir: string, reportFile: string): number {
  const project = relative(root, projectDir);
  // One name per runner (*.test.ts, test_*.py), as the README says: a file named like another convention's test
  // (*.spec.ts, *_test.py) would never run, so it is refused by name rather than collected under a second
  // convention nobody documented or silently left out of the count.
  const misnamed = filesUnder(
    projectDir,
    (name) => /\.spec\.[cm]?[jt]sx?$/.test(name) || /^(?!test_).*_test\.py$/.test(name),
    ['node_modules'],
  );
  if (misnamed.length > 0) {
    for (const file of misnamed) {
      const wanted = file.endsWith('.py') ? 'test_*.py' : '*.test.ts';
      process.stderr.write(
        `${relative(root, file)}: not a test name this runner collects; rename it to ${wanted}\n`,
      );
    }
    mkdirSync(dirname(reportFile), { recursive: true });
    const report: TestReport = {
      project,
      passed: 0,
      failed: misnamed.length,
      failures: misnamed.map((file) => `${relative(root, file)}: not a test name this runner collects`),
      runners: [],
    };
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    return 1;
  }
  const runners: TestReport['runners'] = [];
  if (filesUnder(projectDir, (name) => name.endsWith('.test.ts'), ['node_modules']).length > 0) {
    runners.push(runVitest(root, projectDir));
  }
  const pythonTests = join(projectDir, 'test');
  if (filesUnder(pythonTests, (name) => /^test_.*\.py$/.test(name)).length > 0)
    runners.push(runPython(pythonTests));

  const report: TestReport = {
    project,
    passed: runners.reduce((sum, runner) => sum + runner.passed, 0),
    failed: runners.reduce((sum, runner) => sum + runner.failed, 0),
    skipped: runners.flatMap((runner) => runner.skipped ?? []),
    failures: runners.flatMap((runner) => runner.failures ?? []),
    runners,
  };
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  if (runners.length === 0) {
    process.stderr.write(
      `${project}: no tests found (test/**/*.test.ts or test/test_*.py); every project must prove what it does\n`,
    );
    return 1;
  }
  for (const skip of report.skipped ?? []) process.stdout.write(`skipped: ${skip}\n`);
  process.stdout.write(
    `${project}: ${closingLine(report.passed, report.failed, report.skipped?.length ?? 0)}\n`,
  );
  return runners.every((runner) => runner.exitCode === 0) && report.failed === 0 ? 0 : 1;
}
