import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeImageRoot, type ImageRoot } from './image-root';

const authVariables = [
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'MINIMAX_API_KEY',
  'GLM_API_KEY',
  'KIMI_API_KEY',
  'DEEPSEEK_API_KEY',
];

const envLines = (stdout: string) =>
  stdout.split('\n').filter((line) => line.startsWith('[entrypoint] env '));

describe('entrypoint.sh: the boot banner says which auth variables are set, never their values', () => {
  let image: ImageRoot;
  beforeEach(() => {
    image = makeImageRoot();
  });
  afterEach(() => image.cleanup());

  it('prints one line `env NAME=set|unset` per auth variable, in order, as root and again as agent', async () => {
    const run = await image.start([], {
      ANTHROPIC_API_KEY: 'sk-ant-planted-1',
      GLM_API_KEY: 'glm-planted-2',
    });

    const expected = authVariables.map(
      (name) =>
        `[entrypoint] env ${name}=${name === 'ANTHROPIC_API_KEY' || name === 'GLM_API_KEY' ? 'set' : 'unset'}`,
    );
    expect(envLines(run.stdout)).toEqual([...expected, ...expected]);
  });

  it('counts an empty value as unset', async () => {
    const empty = Object.fromEntries(authVariables.map((name) => [name, '']));

    const run = await image.start([], empty);

    expect(envLines(run.stdout)).toEqual(
      [...authVariables, ...authVariables].map((name) => `[entrypoint] env ${name}=unset`),
    );
  });

  it('says set for every one of the eight when all carry a value', async () => {
    const all = Object.fromEntries(authVariables.map((name, i) => [name, `value-${i}`]));

    const run = await image.start([], all);

    expect(envLines(run.stdout)).toEqual(
      [...authVariables, ...authVariables].map((name) => `[entrypoint] env ${name}=set`),
    );
  });

  it('prints no planted secret on either stream: auth variables, GitHub tokens, the /configs token', async () => {
    const planted = Object.fromEntries(authVariables.map((name) => [name, `PLANTED-${name}-c0ffee`]));
    image.root.writeFile('/configs/.auth_token', 'PLANTED-AUTH-TOKEN-c0ffee\n', { mode: 0o600 });
    image.root.mkdir('/root/.claude/sessions');

    const run = await image.start([], {
      ...planted,
      GITHUB_TOKEN: 'PLANTED-GITHUB-TOKEN-c0ffee',
      STANDIN_GH_EXIT: '1', // the failure notice is printed too, and must not carry the token either
    });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('gh')).toContain('args=auth login'); // the token really went through the script
    expect(`${run.stdout}${run.stderr}`).not.toContain('c0ffee');
  });
});
