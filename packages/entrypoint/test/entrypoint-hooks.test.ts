import { chmodSync, chownSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEntrypointRoot, type EntrypointRoot } from '@image-layers/testing';

// The hooks folders as the entrypoint layer's fragment makes them: /entrypoint.d/root/*.sh run as root before
// the drop, /entrypoint.d/agent/*.sh as agent before the exec. Each test hook appends one line to
// /var/record/hooks: its name, its uid, how many times gosu had run, and whether the runtime had started.
const recordingHook = (name: string, extra = '') => `#!/bin/sh
gosu_calls=0
if [ -f /var/record/gosu ]; then gosu_calls=$(wc -l < /var/record/gosu); fi
runtime=no
if [ -f /var/record/runtime ]; then runtime=yes; fi
echo "${name} uid=$(id -u) home=$HOME gosu=$gosu_calls runtime=$runtime ws=\${WORKSPACE_ID:-}" >> /var/record/hooks
${extra}
`;

describe('entrypoint.sh: the hooks in /entrypoint.d', () => {
  let image: EntrypointRoot;
  beforeEach(() => {
    image = makeEntrypointRoot();
    image.root.writeFile('/var/record/hooks', '', { mode: 0o666 }); // root's hooks and agent's append to it
  });
  afterEach(() => image.cleanup());

  /** A hook file inside the root: root-owned, mode 755, unless told otherwise. */
  const hook = (inside: string, options: { mode?: number; uid?: number; extra?: string } = {}) =>
    image.root.writeFile(inside, recordingHook(inside.split('/').slice(-2).join('/'), options.extra), {
      mode: options.mode ?? 0o755,
      uid: options.uid ?? 0,
      gid: options.uid ?? 0,
    });
  const hooksRun = () => (image.record('hooks') ?? '').split('\n').filter(Boolean);
  const names = () => hooksRun().map((line) => line.split(' ')[0]);

  describe('order and phase', () => {
    it('runs the root hooks as root before the drop, then the agent hooks as agent before the runtime', async () => {
      hook('/entrypoint.d/root/50-root.sh');
      hook('/entrypoint.d/agent/50-agent.sh');

      const run = await image.start([], { WORKSPACE_ID: 'ws-hooks' });

      expect(run.exitCode, run.stderr).toBe(0);
      expect(hooksRun()).toEqual([
        'root/50-root.sh uid=0 home=/root gosu=0 runtime=no ws=ws-hooks',
        'agent/50-agent.sh uid=1000 home=/home/agent gosu=1 runtime=no ws=ws-hooks',
      ]);
      expect(image.record('runtime')).toMatch(/^uid=1000 /);
    });

    it('runs each folder in byte order of the names (LC_ALL=C sort: digits, then upper, then lower case)', async () => {
      for (const name of ['a-lower.sh', 'Z-upper.sh', '9-nine.sh', '10-ten.sh'])
        hook(`/entrypoint.d/root/${name}`);
      for (const name of ['20-b.sh', '20-a.sh']) hook(`/entrypoint.d/agent/${name}`);

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(names()).toEqual([
        'root/10-ten.sh',
        'root/9-nine.sh',
        'root/Z-upper.sh',
        'root/a-lower.sh',
        'agent/20-a.sh',
        'agent/20-b.sh',
      ]);
    });

    it('names each hook in the log as it runs it', async () => {
      hook('/entrypoint.d/root/50-root.sh');
      hook('/entrypoint.d/agent/50-agent.sh');

      const run = await image.start();

      expect(run.stdout).toContain('[entrypoint] hook root/50-root.sh\n');
      expect(run.stdout).toContain('[entrypoint] hook agent/50-agent.sh\n');
    });

    it('skips, and names, what is not a hook: a dot file and a name without .sh', async () => {
      hook('/entrypoint.d/root/.gitkeep');
      hook('/entrypoint.d/root/README');
      hook('/entrypoint.d/root/50-root.sh');

      const run = await image.start();

      expect(run.exitCode, run.stderr).toBe(0);
      expect(names()).toEqual(['root/50-root.sh']);
      expect(run.stdout).toContain(
        '[entrypoint] not a hook (a dot file), skipped: /entrypoint.d/root/.gitkeep',
      );
      expect(run.stdout).toContain('[entrypoint] not a hook (not *.sh), skipped: /entrypoint.d/root/README');
    });

    it('starts an image without hooks, and one without the hook folders at all (deepagents has no steps of its own)', async () => {
      const empty = await image.start(['serve']);
      expect(empty.exitCode, empty.stderr).toBe(0);
      expect(image.record('runtime.argv')).toBe('<serve>\n');

      rmSync(image.root.at('/entrypoint.d/root'), { recursive: true });
      rmSync(image.root.at('/entrypoint.d/agent'), { recursive: true });
      const none = await image.start();
      expect(none.exitCode, none.stderr).toBe(0);
      expect(image.record('runtime')).toMatch(/^uid=1000 /);
    });

    it('drops through gosu exactly once, however many hooks run', async () => {
      for (const name of ['10-a.sh', '20-b.sh']) hook(`/entrypoint.d/root/${name}`);
      for (const name of ['10-a.sh', '20-b.sh']) hook(`/entrypoint.d/agent/${name}`);

      await image.start(['serve', 'two words']);

      expect(image.record('gosu')).toBe('agent /entrypoint.sh serve two words\n');
    });
  });

  describe('a hook that fails stops the start (fail-closed), with its exit code and name', () => {
    it('a root hook: no later hook, no drop, no runtime; the container exits with the hook’s code', async () => {
      hook('/entrypoint.d/root/10-fails.sh', { extra: 'exit 3' });
      hook('/entrypoint.d/root/20-later.sh');
      hook('/entrypoint.d/agent/10-agent.sh');

      const run = await image.start();

      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain(
        '[entrypoint] error: hook root/10-fails.sh failed with exit code 3; the container does not start without it',
      );
      expect(names()).toEqual(['root/10-fails.sh']);
      expect(image.record('gosu')).toBeUndefined();
      expect(image.record('runtime')).toBeUndefined();
    });

    it('an agent hook: no runtime, the hook’s code', async () => {
      hook('/entrypoint.d/agent/10-fails.sh', { extra: 'exit 7' });

      const run = await image.start();

      expect(run.exitCode).toBe(7);
      expect(run.stderr).toContain('[entrypoint] error: hook agent/10-fails.sh failed with exit code 7');
      expect(image.record('runtime')).toBeUndefined();
    });
  });

  describe('refused before anything runs as root: what the agent could have written', () => {
    const expectRefused = (run: { exitCode: number | null; stderr: string }, message: string) => {
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(message);
      expect(image.record('runtime')).toBeUndefined();
    };

    it('a root hook owned by agent: it never runs, and the container does not start', async () => {
      hook('/entrypoint.d/root/10-planted.sh', { uid: 1000 });

      const run = await image.start();

      expectRefused(
        run,
        '[entrypoint] error: hook /entrypoint.d/root/10-planted.sh is owned by agent (uid 1000), not root; refusing to run it.',
      );
      expect(hooksRun()).toEqual([]);
      expect(image.record('gosu')).toBeUndefined();
    });

    it('a root-owned root hook that its group or others may write (mode 0775, 0757)', async () => {
      for (const mode of [0o775, 0o757]) {
        hook('/entrypoint.d/root/10-open.sh', { mode });

        const run = await image.start();

        expectRefused(
          run,
          `hook /entrypoint.d/root/10-open.sh is writable by its group or others (mode ${mode.toString(8)})`,
        );
        expect(hooksRun()).toEqual([]);
      }
    });

    it('a hook that is a symbolic link, even a root-owned one to a root-owned script', async () => {
      image.root.writeFile('/opt/real-hook.sh', recordingHook('linked'), { mode: 0o755 });
      image.root.symlink('/opt/real-hook.sh', '/entrypoint.d/root/10-linked.sh');

      const run = await image.start();

      expectRefused(run, 'hook /entrypoint.d/root/10-linked.sh is a symbolic link (to /opt/real-hook.sh)');
      expect(hooksRun()).toEqual([]);
    });

    it('a hook that is not executable: refused, not skipped, so no image starts without a step it ships', async () => {
      hook('/entrypoint.d/root/10-not-executable.sh', { mode: 0o644 });

      const run = await image.start();

      expectRefused(
        run,
        'hook /entrypoint.d/root/10-not-executable.sh is not executable; refusing to start without it. Commit it executable: git add --chmod=+x.',
      );
    });

    it('a folder where a hook should be a file', async () => {
      image.root.mkdir('/entrypoint.d/root/10-folder.sh');

      const run = await image.start();

      expectRefused(run, 'hook /entrypoint.d/root/10-folder.sh is not a regular file');
    });

    it('a hook name with characters outside letters, digits, . _ -', async () => {
      hook('/entrypoint.d/root/10 two words.sh');

      const run = await image.start();

      expectRefused(
        run,
        "hook /entrypoint.d/root/10 two words.sh: only letters, digits, '.', '_' and '-' make a hook name",
      );
      expect(hooksRun()).toEqual([]);
    });

    it('a root hooks folder the agent owns, or anyone may write', async () => {
      hook('/entrypoint.d/root/10-hook.sh');
      chownSync(image.root.at('/entrypoint.d/root'), 1000, 1000);
      const owned = await image.start();
      expectRefused(
        owned,
        'hook folder /entrypoint.d/root is owned by agent (uid 1000), not root; refusing to run its hooks.',
      );

      chownSync(image.root.at('/entrypoint.d/root'), 0, 0);
      chmodSync(image.root.at('/entrypoint.d/root'), 0o1777);
      const open = await image.start();
      expectRefused(open, 'hook folder /entrypoint.d/root is writable by its group or others (mode 1777)');
      expect(hooksRun()).toEqual([]);
    });

    it('a root hooks folder that is a link to a folder the agent writes', async () => {
      rmSync(image.root.at('/entrypoint.d/root'), { recursive: true });
      image.root.mkdir('/home/agent/hooks', { uid: 1000, gid: 1000 });
      image.root.writeFile('/home/agent/hooks/10-planted.sh', recordingHook('planted'), {
        mode: 0o755,
        uid: 1000,
        gid: 1000,
      });
      image.root.symlink('/home/agent/hooks', '/entrypoint.d/root');

      const run = await image.start();

      expectRefused(run, 'hook folder /entrypoint.d/root is a symbolic link (to /home/agent/hooks)');
      expect(hooksRun()).toEqual([]);
    });

    it('/entrypoint.d or the helpers it holds, when not root’s alone: nothing is sourced or run', async () => {
      chownSync(image.root.at('/entrypoint.d/lib.sh'), 1000, 1000);
      const lib = await image.start();
      expectRefused(
        lib,
        '[entrypoint] error: /entrypoint.d/lib.sh is owned by agent (uid 1000), not root; refusing to run it as root.',
      );
      expect(lib.stdout).toBe(''); // not even the banner: it comes from lib.sh

      chownSync(image.root.at('/entrypoint.d/lib.sh'), 0, 0);
      chmodSync(image.root.at('/entrypoint.d'), 0o777);
      const folder = await image.start();
      expectRefused(folder, '/entrypoint.d is writable by its group or others (mode 777)');
    });

    it('an agent hook that is not root’s: the image ships its hooks root-owned, both phases alike', async () => {
      hook('/entrypoint.d/agent/10-planted.sh', { uid: 1000 });

      const run = await image.start();

      expectRefused(run, 'hook /entrypoint.d/agent/10-planted.sh is owned by agent (uid 1000), not root');
      expect(hooksRun()).toEqual([]);
    });
  });

  it('refuses to drop to an agent user that has uid 0, which would re-run the root phase forever', async () => {
    image.root.writeFile(
      '/etc/passwd',
      'root:x:0:0:root:/root:/bin/bash\nagent:x:0:0::/home/agent:/bin/bash\n',
    );

    const run = await image.start();

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      '[entrypoint] error: user agent has uid 0; the entrypoint drops to an unprivileged user',
    );
    expect(image.record('gosu')).toBeUndefined();
    expect(image.record('runtime')).toBeUndefined();
  });
});
