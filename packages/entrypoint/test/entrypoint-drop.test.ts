import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

// The container's PID 1 is the entrypoint, run as root from WORKDIR /app: so is it here (see image-root.ts).
describe('entrypoint.sh: the drop from root to agent', () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeEntrypointRoot();
  });
  afterEach(() => image.cleanup());

  it('execs molecule-runtime as agent (uid and gid 1000, in the docker group) with HOME /home/agent, from the working folder', async () => {
    const run = await image.start();

    expect(run.exitCode, run.stderr).toBe(0);
    const runtime = image.record('runtime') ?? '';
    expect(runtime).toMatch(/^uid=1000 gid=1000 groups=1000 999$/m);
    expect(runtime).toContain('cwd=/app');
    expect(runtime).toContain('home=/home/agent');
  });

  it("leaves molecule-runtime as PID 1, in place of the entrypoint, so it receives the container's signals", async () => {
    await image.start();

    expect(image.record('runtime')).toMatch(/^pid=1$/m);
  });

  it('hands molecule-runtime exactly the arguments it was given, spaces and empty ones included', async () => {
    const run = await image.start(['--port', '8000', 'two words', '']);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(image.record('runtime.argv')).toBe('<--port>\n<8000>\n<two words>\n<>\n');
  });

  it("exits with molecule-runtime's exit code, so the container's exit code is the runtime's", async () => {
    const run = await image.start([], { STANDIN_RUNTIME_EXIT: '42' });

    expect(image.record('runtime')).toContain('uid=1000');
    expect(run.exitCode).toBe(42);
  });

  it('re-executes itself through gosu exactly once, as agent, with the same arguments', async () => {
    await image.start(['serve', 'two words']);

    expect(image.record('gosu')).toBe('agent /entrypoint.sh serve two words\n');
  });

  it('prints the boot banner twice: first as root, then as agent after the drop', async () => {
    const run = await image.start();

    const identities = run.stdout.match(/uid=\d+ gid=\d+ user=\S+/g);
    expect(identities).toEqual(['uid=0 gid=0 user=root', 'uid=1000 gid=1000 user=agent']);
  });

  it('puts the UTC time and the host name in the banner', async () => {
    const run = await image.start();

    const header = run.stdout.split('\n').find((line) => line.includes('uid=0')) ?? '';
    expect(header).toMatch(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ uid=0 .* host=workspace-test-host$/);
  });

  it('names WORKSPACE_ID and PLATFORM_URL in the banner, or <unset>', async () => {
    const set = await image.start([], { WORKSPACE_ID: 'ws-123', PLATFORM_URL: 'http://platform.test:8080' });
    expect(set.stdout).toContain('WORKSPACE_ID=ws-123 PLATFORM_URL=http://platform.test:8080');

    const unset = await image.start();
    expect(unset.stdout).toContain('WORKSPACE_ID=<unset> PLATFORM_URL=<unset>');
    expect(unset.stdout).toContain('[entrypoint] /configs/.auth_token <not yet issued>');
  });

  it('shows the mode and owner of /configs with the names of its files, and of /workspace, before and after the fix', async () => {
    image.root.writeFile('/configs/.auth_token', 'not-printed\n', { mode: 0o600 });
    image.root.writeFile('/configs/config.yaml', 'name: x\n');

    const run = await image.start();

    const configs = run.stdout.split('\n').filter((line) => line.includes('/configs '));
    expect(configs).toEqual([
      '[entrypoint] /configs drwxr-xr-x root:root files: .auth_token config.yaml',
      '[entrypoint] /configs drwxr-xr-x agent:agent files: .auth_token config.yaml',
    ]);
    // The token's owner, as the siblings' banners show it (what the 401 on peer calls came down to).
    expect(run.stdout.split('\n').filter((line) => line.includes('/configs/.auth_token'))).toEqual([
      '[entrypoint] /configs/.auth_token -rw------- root:root uid=0',
      '[entrypoint] /configs/.auth_token -rw------- agent:agent uid=1000',
    ]);
    const workspace = run.stdout.split('\n').filter((line) => line.includes('/workspace '));
    expect(workspace).toEqual([
      '[entrypoint] /workspace drwxr-xr-x root:root',
      '[entrypoint] /workspace drwxr-xr-x agent:agent',
    ]);
  });
});
