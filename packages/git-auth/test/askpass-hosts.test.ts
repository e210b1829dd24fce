// Which hosts molecule-askpass hands the persona credentials to. git names the remote in its prompt
// ("Password for 'https://user@host:port/path': "); every prompt here is one git could write or one an
// attacker could make it write through a clone URL or a submodule. The real-git half is in askpass.test.ts.
import { describe, expect, it } from 'vitest';
import { layerFile, runScript } from '@image-layers/testing';

const askpass = layerFile('git-auth', 'scripts/molecule-askpass');
const USERNAME = 'persona-bot';
const PASSWORD = 'planted-password-4a1f';
const persona = { GIT_HTTP_USERNAME: USERNAME, GIT_HTTP_PASSWORD: PASSWORD };
/** The hosts the platform configured for these cases: a git host by name, and loopback ones with ports. */
const HOSTS = 'gitea.example.test, 127.0.0.1:3000 [::1]:3000\tlocalhost:3000';

async function ask(prompt: string, env: Record<string, string>): Promise<string> {
  const run = await runScript(askpass, [prompt], { env: { ...persona, ...env } });
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout;
}
const password = (url: string) => `Password for '${url}': `;
const username = (url: string) => `Username for '${url}': `;

describe('molecule-askpass answers only for the configured hosts, over https or plain http to loopback', () => {
  it.each([
    ['a configured host over https', password('https://gitea.example.test')],
    ['a configured host with the user in the URL', password('https://persona-bot@gitea.example.test')],
    ["a user name holding '@' and ':'", password('https://a@b:c@gitea.example.test')],
    ['a configured host in capitals', password('https://GITEA.Example.TEST')],
    [
      'a configured host with a path (credential.useHttpPath)',
      password('https://gitea.example.test/org/x.git'),
    ],
    ['a configured loopback address over plain http', password('http://127.0.0.1:3000')],
    ['a configured IPv6 loopback literal over plain http', password('http://[::1]:3000')],
    ['a configured localhost over plain http', password('http://localhost:3000')],
  ])('answers the password for %s', async (_case, prompt) => {
    expect(await ask(prompt, { MOLECULE_ASKPASS_HOSTS: HOSTS })).toBe(`${PASSWORD}\n`);
  });

  it('answers for a loopback host listed without a port, on its default port', async () => {
    const env = { MOLECULE_ASKPASS_HOSTS: '[::1],localhost' };
    expect(await ask(password('http://[::1]'), env)).toBe(`${PASSWORD}\n`);
    expect(await ask(password('http://LocalHost'), env)).toBe(`${PASSWORD}\n`);
    expect(await ask(password('http://localhost:3000'), env)).toBe('\n');
  });

  it('answers the user name for a configured host too', async () => {
    const prompt = username('https://gitea.example.test');
    expect(await ask(prompt, { MOLECULE_ASKPASS_HOSTS: HOSTS })).toBe(`${USERNAME}\n`);
  });

  it.each([
    ['a configured host over plain http', 'http://gitea.example.test'],
    ['a host that ends with a configured name', 'https://evil-gitea.example.test'],
    ['a host that starts with a configured name', 'https://gitea.example.test.evil.com'],
    ['a configured host with a trailing dot', 'https://gitea.example.test.'],
    ['a configured host on a port not listed', 'https://gitea.example.test:8443'],
    ['a host nobody configured', 'https://evil.example'],
    ['a configured name as the user name of another host', 'https://gitea.example.test@evil.example'],
    ['a configured name and port as user and password', 'https://gitea.example.test:443@evil.example'],
    ["a user name holding '/' before the host", 'https://gitea.example.test/@evil.example'],
    ["a path holding '@' and a configured name", 'https://evil.example/x@gitea.example.test'],
    ['a name that starts like a loopback address', 'http://127.0.0.1.evil.example:3000'],
    ['a name that starts like localhost', 'http://localhost.evil.example:3000'],
    ['a loopback address on a port not listed', 'http://127.0.0.1:3001'],
    ['another loopback address', 'http://127.0.0.2:3000'],
    ['an IPv6 literal that is not loopback', 'http://[::2]:3000'],
    ['a scheme other than https', 'ftp://gitea.example.test'],
    ['a scheme in capitals', 'HTTPS://gitea.example.test'],
    ['no host at all', 'https://'],
    ['only a user name', 'https://persona-bot@'],
  ])('answers an empty line for %s (%s)', async (_case, url) => {
    for (const prompt of [password(url), username(url)])
      expect(await ask(prompt, { MOLECULE_ASKPASS_HOSTS: HOSTS })).toBe('\n');
  });

  it.each([
    ['no URL', 'Password: '],
    ['an empty URL', "Password for '': "],
    ['no closing quote', "Password for 'https://gitea.example.test"],
    ['text after the closing quote', "Password for 'https://gitea.example.test': yes"],
    ['a line break in the URL', "Password for 'https://gitea.example.test\n': "],
    ['a space in the URL', "Password for 'https://gitea.example.test ': "],
    ['a tab in the URL', "Password for 'https://gitea.example.test\t': "],
  ])('answers an empty line to a password prompt with %s', async (_case, prompt) => {
    expect(await ask(prompt, { MOLECULE_ASKPASS_HOSTS: HOSTS })).toBe('\n');
  });

  it('answers no host when none is configured: neither MOLECULE_ASKPASS_HOSTS nor MOLECULE_GITEA_BASE_URL', async () => {
    expect(await ask(password('https://gitea.example.test'), {})).toBe('\n');
    expect(await ask(password('http://127.0.0.1:3000'), {})).toBe('\n');
    expect(await ask(password('https://gitea.example.test'), { MOLECULE_ASKPASS_HOSTS: ' , ' })).toBe('\n');
  });

  it('defaults to the host and port of MOLECULE_GITEA_BASE_URL, whatever its case, scheme or path', async () => {
    const env = { MOLECULE_GITEA_BASE_URL: 'https://Gitea.Example.Test:3443/sub/' };
    expect(await ask(password('https://gitea.example.test:3443/org/x.git'), env)).toBe(`${PASSWORD}\n`);
    expect(await ask(password('https://gitea.example.test'), env)).toBe('\n');
    expect(await ask(password('https://evil.example:3443'), env)).toBe('\n');
  });

  it('lets MOLECULE_ASKPASS_HOSTS replace the MOLECULE_GITEA_BASE_URL default, and accepts URLs in it', async () => {
    const env = {
      MOLECULE_GITEA_BASE_URL: 'https://gitea.example.test',
      MOLECULE_ASKPASS_HOSTS: 'https://git.other.test/ code.other.test:8443',
    };
    expect(await ask(password('https://git.other.test'), env)).toBe(`${PASSWORD}\n`);
    expect(await ask(password('https://code.other.test:8443'), env)).toBe(`${PASSWORD}\n`);
    expect(await ask(password('https://gitea.example.test'), env)).toBe('\n');
  });

  it('does not answer for the PLATFORM_URL host: the control plane is not a git host', async () => {
    const env = { PLATFORM_URL: 'https://platform.example.test' };
    expect(await ask(password('https://platform.example.test'), env)).toBe('\n');
  });

  it('treats a pattern in the host list as a name, never as a wildcard', async () => {
    for (const hosts of ['*', '*.test', '?itea.example.test'])
      expect(await ask(password('https://gitea.example.test'), { MOLECULE_ASKPASS_HOSTS: hosts })).toBe('\n');
  });
});
