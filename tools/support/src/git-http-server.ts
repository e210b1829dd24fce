import { execFileSync, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from './tools';
import { makeTempDir } from './workspace';

export interface GitHttpRequest {
  method: string;
  url: string;
  /** Whether the request carried the expected HTTP Basic credentials. */
  authorized: boolean;
}

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The served repository's clone URL, e.g. http://127.0.0.1:41234/repo.git */
  repoUrl: string;
  /** The bare repository on disk (one commit on `main`), to check what a push delivered. */
  bareRepoPath: string;
  /** Every request received, in order. */
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

/** Environment for git commands the helper runs itself: no host or user configuration leaks in. */
function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@test.invalid',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@test.invalid',
  };
}

/**
 * A real git smart-HTTP server on 127.0.0.1: Debian git's `git http-backend` CGI, run once per request
 * behind HTTP Basic auth (401 + WWW-Authenticate when the credentials are missing or wrong). It serves one
 * bare repository with one commit, and accepts pushes from the authenticated user.
 */
export async function startGitHttpServer(credentials: {
  username: string;
  password: string;
}): Promise<GitHttpServer> {
  const git = requireTool('git');
  const backend = join(execFileSync(git, ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
  const temp = makeTempDir('git-http-server-');
  const env = isolatedGitEnv(temp.path);
  const projectRoot = join(temp.path, 'served');
  const bareRepoPath = join(projectRoot, 'repo.git');
  const work = join(temp.path, 'seed-work');

  mkdirSync(work);
  writeFileSync(join(work, 'README.md'), 'seed commit\n');
  const run = (args: string[], cwd?: string) => execFileSync(git, args, { cwd, env, stdio: 'pipe' });
  run(['init', '--quiet', '--initial-branch=main', work]);
  run(['add', 'README.md'], work);
  run(['commit', '--quiet', '-m', 'seed commit'], work);
  run(['clone', '--quiet', '--bare', work, bareRepoPath]);
  run(['config', 'http.receivepack', 'true'], bareRepoPath);

  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const requests: GitHttpRequest[] = [];

  const serveWithBackend = (req: IncomingMessage, res: ServerResponse) => {
    const [pathInfo = '/', query = ''] = (req.url ?? '/').split('?');
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : (value ?? '');
    };
    const cgi = spawn(backend, [], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(pathInfo),
        QUERY_STRING: query,
        CONTENT_TYPE: header('content-type'),
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: header('content-length') } : {}),
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        HTTP_GIT_PROTOCOL: header('git-protocol'),
        REMOTE_USER: credentials.username,
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);

    // CGI output: header lines, an empty line, then the body.
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const match = /\r?\n\r?\n/.exec(text);
      if (!match) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, match.index).split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      // latin1 maps each byte to one character, so the text offset is the byte offset.
      res.write(head.subarray(match.index + match[0].length));
    });
    cgi.on('close', () => {
      if (!headersSent) res.writeHead(500);
      res.end();
    });
    cgi.on('error', () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const server = createServer((req, res) => {
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorized });
    if (!authorized) {
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    serveWithBackend(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    repoUrl: `${url}/repo.git`,
    bareRepoPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          temp.cleanup();
          resolve();
        });
      }),
  };
}
