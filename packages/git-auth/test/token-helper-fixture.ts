// The token helper's test bench: a stand-in platform on 127.0.0.1, a private HOME and CONFIGS_DIR, and a
// runner that checks on every run that no planted secret reaches standard error.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  layerFile,
  makeTempDir,
  requireTool,
  runScript,
  startHttpServer,
  type LocalHttpServer,
  type ScriptRun,
} from '@image-layers/testing';

export const helperScript = layerFile('git-auth', 'scripts/molecule-git-token-helper.sh');

/** Planted secrets: each may reach standard output where the contract says so, never standard error. */
export const TOKEN = 'ghs_plantedPlatformToken7f3a9c';
export const AUTH_TOKEN = 'planted-workspace-auth-2b8e';
export const BODY_SECRET = 'planted-body-secret-d41c';
export const ENV_TOKEN = 'planted-env-token-90aa';
const SECRETS = [TOKEN, AUTH_TOKEN, BODY_SECRET, ENV_TOKEN];

/** git's request on standard input for `get`. */
export const GIT_REQUEST = 'protocol=https\nhost=github.com\npath=acme/widgets.git\n\n';
export const gitAnswer = (token: string) => `username=x-access-token\npassword=${token}\n\n`;

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/** Ways the stand-in platform answers; every body carries a planted secret. */
export const answers = {
  json(status: number, body: unknown): Answer {
    return (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
  },
  token(token = TOKEN): Answer {
    return answers.json(200, { token, expires_at: '2099-01-01T00:00:00Z', note: BODY_SECRET });
  },
  raw(status: number, body: string): Answer {
    return (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(body);
    };
  },
  /** Accepts the request and never answers, to run the client into its time limit. */
  stall(): Answer {
    return () => undefined;
  },
  /**
   * A valid token answer padded to `bytes` (a JSON string of 'a's), sent with a Content-Length or chunked;
   * `bytes` Infinity streams chunks until the client hangs up.
   */
  huge(bytes: number, { chunked }: { chunked: boolean }): Answer {
    const head = `{"token":"${TOKEN}","note":"${BODY_SECRET}","pad":"`;
    const tail = '"}';
    const chunk = Buffer.alloc(64 * 1024, 'a');
    return (_req, res) => {
      const headers: Record<string, string | number> = { 'Content-Type': 'application/json' };
      if (!chunked) headers['Content-Length'] = bytes;
      res.writeHead(200, headers);
      res.write(head);
      let left = bytes - head.length - tail.length;
      // Writes while the client reads (backpressure), so a client that stops reading stops the server.
      const pump = () => {
        while (!res.destroyed && left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end(tail);
      };
      pump();
    };
  },
};

export interface HelperBench {
  platform: LocalHttpServer;
  home: string;
  configs: string;
  cacheDir: string;
  /** A folder of stand-in executables, first on PATH when a run passes `withFakeBin`. */
  fakeBin: string;
  answerWith(answer: Answer): void;
  writeAuthToken(content: string): void;
  /** Runs the helper; asserts that standard error holds no secret and standard output no auth or body secret. */
  run(
    args: string[],
    options?: {
      input?: string;
      /** Added to the bench's variables; undefined removes one. */
      env?: Record<string, string | undefined>;
      withFakeBin?: boolean;
      timeoutMs?: number;
    },
  ): Promise<ScriptRun>;
  close(): Promise<void>;
}

export async function startHelperBench(): Promise<HelperBench> {
  requireTool('curl');
  requireTool('python3');
  const temp = makeTempDir('token-helper-');
  const home = join(temp.path, 'home');
  const configs = join(temp.path, 'configs');
  const fakeBin = join(temp.path, 'bin');
  for (const dir of [home, configs, fakeBin]) mkdirSync(dir);
  let answer: Answer = answers.token();
  const platform = await startHttpServer((req, res) => answer(req, res));
  const writeAuthToken = (content: string) => writeFileSync(join(configs, '.auth_token'), content);
  // Surrounding whitespace of every kind (HTTP itself would drop trailing spaces and tabs): the helper trims it.
  writeAuthToken(`\t ${AUTH_TOKEN}\f \n\n`);

  return {
    platform,
    home,
    configs,
    cacheDir: join(home, '.molecule-token-cache'),
    fakeBin,
    answerWith: (next) => (answer = next),
    writeAuthToken,
    async run(args, options = {}) {
      const run = await runScript(helperScript, args, {
        input: options.input ?? '',
        timeoutMs: options.timeoutMs ?? 20_000,
        env: {
          HOME: home,
          PLATFORM_URL: platform.url,
          CONFIGS_DIR: configs,
          ...(options.withFakeBin ? { PATH: `${fakeBin}:${process.env.PATH ?? '/usr/bin:/bin'}` } : {}),
          ...options.env,
        },
      });
      for (const secret of SECRETS) expect(run.stderr).not.toContain(secret);
      for (const secret of [AUTH_TOKEN, BODY_SECRET]) expect(run.stdout).not.toContain(secret);
      return run;
    },
    async close() {
      await platform.close();
      temp.cleanup();
    },
  };
}

/**
 * Plants a cache as the helper would find it: a token file and a fresh expiry (10 minutes ahead) in the
 * cache folder, private (folder 700, files 600) unless a test says otherwise.
 */
export function plantCache(
  bench: HelperBench,
  token: string | Buffer,
  { dirMode = 0o700, fileMode = 0o600 }: { dirMode?: number; fileMode?: number } = {},
): { token: string; expiry: string } {
  mkdirSync(bench.cacheDir, { recursive: true });
  chmodSync(bench.cacheDir, dirMode);
  const files = { token: join(bench.cacheDir, 'token'), expiry: join(bench.cacheDir, 'expiry') };
  writeFileSync(files.token, token);
  writeFileSync(files.expiry, `${Math.floor(Date.now() / 1000) + 600}\n`);
  for (const file of Object.values(files)) chmodSync(file, fileMode);
  return files;
}

/** Writes an executable stand-in (a shell script) into the bench's fake bin folder. */
export function writeStandIn(bench: HelperBench, name: string, script: string): string {
  const path = join(bench.fakeBin, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The helper's standard error as lines, without the final empty one. */
export const lines = (text: string) => text.split('\n').filter((line) => line !== '');
