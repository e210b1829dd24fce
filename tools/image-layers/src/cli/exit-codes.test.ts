import { describe, expect, test } from 'vitest';
import { cli, makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { runScript } from '@image-layers/testing';

// One table of what the user sees, through the real CLI: 0 done, 1 a problem in their files, 2 usage or environment;
// never a stack trace.
const workspace = makeFixtureWorkspace({ 'packages/user/layer.json': '{"name": "user",\n  "version": 1\n' });

describe('the CLI maps every error to one exit code and one message', () => {
  test.each([
    ['a composed image', ['compose', 'apps/img'], 1, /packages\/user\/layer\.json:\d+:\d+: error /],
    ['an unknown flag', ['compose', 'apps/img', '--bogus'], 2, /^error: unknown option '--bogus'/],
    ['an unknown command', ['nope'], 2, /^error: unknown command 'nope'/],
    [
      'a build argument without =',
      ['image', 'apps/img', '--build-arg', 'NOEQ'],
      2,
      /^error: --build-arg "NOEQ": expected NAME=value/,
    ],
    ['a missing layer folder', ['check', 'packages/none'], 1, /^packages\/none: error missing-manifest/],
    ['an image with no composed context', ['image', 'apps/img', '--context', 'dist/none'], 2, /^error: /],
  ])('%s', async (_what, args, code, message) => {
    const result = await runScript('node', [cli, ...args], {
      cwd: workspace.root,
      env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    expect(result.exitCode, result.stderr).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });

  test('done is 0, and --help too', async () => {
    const help = await runScript('node', [cli, '--help'], { cwd: workspace.root });
    expect(help.exitCode, help.stderr + help.stdout).toBe(0);
    const imageHelp = await runScript('node', [cli, 'image', '--help'], { cwd: workspace.root });
    expect(imageHelp.stdout).toContain('--build-arg <NAME=value>');
  });
});
