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
  it("copies the drop-in from its files into /tmp/ as the RUN's input, which removes it", () => {
    expect(fragment.bodies('COPY')).toEqual(['sudoers.d/agent-t4 /tmp/t4-escalation/agent-t4']);
    expect(commands).toContain('rm -rf /tmp/t4-escalation');
  });

  it('runs its steps under `set -e`, so a failed check fails the build', () => {
    expect(commands[0]).toMatch(/^set -[a-z]*e[a-z]*$/);
  });

  it("installs the drop-in root's and mode 0440, then validates it with visudo -cf, at build time", () => {
    const install = commands.indexOf(
      'install -D -m 0440 -o root -g root /tmp/t4-escalation/agent-t4 /etc/sudoers.d/agent-t4',
    );
    const visudo = commands.indexOf('visudo -cf /etc/sudoers.d/agent-t4');

    expect(install).toBeGreaterThan(0);
    expect(visudo).toBeGreaterThan(install);
  });

  it('creates the docker group when absent and adds agent to it, keeping its other groups', () => {
    const groupadd = commands.indexOf('groupadd -f docker');

    expect(groupadd).toBeGreaterThan(0);
    expect(commands.indexOf('usermod -aG docker agent')).toBeGreaterThan(groupadd);
  });

  it('adds the docker-host group only when DOCKER_HOST_GID is set, and checks its gid before adding agent', () => {
    expect(fragment.bodies('ARG')).toEqual(['DOCKER_HOST_GID=']);
    const guard = commands.indexOf('if [ -n "${DOCKER_HOST_GID}" ]');
    const check = commands.indexOf('if [ "${gid}" != "${DOCKER_HOST_GID}" ]');

    expect(commands[guard + 1]).toBe('then groupadd -f -g "${DOCKER_HOST_GID}" docker-host');
    const add = commands.indexOf('usermod -aG docker-host agent');

    expect(guard).toBeGreaterThan(commands.indexOf('usermod -aG docker agent'));
    expect(check).toBeGreaterThan(guard);
    expect(add).toBeGreaterThan(check);
    expect(fragment.bodies('RUN').join('\n')).not.toMatch(/\|\|\s*true/);
  });

  it('takes DOCKER_HOST_GID as digits only, empty by default, never gid 0', () => {
    const option = JSON.parse(readFileSync(join(layerDir('t4-escalation'), 'layer.json'), 'utf8')).options
      .DOCKER_HOST_GID;
    const accepts = (value: string) => new RegExp(`^(?:${option.pattern})$`).test(value);

    expect(option).toMatchObject({ type: 'string', default: '' });
    for (const value of ['', '988', '999']) expect(accepts(value), value).toBe(true);
    for (const value of ['0', '0988', 'docker', '988 ', '-1', '988;id'])
      expect(accepts(value), value).toBe(false);
  });

  it('never changes USER, the uid of agent, or any other user', () => {
    expect(fragment.all('USER')).toEqual([]);
    expect(
      commands.filter((command) => /^(useradd|userdel|usermod|groupmod)\b/.test(command.replace(/^fi /, ''))),
    ).toEqual(['usermod -aG docker agent', 'usermod -aG docker-host agent']);
  });

  it('declares both grants, sudo and the docker group, with the reason, in layer.json', () => {
    const manifest = JSON.parse(readFileSync(join(layerDir('t4-escalation'), 'layer.json'), 'utf8')) as {
      grants?: { privilege: string; why: string }[];
    };

    expect(manifest.grants?.map((grant) => grant.privilege)).toEqual(['sudo', 'docker-group']);
    for (const grant of manifest.grants ?? []) expect(grant.why.length).toBeGreaterThan(20);
  });
});
