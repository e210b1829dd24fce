// Time and peak memory of the linter and the git token helper on the pathological inputs of the security model
// (README, "Security model"): each must end quickly, in bounded memory, with a finding or one clear line. Run:
//   npm run bench:hostile
// Each case runs once under GNU time (Debian's `time` package: /usr/bin/time); nothing here is asserted by a test,
// the behaviour is (src/lint/hostile-input.test.ts, packages/git-auth/test/token-helper-untrusted.test.ts).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const TIME = '/usr/bin/time';

interface Measured {
  seconds: number;
  peakMiB: number;
  exitCode: number;
  stderr: string;
}

/** Runs a command under GNU time, asynchronously (the token helper's platform is served from this process). */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  return new Promise((done, fail) => {
    const child = spawn(TIME, ['-f', '@@time %e %M', command, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const match = /@@time ([\d.]+) (\d+)/.exec(stderr);
      if (!match) return fail(new Error(`no figures from ${TIME}: ${stderr.slice(-300)}`));
      done({
        seconds: Number(match[1]),
        peakMiB: Number(match[2]) / 1024,
        exitCode: code ?? -1,
        stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?@@time.*\n?$/, '').trim(),
      });
    });
  });
}

const row = (what: string, m: Measured) =>
  `${what.padEnd(58)} ${m.seconds.toFixed(2).padStart(6)} s ${m.peakMiB.toFixed(0).padStart(6)} MiB  exit ${m.exitCode}  ${m.stderr.split('\n').at(-1)!.slice(0, 90)}`;

async function main(): Promise<void> {
  if (!existsSync(TIME)) {
    process.stderr.write(`error: ${TIME} is missing: apt-get install -y time\n`);
    process.exit(2);
  }
  const temp = mkdtempSync(join(tmpdir(), 'hostile-bench-'));
  try {
    const file = (name: string, text: string) => {
      writeFileSync(join(temp, name), text);
      return join(temp, name);
    };
    const fifo = join(temp, 'pipe.Dockerfile');
    execFileSync('mkfifo', [fifo]);
    const cli = join(root, 'tools/image-layers/bin/image-layers.js');
    const lint = (path: string) => measure(process.execPath, [cli, 'lint', '--format', 'json', path]);
    const cases: [string, string][] = [
      ['lint: a FIFO as the Dockerfile', fifo],
      ['lint: /dev/zero', '/dev/zero'],
      [
        'lint: 10 MB on one line (refused: over 1 MiB)',
        file('huge', `FROM debian:12\nRUN echo ${'a'.repeat(1e7)}\n`),
      ],
      [
        'lint: 1,000,000 bytes on one line (linted)',
        file('long', `FROM debian:12\nRUN echo ${'a'.repeat(1e6)}\n`),
      ],
      [
        'lint: 90,000 `&&` continuations',
        file('chain', `FROM debian:12\nRUN true${' \\\n && true'.repeat(90_000)}\n`),
      ],
      [
        'lint: 3,000 nested `$(`',
        file('nest', `FROM debian:12\nRUN echo ${'$('.repeat(3000)}x${')'.repeat(3000)}\n`),
      ],
      [
        'lint: 100,000 nested `$(`',
        file('nest2', `FROM debian:12\nRUN echo ${'$('.repeat(1e5)}x${')'.repeat(1e5)}\n`),
      ],
    ];
    const lines: string[] = [];
    for (const [what, path] of cases) lines.push(row(what, await lint(path)));

    // The token helper against a platform whose answer never ends (1 GiB, chunked): it reads 64 KiB + 1 and stops.
    let served = 0;
    const platform = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 'a');
      const send = () => {
        while (served < 1 << 30) {
          served += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', send);
        }
        response.end();
      };
      response.on('close', () => undefined);
      send();
    });
    await new Promise<void>((ready) => platform.listen(0, '127.0.0.1', ready));
    const home = join(temp, 'home');
    const configs = join(temp, 'configs');
    mkdirSync(home);
    mkdirSync(configs);
    writeFileSync(join(configs, '.auth_token'), 'workspace-auth-token\n');
    const helper = join(root, 'packages/git-auth/files/scripts/molecule-git-token-helper.sh');
    const measured = await measure(helper, ['_fetch_token'], {
      ...process.env,
      HOME: home,
      CONFIGS_DIR: configs,
      PLATFORM_URL: `http://127.0.0.1:${(platform.address() as AddressInfo).port}`,
      GITHUB_TOKEN: 'fallback-token',
    });
    platform.close();
    lines.push(
      row(
        `token helper: a 1 GiB answer (${(served / 2 ** 20).toFixed(0)} MiB sent before it hung up)`,
        measured,
      ),
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

void main();
