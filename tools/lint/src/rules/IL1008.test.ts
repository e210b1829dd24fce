import { describe, expect, test } from 'vitest';
import { layer, run, spots } from './rule-test-kit';

const grants =
  'COPY agent /etc/sudoers.d/agent\nRUN usermod -aG docker,video agent && chmod u+s /usr/bin/x && setcap cap_net_raw+ep /usr/bin/ping\n';

describe('IL1008 privilege grants are declared', () => {
  test('sudoers, docker group, setuid and capabilities in a layer that declares none are each reported', async () => {
    const found = await run('IL1008', layer({ name: 't4', text: grants }));
    expect(found.map((f) => f.at)).toEqual(['t4:1:12', 't4:2:5', 't4:2:39', 't4:2:63']);
    expect(found[0]!.message).toContain('"grants"');
  });
  test('a layer whose layer.json grants them passes', async () => {
    expect(
      await spots(
        'IL1008',
        layer({ name: 't4', text: grants, grants: ['sudo', 'docker-group', 'setuid', 'capabilities'] }),
      ),
    ).toEqual([]);
  });
  test('a sudoers line written by a RUN is a sudo grant', async () => {
    const text = "RUN printf 'agent ALL=(ALL) NOPASSWD:ALL\\n' > /etc/sudoers.d/agent-t4\n";
    expect(await spots('IL1008', layer({ name: 'x', text }))).toHaveLength(1);
    expect(await spots('IL1008', layer({ name: 'x', text, grants: ['sudo'] }))).toEqual([]);
  });
  test('a plain Dockerfile has no manifest to compare with, so nothing is judged', async () => {
    expect(await spots('IL1008', `FROM debian:12\n${grants}`)).toEqual([]);
  });
});
