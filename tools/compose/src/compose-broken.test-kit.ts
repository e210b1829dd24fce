import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type TestContext } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { composeImage } from './compose';
import {
  cli,
  makeFixtureWorkspace,
  snapshot,
  type FixtureFile,
} from '@image-layers/testing/fixture-workspace';
import { writeComposedImage } from './write';

/** Composes the valid fixture once, breaks it, composes again through the CLI: returns its standard error. */
export async function composeBroken(
  context: TestContext,
  overrides: Record<string, FixtureFile | null>,
  prepare?: (root: string) => void,
) {
  const workspace = makeFixtureWorkspace();
  // Concurrent tests must register cleanups on their own context, not through the global hook.
  context.onTestFinished(workspace.cleanup);
  const out = join(workspace.root, 'dist/apps/img');
  // The valid first output is written in-process (fast); the broken run goes through the real CLI.
  writeComposedImage(composeImage(join(workspace.root, 'apps/img')), out);
  const before = snapshot(out);
  for (const [path, file] of Object.entries(overrides)) workspace.write(path, file);
  prepare?.(workspace.root);
  const result = await runScript('node', [cli, 'compose', 'apps/img'], { cwd: workspace.root });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(snapshot(out)).toEqual(before);
  expect(readdirSync(join(workspace.root, 'dist/apps'))).toEqual(['img']);
  return result.stderr;
}
