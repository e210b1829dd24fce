import { join } from 'node:path';

// Where each test target writes its counts and `npm test` reads them back: one definition for the Nx plugin
// (the targets' --report and outputs), the runner and their tests.

/** The folder of every project's test report, relative to the workspace root. */
export const TEST_REPORTS_FOLDER = join('dist', 'test-reports');

/** A report file relative to the workspace root, e.g. dist/test-reports/git-auth.json (or git-auth.image-test). */
export const testReportPath = (name: string): string => `${TEST_REPORTS_FOLDER}/${name}.json`;
