import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, runScript, workspaceRoot } from '@image-layers/testing';
import type { TestReport } from './project-tests';
import { testReportPath } from './report-path';
import { summarizeReports } from './npm-test';

// The runner's own proofs: small projects in a temporary workspace (its own nx.json, the repository's
// vitest.config.mts and node_modules), run through `image-layers test` with the real vitest and python3.
const CLI = join(workspaceRoot, 'tools/image-layers/bin/image-layers.js');

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ path: root, cleanup } = makeTempDir('image-layers-runner-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  copyFileSync(join(workspaceRoot, 'vitest.config.mts'), join(root, 'vitest.config.mts'));
  symlinkSync(join(workspaceRoot, 'node_modules'), join(root, 'node_modules'));
});
afterEach(() => cleanup());

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

async function runTests(project: string): Promise<{ exitCode: number; output: string; report: TestReport }> {
  const reportFile = testReportPath(project.replaceAll('/', '-'));
  const run = await runScript(process.execPath, [CLI, 'test', join(root, project), '--report', reportFile], {
    cwd: root,
    timeoutMs: 120_000,
  });
  const report = JSON.parse(readFileSync(join(root, reportFile), 'utf8')) as TestReport;
  return { exitCode: run.exitCode, output: run.stdout + run.stderr, report };
}

describe('Python tests', () => {
  it('counts each subtest as one result: 5 failing subtests beside 1 passing test are 1 passed, 5 failed', async () => {
    write(
      'packages/py/test/test_subtests.py',
      `import unittest


class T(unittest.TestCase):
    def test_passes(self):
        self.assertTrue(True)

    def test_five_failing_subtests(self):
        for i in range(5):
            with self.subTest(i=i):
                self.assertEqual(i, -1)
`,
    );
    const { exitCode, output, report } = await runTests('packages/py');
    expect(report).toMatchObject({ passed: 1, failed: 5, skipped: [] });
    expect(report.failures).toEqual(
      [0, 1, 2, 3, 4].map((i) => `test_subtests.T.test_five_failing_subtests (i=${i})`),
    );
    expect(output).toContain('packages/py: 1 passed, 5 failed\n');
    expect(exitCode).toBe(1);
  });

  it('counts passing subtests one each, and a failure after the subtests once more', async () => {
    write(
      'packages/py/test/test_subtests.py',
      `import unittest


class T(unittest.TestCase):
    def test_three_passing_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertEqual(i, i)

    def test_two_passing_subtests_then_a_failure(self):
        for i in range(2):
            with self.subTest(i=i):
                self.assertEqual(i, i)
        self.fail("after the subtests")
`,
    );
    const { report } = await runTests('packages/py');
    expect(report).toMatchObject({ passed: 5, failed: 1 });
  });

  it('counts an expected failure as passed, an unexpected success as failed and a skip as skipped, named', async () => {
    write(
      'packages/py/test/test_expectations.py',
      `import unittest


class T(unittest.TestCase):
    @unittest.expectedFailure
    def test_known_bug(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_bug_fixed_meanwhile(self):
        self.assertEqual(1, 1)

    @unittest.skip("needs the platform")
    def test_platform(self):
        self.fail("never runs")

    def test_errors(self):
        raise RuntimeError("boom")
`,
    );
    const { exitCode, output, report } = await runTests('packages/py');
    expect(report).toMatchObject({
      passed: 1,
      failed: 2,
      skipped: ['test_expectations.T.test_platform: needs the platform'],
      failures: [
        'test_expectations.T.test_bug_fixed_meanwhile: passed, but is marked expectedFailure',
        'test_expectations.T.test_errors: RuntimeError',
      ],
    });
    expect(output).toContain('skipped: test_expectations.T.test_platform: needs the platform\n');
    expect(output).toContain('packages/py: 1 passed, 2 failed, 1 skipped\n');
    expect(exitCode).toBe(1);
  });

  it('passes a project whose only non-passing test is skipped, and still names the skip', async () => {
    write(
      'packages/py/test/test_skip.py',
      `import unittest


class T(unittest.TestCase):
    def test_passes(self):
        pass

    @unittest.skipIf(True, "not on this machine")
    def test_skipped(self):
        pass
`,
    );
    const { exitCode, output, report } = await runTests('packages/py');
    expect(report).toMatchObject({
      passed: 1,
      failed: 0,
      skipped: ['test_skip.T.test_skipped: not on this machine'],
    });
    expect(output).toContain('packages/py: 1 passed, 0 failed, 1 skipped\n');
    expect(exitCode).toBe(0);
  });
});

