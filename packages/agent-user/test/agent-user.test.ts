import { lstatSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyFragment,
  makeChrootRoot,
  parseLayerFragment,
  requireTool,
  type ChrootRoot,
} from '@image-layers/testing';

describe('the agent-user fragment', () => {
  const fragment = parseLayerFragment('agent-user');

  it('creates agent with uid 1000, a home folder and bash as login shell, in one RUN', () => {
    expect(fragment.bodies('RUN')).toEqual(['useradd -u 1000 -m -s /bin/bash agent']);
  });

  it('has no other instruction, and none that changes USER', () => {
    expect(fragment.instructions.map((instruction) => instruction.getKeyword())).toEqual(['RUN']);
    expect(fragment.all('USER')).toEqual([]);
  });
});

// The fragment's RUN run for real (Debian's useradd from this host) against a throwaway root, never the host.
describe('the agent-user fragment, applied to a root', () => {
  let root: ChrootRoot;
  beforeEach(() => {
    requireTool('useradd');
    root = makeChrootRoot({ users: [], groups: [] });
    root.copyFromHost('/etc/login.defs', '/etc/default/useradd', '/etc/skel');
  });
  afterEach(() => root.cleanup());

  it('makes agent uid 1000 with its own group gid 1000, home /home/agent and shell /bin/bash', async () => {
    const build = await applyFragment(root, 'agent-user');

    expect(build.exitCode, build.stderr).toBe(0);
    const passwd = readFileSync(root.at('/etc/passwd'), 'utf8');
    expect(passwd).toMatch(/^agent:x:1000:1000::\/home\/agent:\/bin\/bash$/m);
    expect(readFileSync(root.at('/etc/group'), 'utf8')).toMatch(/^agent:x:1000:$/m);
  });

  it('creates /home/agent owned by agent', async () => {
    await applyFragment(root, 'agent-user');

    const home = lstatSync(root.at('/home/agent'));
    expect(home.isDirectory()).toBe(true);
    expect({ uid: home.uid, gid: home.gid }).toEqual({ uid: 1000, gid: 1000 });
  });

  it('leaves root the only other user', async () => {
    await applyFragment(root, 'agent-user');

    const names = readFileSync(root.at('/etc/passwd'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':')[0]);
    expect(names).toEqual(['root', 'agent']);
  });
});
