import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** The counts `npm test` adds up for its closing line. */
export interface TestReport {
  project: string;
  passed: number;
  failed: number;
  runners: { runner: 'vitest' | 'python' | 'image'; passed: number; failed: number; exitCode: number }[];
}

/** Python tests run with Debian's interpreter: it has PyYAML (python3-yaml), like the image's adapter needs. */
export const PYTHON_FOR_TESTS = '/usr/bin/python3';

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && match(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

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
          numPendingTests: number;
          numTodoTests: number;
        })
      : undefined;
    // Skipped and todo tests count as failed: a test that did not run proves nothing.
    const failed = counts ? counts.numFailedTests + counts.numPendingTests + counts.numTodoTests : 1;
    return { runner: 'vitest', passed: counts?.numPassedTests ?? 0, failed, exitCode: run.status ?? 1 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
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
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { passed: number; failed: number })
      : { passed: 0, failed: 1 };
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
  const runners: TestReport['runners'] = [];
  if (
    filesUnder(projectDir, (name) => name.endsWith('.test.ts')).some((file) => !file.includes('node_modules'))
  ) {
    runners.push(runVitest(root, projectDir));
  }
  const pythonTests = join(projectDir, 'test');
  if (filesUnder(pythonTests, (name) => /^test_.*\.py$/.test(name)).length > 0)
    runners.push(runPython(pythonTests));

  const report: TestReport = {
    project,
    passed: runners.reduce((sum, runner) => sum + runner.passed, 0),
    failed: runners.reduce((sum, runner) => sum + runner.failed, 0),
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
  process.stdout.write(`${project}: ${report.passed} passed, ${report.failed} failed\n`);
  return runners.every((runner) => runner.exitCode === 0) && report.failed === 0 ? 0 : 1;
}
