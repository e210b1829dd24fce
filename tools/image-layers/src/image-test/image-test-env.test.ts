import { describe, expect, test } from 'vitest';
import { runScript } from '../testing/processes';
import { shellcheckFindings } from '../testing/shellcheck';
import { makeTempDir } from '../testing/workspace';
import { imageTestEnvScript } from './engine';

// The script's start and stop are what every image test runs on (`npm test` starts and stops it); here, what
// can be checked without touching the engine the other tests use.
describe('tools/image-layers/bin/image-test-env.sh', () => {
  test('is clean under shellcheck', () => {
    expect(shellcheckFindings(imageTestEnvScript)).toBe('');
  });

  test('env names the engine socket and the base image of its state folder', async () => {
    const temp = makeTempDir('image-test-state-');
    try {
      const result = await runScript(imageTestEnvScript, ['env'], { env: { IMAGE_TEST_DIR: temp.path } });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        /^DOCKER_HOST=unix:\/\/\/run\/image-layers-[0-9a-f]{12}\/docker\.sock\nIMAGE_TEST_BASE=image-layers-test\/base:bookworm-[0-9a-f]{12}\n$/,
      );
    } finally {
      temp.cleanup();
    }
  });

  test('status exits 3 and says how to start when no engine runs for a state folder', async () => {
    const temp = makeTempDir('image-test-state-');
    try {
      const result = await runScript(imageTestEnvScript, ['status'], { env: { IMAGE_TEST_DIR: temp.path } });
      expect(result.exitCode).toBe(3);
      expect(result.stdout).toMatch(
        /no engine at unix:\/\/\/run\/image-layers-[0-9a-f]{12}\/docker\.sock \(start one: .*image-test-env\.sh start\)/,
      );
    } finally {
      temp.cleanup();
    }
  });

  test('stop with nothing started is a no-op, and an unknown command is a usage error', async () => {
    const temp = makeTempDir('image-test-state-');
    try {
      expect(
        await runScript(imageTestEnvScript, ['stop'], { env: { IMAGE_TEST_DIR: temp.path } }),
      ).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('nothing to stop') });
      expect(await runScript(imageTestEnvScript, ['restart'])).toMatchObject({
        exitCode: 2,
        stderr: expect.stringContaining('usage:'),
      });
    } finally {
      temp.cleanup();
    }
  });
});
