import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerDir, parseLayerFragment } from '@image-layers/testing';

const fragment = parseLayerFragment('t4-escalation');

/** The shell commands of the fragment's RUN steps, continuations joined, one entry a command. */
const commands = fragment
  .bodies('RUN')
  .flatMap((body) => body.replace(/\\\n/g, ' ').split(/;|&&/))
  .map((command) => command.trim().replace(/\s+/g, ' '))
  .filter(Boolean);

describe('the t4-escalation fragment', () => {
  it('copies the drop-in from its files to /etc/sudoers.d/agent-t4', () => {
    expect(fragment.bodies('COPY')).toEqual(['sudoers.d/agent-t4 /etc/sudoers.d/agent-t4']);
  });

  it('runs its steps under `set -e`, so a failed check fails the build', () => {
    expect(commands[0]).toMatch(/^set -[a-z]*e[a-z]*$/);
  });

  it('makes the drop-in mode 0440, then validates it with visudo -cf, at build time', () => {
    const chmod = commands.indexOf('chmod 0440 /etc/sudoers.d/agent-t4');
    const visudo = commands.indexOf('visudo -cf /etc/sudoers.d/agent-t4');

    expect(chmod).toBeGreaterThan(0);
    expect(visudo).toBeGreaterThan(chmod);
  });

  it('creates the docker group when absent and adds agent to it, keeping its other groups', () => {
    const groupadd = commands.indexOf('groupadd -f docker');

    expect(groupadd).toBeGreaterThan(0);
    expect(commands.indexOf('usermod -aG docker agent')).toBeGreaterThan(groupadd);
  });

  it('never changes USER, the uid of agent, or any other user', () => {
    expect(fragment.all('USER')).toEqual([]);
    expect(commands.filter((command) => /^(useradd|userdel|usermod|groupmod)\b/.test(command))).toEqual([
      'usermod -aG docker agent',
    ]);
  });

  it('declares both grants, sudo and the docker group, with the reason, in layer.json', () => {
    const manifest = JSON.parse(readFileSync(join(layerDir('t4-escalation'), 'layer.json'), 'utf8')) as {
      grants?: { privilege: string; why: string }[];
    };

    expect(manifest.grants?.map((grant) => grant.privilege)).toEqual(['sudo', 'docker-group']);
    for (const grant of manifest.grants ?? []) expect(grant.why.length).toBeGreaterThan(20);
  });
});
