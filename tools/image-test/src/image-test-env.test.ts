import { describe, expect, test } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { requireTool } from '@image-layers/support/tools';
import { shellcheckFindings } from '@image-layers/testing/shellcheck';
import { makeTempDir } from '@image-layers/support/workspace';
import { imageTestEnvScript } from './engine';

// The script's start and stop are what every image test runs on (`npm test` starts and stops it); here, what
// can be checked without touching the engine the other tests use.
describe('tools/image-test/bin/image-test-env.sh', () => {
  test('is clean under shellcheck', () => {
    expect(shellcheckFindings(imageTestEnvScript)).toBe('');
  });

  test('env names the engine socket and the base image of its state folder', async () => {
    const temp = makeTempDir('image-test-state-');
    try {
      const result = await runScript(imageTestEnvScript, ['env'], { env: { IMAGE_TEST_DIR: temp.path } });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        /^DOCKER_HOST=unix:\/\/\/run\/image-layers-[0-9a-f]{12}\/docker\.sock\nIMAGE_TEST_BASE=image-layers-test\/base:trixie-[0-9a-f]{12}\nIMAGE_TEST_BASE_ADDS=python3-yaml\nIMAGE_TEST_MIRROR=.*\n$/,
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

  // The host's apt sources and added certificates are hidden for one run by mounts in a private mount namespace
  // (nothing on the host changes): the script must still run, and say which mirror it would debootstrap from.
  async function envOnHostWith(setup: { sourcesList?: string; debSources?: string }) {
    const unshare = requireTool('unshare');
    const temp = makeTempDir('image-test-host-');
    try {
      const hide = [
        'set -eu',
        // An empty /etc/apt with only the files this case has; /usr/local/share without ca-certificates/.
        'mount -t tmpfs none /etc/apt',
        'mkdir -p /etc/apt/sources.list.d',
        'if [ -n "$SOURCES_LIST" ]; then printf "%s\\n" "$SOURCES_LIST" > /etc/apt/sources.list; fi',
        'if [ -n "$DEB_SOURCES" ]; then printf "%s\\n" "$DEB_SOURCES" > /etc/apt/sources.list.d/debian.sources; fi',
        'mount -t tmpfs none /usr/local/share',
        'exec "$@"',
      ].join('\n');
      return await runScript(unshare, ['--mount', 'sh', '-c', hide, 'hide-host', imageTestEnvScript, 'env'], {
        env: {
          IMAGE_TEST_DIR: temp.path,
          SOURCES_LIST: setup.sourcesList ?? '',
          DEB_SOURCES: setup.debSources ?? '',
        },
      });
    } finally {
      temp.cleanup();
    }
  }

  test('a host with only a one-line sources.list and no added certificates: its mirror, no silent exit', async () => {
    const result = await envOnHostWith({
      sourcesList: [
        'deb http://security.example.org/debian-security bookworm-security main',
        'deb [arch=amd64] http://mirror.example.org/debian bookworm main',
      ].join('\n'),
    });
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain('IMAGE_TEST_MIRROR=http://mirror.example.org/debian\n');
  });

  test('a deb822 source wins over the one-line file, security suites left out', async () => {
    const result = await envOnHostWith({
      sourcesList: 'deb http://one-line.example.org/debian bookworm main',
      debSources: [
        'Types: deb',
        'URIs: http://security.example.org/debian-security',
        '',
        'Types: deb',
        'URIs: http://deb822.example.org/debian',
      ].join('\n'),
    });
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain('IMAGE_TEST_MIRROR=http://deb822.example.org/debian\n');
  });

  test('a host with no apt sources at all leaves the mirror to debootstrap', async () => {
    const result = await envOnHostWith({});
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/IMAGE_TEST_MIRROR=\n$/);
  });
});
