import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { connectTestEngine, EngineUnavailable } from './engine';
import { runImageTest } from './test-image';

// The harness end to end on a small workspace of its own, built for real on the local base by the project's
// engine (`npm test` brings it up; alone: tools/image-test/bin/image-test-env.sh start).
const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra });
const workspace = makeFixtureWorkspace({
  'packages/base/layer.json': null,
  'packages/base/layer.Dockerfile': null,
  'packages/user/layer.json': null,
  'packages/user/layer.Dockerfile': null,
  'packages/tools/layer.json': null,
  'packages/tools/layer.Dockerfile': null,
  'packages/tools/files/bin/hello': null,
  'packages/tools/files/conf/tools.conf': null,
  'apps/img/image.json': null,
  'apps/img/image.Dockerfile': null,
  'apps/img/files/start.sh': null,
  'packages/os/layer.json': layer('os', {
    base: true,
    options: {
      BASE_IMAGE: { type: 'string', default: 'debian:bookworm-slim', description: 'the base' },
      DOWNLOAD: { type: 'boolean', default: true, description: 'download something' },
    },
    network: [{ host: 'unreachable.example', step: 'the download', option: 'DOWNLOAD' }],
  }),
  'packages/os/layer.Dockerfile':
    'ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\nARG DOWNLOAD=true\nRUN test "$DOWNLOAD" = false && echo built > /etc/fixture-built\n',
  'packages/hello/layer.json': layer('hello', { requires: ['os'] }),
  'packages/hello/layer.Dockerfile': 'COPY hello /usr/local/bin/hello\nRUN chmod 0750 /usr/local/bin/hello\n',
  'packages/hello/files/hello': { text: '#!/bin/sh\necho hello\n', mode: 0o755 },
  'packages/hello/test/image-test.json': JSON.stringify({
    files: [
      { path: '/usr/local/bin/hello', type: 'file', mode: '0750', owner: 'root:root' },
      { path: '/usr/local/bin/hello', mode: '0755' },
    ],
    commands: [{ name: 'hello runs', run: ['hello'], stdout: ['^hello$'] }],
  }),
  'packages/broken/layer.json': layer('broken'),
  'packages/broken/layer.Dockerfile': 'RUN echo the step fails && false\n',
  'packages/broken/test/image-test.json': JSON.stringify({
    commands: [
      { name: 'a', run: ['true'] },
      { name: 'b', run: ['true'] },
    ],
  }),
  'packages/untested/layer.json': layer('untested'),
  'packages/untested/layer.Dockerfile': 'RUN true\n',
});
afterAll(workspace.cleanup);

let output = '';
afterEach(() => vi.restoreAllMocks());
async function imageTest(layerName: string) {
  output = '';
  const capture = (chunk: string | Uint8Array) => ((output += String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const reportFile = join(workspace.root, 'reports', `${layerName}.json`);
  const exitCode = await runImageTest(
    workspace.root,
    join(workspace.root, 'packages', layerName),
    reportFile,
  );
  vi.restoreAllMocks();
  return {
    exitCode,
    report: JSON.parse(readFileSync(reportFile, 'utf8')) as {
      passed: number;
      failed: number;
      skipped: string[];
      failures: string[];
      runners: { runner: string }[];
    },
  };
}

describe('an image test, built and asserted for real', () => {
  test('counts each assertion, says which failed and why, and names the step it did not run', async () => {
    const { exitCode, report } = await imageTest('hello');
    expect(exitCode, output).toBe(1);
    expect(report).toMatchObject({
      passed: 3,
      failed: 1,
      skipped: [
        'build step not run: os: the download (needs unreachable.example, which this machine cannot reach; built with DOWNLOAD=false)',
      ],
      failures: ['image test > /usr/local/bin/hello: 0755: mode: expected 0755, found 0750'],
      runners: [{ runner: 'image' }],
    });
    expect(output).toContain(
      'not run: os: the download (needs unreachable.example, which this machine cannot reach; built with DOWNLOAD=false)',
    );
    expect(output).toContain(
      'base adds: python3-yaml (beyond python3, pip and CA certificates, what python:3.11-slim gives)',
    );
    expect(output).toMatch(/✓ builds os -> hello on the local base/);
    expect(output).toContain('✓ /usr/local/bin/hello: file, 0750, root:root');
    expect(output).toContain('✗ /usr/local/bin/hello: 0755\n      mode: expected 0755, found 0750');
    expect(output).toContain('✓ hello runs');
    expect(output).toMatch(/packages\/hello image test: 3 passed, 1 failed, 1 skipped \(/);
  });

  test('a build that fails counts every assertion it prevented as failed, and shows the end of the build log', async () => {
    const { exitCode, report } = await imageTest('broken');
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ passed: 0, failed: 3 });
    expect(report.failures).toContain('image test > not run: the build failed (2 times)');
    expect(output).toContain('the step fails');
    expect(output).toContain('✗ not run: the build failed (2 checks)');
    expect(output).toMatch(/packages\/broken image test: 0 passed, 3 failed, 1 skipped \(/);
  });

  test('a layer without test/image-test.json fails, saying what to write', async () => {
    const { exitCode, report } = await imageTest('untested');
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(output).toMatch(
      /error no-image-test \[untested\] packages\/untested has no test\/image-test\.json/,
    );
  });
});

describe('without an engine', () => {
  test('an image test counts every assertion it could not run as failed, and the steps it would leave out as skipped', async () => {
    vi.stubEnv('IMAGE_TEST_DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    try {
      const { exitCode, report } = await imageTest('hello');
      expect(exitCode).toBe(1);
      // The build and the three assertions of hello's image-test.json.
      expect(report).toMatchObject({ passed: 0, failed: 4 });
      expect(report.skipped).toHaveLength(1);
      expect(report.failures).toEqual([
        expect.stringMatching(/^image test > builds on the local base: no Docker engine for image tests/),
        'image test > not run: no engine (3 times)',
      ]);
      expect(output).toContain('no Docker engine for image tests at unix:///nonexistent/docker.sock');
      expect(output).toContain('✗ not run: no engine (3 checks)');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('the image tests fail with one line that says how to get one', async () => {
    vi.stubEnv('IMAGE_TEST_DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    try {
      const error = await connectTestEngine().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineUnavailable);
      expect((error as Error).message).toMatch(
        /^no Docker engine for image tests at unix:\/\/\/nonexistent\/docker\.sock: run `.*tools\/image-test\/bin\/image-test-env\.sh start`/,
      );
      expect((error as Error).message).not.toContain('\n');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