describe('vitest tests', () => {
  it('counts passes and failures, and names skipped and todo tests as skipped', async () => {
    write(
      'packages/ts/test/a.test.ts',
      `import { expect, it } from 'vitest';
it('passes', () => expect(1).toBe(1));
it('fails', () => expect(1).toBe(2));
it.skip('is skipped', () => expect(1).toBe(1));
it.todo('is to do');
`,
    );
    const { exitCode, output, report } = await runTests('packages/ts');
    expect(report).toMatchObject({
      passed: 1,
      failed: 1,
      skipped: [
        'packages/ts/test/a.test.ts > is skipped: skipped',
        'packages/ts/test/a.test.ts > is to do: todo',
      ],
      failures: ['packages/ts/test/a.test.ts > fails'],
    });
    expect(output).toContain('packages/ts: 1 passed, 1 failed, 2 skipped\n');
    expect(exitCode).toBe(1);
  });

  it('fails a test that asserts nothing (expect.requireAssertions)', async () => {
    write(
      'packages/ts/test/a.test.ts',
      `import { expect, it } from 'vitest';
it('asserts', () => expect(1).toBe(1));
it('asserts nothing', () => {});
`,
    );
    const { exitCode, report } = await runTests('packages/ts');
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    expect(exitCode).toBe(1);
  });

  it('names a test file that fails before any test runs, with its error', async () => {
    write(
      'packages/ts/test/a.test.ts',
      `import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n`,
    );
    write('packages/ts/test/b.test.ts', `throw new Error('module b cannot load');\n`);
    const { exitCode, report } = await runTests('packages/ts');
    expect(report.failures).toEqual([
      expect.stringMatching(/^packages\/ts\/test\/b\.test\.ts: .*module b cannot load/),
    ]);
    expect(exitCode).toBe(1);
  });
});

describe('test files the runner does not collect', () => {
  it.each([
    ['packages/ts/test/a.spec.ts', '*.test.ts'],
    ['packages/py/test/adapter_test.py', 'test_*.py'],
  ])('refuses %s by name instead of leaving it out of the count', async (file, wanted) => {
    const project = file.split('/').slice(0, 2).join('/');
    write(
      `${project}/test/ok.test.ts`,
      `import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n`,
    );
    write(
      file,
      file.endsWith('.py') ? 'import unittest\n' : `import { it } from 'vitest';\nit('x', () => {});\n`,
    );
    const { exitCode, output, report } = await runTests(project);
    expect(output).toContain(`${file}: not a test name this runner collects; rename it to ${wanted}`);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(exitCode).toBe(1);
  });
});

describe("npm test's closing line", () => {
  function reports(...list: TestReport[]): string {
    const dir = join(root, 'reports');
    mkdirSync(dir);
    list.forEach((report, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify(report)));
    return dir;
  }

  it('is exactly `N passed, N failed` when nothing was skipped', () => {
    const dir = reports(
      { project: 'a', passed: 3, failed: 0, runners: [] },
      { project: 'b', passed: 2, failed: 1, skipped: [], runners: [] },
    );
    expect(summarizeReports(dir, true)).toEqual({ text: '5 passed, 1 failed\n', exitCode: 1 });
  });

  it('names each skip above `N passed, N failed, N skipped`', () => {
    const dir = reports(
      { project: 'a', passed: 3, failed: 0, skipped: ['t.T.test_x: needs the platform'], runners: [] },
      {
        project: 'b',
        passed: 2,
        failed: 0,
        skipped: ['build step "apt" (needs deb.example.org)'],
        runners: [],
      },
    );
    expect(summarizeReports(dir, true)).toEqual({
      text:
        'skipped: a: t.T.test_x: needs the platform\n' +
        'skipped: b: build step "apt" (needs deb.example.org)\n' +
        '5 passed, 0 failed, 2 skipped\n',
      exitCode: 0,
    });
  });

  it('names each failure right above the count, after the skips', () => {
    const dir = reports(
      {
        project: 'a',
        passed: 3,
        failed: 1,
        skipped: ['x: not here'],
        failures: ['t.test.ts > breaks'],
        runners: [],
      },
      {
        project: 'b',
        passed: 2,
        failed: 1,
        failures: ['image test > builds on the local base: exit 1'],
        runners: [],
      },
    );
    expect(summarizeReports(dir, false)).toEqual({
      text:
        'skipped: a: x: not here\n' +
        'failed: a: t.test.ts > breaks\n' +
        'failed: b: image test > builds on the local base: exit 1\n' +
        '5 passed, 2 failed, 1 skipped\n',
      exitCode: 1,
    });
  });

  it('counts and names one failure when Nx failed but no report counted one', () => {
    const dir = reports({ project: 'a', passed: 3, failed: 0, runners: [] });
    expect(summarizeReports(dir, false)).toEqual({
      text:
        'failed: a build, typecheck, lint, docs or check target (they write no test report): Nx lists it above as a failed task\n' +
        '3 passed, 1 failed\n',
      exitCode: 1,
    });
  });
});
