import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

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
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeEntrypointRoot();
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

  it('prints no planted secret on either stream: auth variables, the /configs token', async () => {
    const planted = Object.fromEntries(authVariables.map((name) => [name, `PLANTED-${name}-c0ffee`]));
    image.root.writeFile('/configs/.auth_token', 'PLANTED-AUTH-TOKEN-c0ffee\n', { mode: 0o600 });

    const run = await image.start([], planted);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime.env')).toContain('ANTHROPIC_API_KEY=PLANTED-'); // they reached the runtime
    expect(`${run.stdout}${run.stderr}`).not.toContain('c0ffee');
  });
});

describe('entrypoint.sh: the banner lists the names the AUTH_VARIABLES option gives', () => {
  let image: EntrypointRoot;
  afterEach(() => image.cleanup());

  it("names a sibling's list instead of claude-code's, in its order", async () => {
    image = makeEntrypointRoot({ options: { AUTH_VARIABLES: ['OPENAI_API_KEY', 'GEMINI_API_KEY'] } });

    const run = await image.start([], { OPENAI_API_KEY: 'sk-planted', ANTHROPIC_API_KEY: 'x' });

    const expected = ['[entrypoint] env OPENAI_API_KEY=set', '[entrypoint] env GEMINI_API_KEY=unset'];
    expect(envLines(run.stdout)).toEqual([...expected, ...expected]);
  });

  it('reports a list item that is not a variable name, shown safely, and starts', async () => {
    image = makeEntrypointRoot({ options: { AUTH_VARIABLES: ['1BAD', 'GOOD_ONE', 'a-b'] } });

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(envLines(run.stdout).slice(0, 3)).toEqual([
      '[entrypoint] env 1BAD: not a variable name; fix the AUTH_VARIABLES option',
      '[entrypoint] env GOOD_ONE=unset',
      '[entrypoint] env a-b: not a variable name; fix the AUTH_VARIABLES option',
    ]);
  });
});
