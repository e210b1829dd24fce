import { afterEach, describe, expect, it } from 'vitest';
import { makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

const loader = '/configs/secrets.d/load.sh';
// What the platform writes: exports for the runtime, and a record of who sourced it.
const loaderScript = `echo "uid=$(id -u)" >> /var/record/loader
export WORKSPACE_SECRET_A=from-loader
export GLM_API_KEY=loaded-glm-key
`;

describe('entrypoint.sh: the SECRETS_LOADER option', () => {
  let image: EntrypointRoot;
  afterEach(() => image.cleanup());

  it('is off by default (claude-code, deepagents): /configs/secrets.d/load.sh is never sourced', async () => {
    image = makeEntrypointRoot();
    image.root.writeFile(loader, loaderScript);

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('loader')).toBeUndefined();
    expect(image.record('runtime.env')).not.toContain('WORKSPACE_SECRET_A');
  });

  it('on: sourced once, as agent (never as root: /configs is the agent’s), its exports reach the runtime', async () => {
    image = makeEntrypointRoot({ options: { SECRETS_LOADER: true } });
    image.root.writeFile(loader, loaderScript);

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('loader')).toBe('uid=1000\n');
    expect(image.record('runtime.env')).toMatch(/^WORKSPACE_SECRET_A=from-loader$/m);
    expect(run.stdout).toContain('[entrypoint] loading /configs/secrets.d/load.sh\n');
  });

  it('on: the banner printed after the drop shows a variable the loader set, still without its value', async () => {
    image = makeEntrypointRoot({ options: { SECRETS_LOADER: true } });
    image.root.writeFile(loader, loaderScript);

    const run = await image.start();

    const glm = run.stdout.split('\n').filter((line) => line.startsWith('[entrypoint] env GLM_API_KEY='));
    expect(glm).toEqual(['[entrypoint] env GLM_API_KEY=unset', '[entrypoint] env GLM_API_KEY=set']);
    expect(run.stdout).not.toContain('loaded-glm-key');
  });

  it('on: a missing loader is no error', async () => {
    image = makeEntrypointRoot({ options: { SECRETS_LOADER: true } });

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime')).toMatch(/^uid=1000 /);
  });

  it('on: a failing command in the loader does not stop the start (it is sourced as the originals did, without -e)', async () => {
    image = makeEntrypointRoot({ options: { SECRETS_LOADER: true } });
    image.root.writeFile(loader, `false\n${loaderScript}`);

    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime.env')).toMatch(/^WORKSPACE_SECRET_A=from-loader$/m);
  });

  it('refuses a value other than true or false, naming it', async () => {
    image = makeEntrypointRoot();

    const run = await image.start([], { MOLECULE_ENTRYPOINT_SECRETS_LOADER: 'yes' });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("MOLECULE_ENTRYPOINT_SECRETS_LOADER is 'yes'; set it to true or false");
    expect(image.record('runtime')).toBeUndefined();
  });
});

describe('entrypoint.sh: the RUNTIME_COMMAND option', () => {
  let image: EntrypointRoot;
  afterEach(() => image.cleanup());

  it('execs a command of several words (hermes: env HOME=/tmp molecule-runtime), the arguments after it, as PID 1', async () => {
    image = makeEntrypointRoot({ options: { RUNTIME_COMMAND: ['env', 'HOME=/tmp', 'molecule-runtime'] } });

    const run = await image.start(['--port', '8000', '*']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime')).toContain('home=/tmp');
    expect(image.record('runtime')).toMatch(/^pid=1$/m);
    expect(image.record('runtime.argv')).toBe('<--port>\n<8000>\n<*>\n'); // never globbed
  });

  it('refuses to start when the command is empty, saying which option sets it', async () => {
    image = makeEntrypointRoot();

    const run = await image.start([], { MOLECULE_ENTRYPOINT_RUNTIME: '' });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'MOLECULE_ENTRYPOINT_RUNTIME is empty: the entrypoint layer sets it (option RUNTIME_COMMAND)',
    );
  });
});
