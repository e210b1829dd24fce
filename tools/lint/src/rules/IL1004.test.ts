import { describe, expect, test } from 'vitest';
import { composed, layer, run, spots } from './rule-test-kit';

describe('IL1004 layers restore USER, WORKDIR and SHELL', () => {
  test('a layer that switches USER and leaves it is reported at its last USER', async () => {
    const found = await run('IL1004', layer({ name: 'tools', text: 'USER agent\nRUN make\n' }));
    expect(found.map((f) => f.at)).toEqual(['tools:1:6']);
    expect(found[0]!.message).toContain('runs-as:agent');
  });
  test('a layer that restores what it changed passes', async () => {
    expect(
      await spots(
        'IL1004',
        layer({ name: 'tools', text: 'USER agent\nRUN make\nUSER root\nWORKDIR /tmp\nWORKDIR /\n' }),
      ),
    ).toEqual([]);
  });
  test('a layer that declares what it leaves (provides workdir:/app) passes', async () => {
    expect(
      await spots('IL1004', layer({ name: 'py', text: 'WORKDIR /app\n', provides: ['workdir:/app'] })),
    ).toEqual([]);
  });
  test('in a composed image each layer is judged from the state the layer before it left; the image fragment is last and free', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n' },
      { name: 'app', text: 'RUN make\n' },
      { name: 'img', kind: 'image', text: 'USER agent\n' },
    ]);
    expect(await spots('IL1004', image)).toEqual(['base:2:7']);
  });
  test('a plain Dockerfile has no layers, so nothing is judged', async () => {
    expect(await spots('IL1004', 'FROM debian:12\nUSER agent\n')).toEqual([]);
  });
});
