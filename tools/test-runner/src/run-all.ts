import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestReport } from './run-project-tests';

const REPORTS = join('dist', 'test-reports');

/**
 * `npm test`: installs the test tools, runs every project's build and test targets through Nx (cached
 * locally; pass --skip-nx-cache for a cold run, as CI does), then prints one closing line
 * `N passed, N failed` that counts every test of every runner, vitest and Python alike.
 */
export function runAllTests(root: string, extraNxArgs: string[]): number {
  const setup = spawnSync(join(root, 'tools/test-runner/bin/setup-test-tools.sh'), { stdio: 'inherit' });
  if (setup.status !== 0) {
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  }
  rmSync(join(root, REPORTS), { recursive: true, force: true });
  // Image tests need a Docker engine and the local base: brought up when missing (as root; otherwise each image
  // test fails saying how), and stopped afterwards when this run started them.
  const imageTestEnv = join(root, 'tools/image-test/bin/image-test-env.sh');
  const engineWasUp = spawnSync(imageTestEnv, ['status'], { stdio: 'ignore' }).status === 0;
  if (!engineWasUp) spawnSync(imageTestEnv, ['start'], { stdio: 'inherit' });
  const nx = spawnSync(
    join(root, 'node_modules/.bin/nx'),
    [
      'run-many',
      '-t',
      'build',
      'lint',
      'test',
      'image-test',
      '--parallel=2',
      '--outputStyle=static',
      ...extraNxArgs,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NX_TUI: 'false' } },
  );
  if (!engineWasUp) spawnSync(imageTestEnv, ['stop'], { stdio: 'inherit' });
  const reports = existsSync(join(root, REPORTS))
    ? readdirSync(join(root, REPORTS)).map(
        (file) => JSON.parse(readFileSync(join(root, REPORTS, file), 'utf8')) as TestReport,
      )
    : [];
  const passed = reports.reduce((sum, report) => sum + report.passed, 0);
  let failed = reports.reduce((sum, report) => sum + report.failed, 0);
  // A failed build or a crashed runner ran no test but must not look green in the count.
  if (nx.status !== 0 && failed === 0) failed = 1;
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  return nx.status === 0 && failed === 0 ? 0 : 1;
}
