import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { makeTempDir } from '@image-layers/support/workspace';
import { checkCommand, checkFile, checkMetadata, checkProcess, checkUser, runChecks } from './assertions';
import type { Container } from './container';
import {
  commandAssertion,
  fileAssertion,
  metadataAssertion,
  processAssertion,
  userAssertion,
} from '@image-layers/manifest/image-test-schema';

// Assertions never name an engine: here they run through a driver that executes on this host, so what they
// assert is checked apart from Docker (the image tests run the same code through Docker's driver).
const host: Container = {
  exec: (argv, options = {}) =>
    runScript(argv[0]!, argv.slice(1), { env: options.env, input: options.stdin, cwd: options.workdir }),
  logs: async () => '',
  running: async () => true,
  remove: async () => undefined,
};
const temp = makeTempDir('assertions-test-');
afterAll(temp.cleanup);
const file = join(temp.path, 'agent-t4');
writeFileSync(file, 'agent ALL=(ALL) NOPASSWD:ALL\n');
chmodSync(file, 0o440);
mkdirSync(join(temp.path, 'folder'));
symlinkSync('/root/.claude/sessions', join(temp.path, 'link'));
const fill = (text: string) => text;

describe('file assertions', () => {
  test('pass on type, mode, owner and content that match', async () => {
    const result = await checkFile(
      host,
      fileAssertion.parse({
        path: file,
        type: 'file',
        mode: '0440',
        owner: 'root:root',
        contains: ['^agent ALL=\\(ALL\\) NOPASSWD:ALL$'],
      }),
    );
    expect(result).toEqual({
      name: `${file}: file, 0440, root:root with the expected content`,
      passed: true,
    });
  });

  test('fail saying what was expected and what was found', async () => {
    const result = await checkFile(
      host,
      fileAssertion.parse({ path: file, mode: '0644', owner: 'agent:agent', excludes: ['NOPASSWD'] }),
    );
    expect(result.passed).toBe(false);
    expect(result.detail).toBe(
      'mode: expected 0644, found 0440; owner: expected agent:agent, found root:root; content matches /NOPASSWD/, which it must not',
    );
  });

  test('tell folders, links and their targets, and missing paths apart', async () => {
    expect(
      (await checkFile(host, fileAssertion.parse({ path: join(temp.path, 'folder'), type: 'directory' })))
        .passed,
    ).toBe(true);
    expect(
      (
        await checkFile(
          host,
          fileAssertion.parse({
            path: join(temp.path, 'link'),
            type: 'symlink',
            target: '/root/.claude/sessions',
          }),
        )
      ).passed,
    ).toBe(true);
    expect(
      (await checkFile(host, fileAssertion.parse({ path: join(temp.path, 'link'), target: '/elsewhere' })))
        .detail,
    ).toBe('link target: expected /elsewhere, found /root/.claude/sessions');
    expect(
      (await checkFile(host, fileAssertion.parse({ path: join(temp.path, 'none'), exists: false }))).passed,
    ).toBe(true);
    expect((await checkFile(host, fileAssertion.parse({ path: join(temp.path, 'none') }))).detail).toMatch(
      /^missing: /,
    );
  });
});

describe('user, command and process assertions', () => {
  test('a user is checked through getent and id', async () => {
    expect(
      await checkUser(
        host,
        userAssertion.parse({ name: 'root', uid: 0, gid: 0, home: '/root', groups: ['root'] }),
      ),
    ).toMatchObject({ passed: true, name: 'user root: uid 0, gid 0, home /root, in root' });
    expect((await checkUser(host, userAssertion.parse({ name: 'root', uid: 1000 }))).detail).toBe(
      'uid: expected 1000, found 0',
    );
    expect((await checkUser(host, userAssertion.parse({ name: 'no-such-user-here' }))).passed).toBe(false);
  });

  test('a command is checked on exit code, standard output and error, with its environment and input', async () => {
    const ok = commandAssertion.parse({
      name: 'reads its input',
      run: ['sh', '-c', 'cat; echo "$GREETING" >&2'],
      env: { GREETING: 'hi' },
      stdin: 'line\n',
      stdout: ['^line$'],
      stderr: ['^hi$'],
    });
    expect(await checkCommand(host, ok, fill)).toEqual({ name: 'reads its input', passed: true });
    const wrong = commandAssertion.parse({
      name: 'fails',
      run: ['sh', '-c', 'echo out; exit 3'],
      stdoutExcludes: ['out'],
    });
    expect((await checkCommand(host, wrong, fill)).detail).toMatch(
      /^exit code: expected 0, found 3; standard output matches \/out\/, which it must not/,
    );
  });

  test("{{placeholders}} in a command are filled with the host services' values", async () => {
    const command = commandAssertion.parse({
      name: 'filled',
      run: ['echo', '{{gitHttp.repoUrl}}'],
      stdout: ['^http://127\\.0\\.0\\.1:1/repo\\.git$'],
    });
    expect(
      (
        await checkCommand(host, command, (text) =>
          text.replace('{{gitHttp.repoUrl}}', 'http://127.0.0.1:1/repo.git'),
        )
      ).passed,
    ).toBe(true);
  });

  test('a process is found by its command line, uid and pid', async () => {
    expect(
      (
        await checkProcess(
          host,
          processAssertion.parse({ name: 'this test runner runs as root', commandLine: 'vitest', uid: 0 }),
        )
      ).passed,
    ).toBe(true);
    const missing = await checkProcess(
      host,
      processAssertion.parse({ name: 'no such process', commandLine: 'no-such-process-anywhere' }),
    );
    expect(missing.detail).toMatch(/^no process matches \/no-such-process-anywhere\/; processes:/);
  });

  test('an observation that is not true yet is retried while the container settles', async () => {
    const late = join(temp.path, 'late');
    setTimeout(() => writeFileSync(late, ''), 400);
    const results = await runChecks(
      host,
      { files: [fileAssertion.parse({ path: late })], users: [], groups: [], commands: [], processes: [] },
      fill,
      5_000,
    );
    expect(results[0]!.passed).toBe(true);
  });
});

describe('metadata assertions', () => {
  test("compare the image's config field by field", () => {
    const config = {
      Env: ['PATH=/usr/bin', 'ADAPTER_MODULE=adapter'],
      WorkingDir: '/app',
      User: '',
      Entrypoint: ['/entrypoint.sh'],
      Cmd: null,
    };
    const results = checkMetadata(
      config,
      metadataAssertion.parse({
        env: { ADAPTER_MODULE: 'adapter', PYTHONPATH: '/app' },
        workdir: '/app',
        user: '',
        entrypoint: ['/entrypoint.sh'],
        cmd: [],
      }),
    );
    expect(results.map((result) => [result.name, result.passed, result.detail])).toEqual([
      ['config: ENV ADAPTER_MODULE=adapter', true, undefined],
      ['config: ENV PYTHONPATH=/app', false, 'found no PYTHONPATH'],
      ['config: WORKDIR /app', true, undefined],
      ['config: USER (none)', true, undefined],
      ['config: ENTRYPOINT ["/entrypoint.sh"]', true, undefined],
      ['config: CMD []', true, undefined],
    ]);
  });
});
