import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listLayerNames } from '@image-layers/manifest/load';
import { workspaceRoot } from '@image-layers/support/workspace';
import { summarizeLayer, testChain, type LayerSummary } from './chain';

const layer = (name: string, fields: Partial<LayerSummary> = {}): LayerSummary => ({
  name,
  base: false,
  requires: [],
  provides: [],
  aptPackages: [],
  ...fields,
});
const fixture = [
  layer('os', { base: true }),
  layer('user', { provides: ['user:agent'] }),
  layer('sudo', { requires: ['user:agent'], aptPackages: ['sudo'] }),
  layer('needs-sudo', { requires: ['apt:sudo', 'sudo'] }),
  layer('self-packaged', { requires: ['apt:git'], aptPackages: ['git'] }),
];

describe('the layers an image test builds before a layer', () => {
  test('are the base, then what its requirements resolve to, each before what needs it', () => {
    expect(testChain(fixture, 'sudo')).toEqual({ layers: ['os', 'user', 'sudo'] });
    expect(testChain(fixture, 'needs-sudo')).toEqual({ layers: ['os', 'user', 'sudo', 'needs-sudo'] });
  });

  test('a base layer is built alone, and a package the layer declares itself needs no other layer', () => {
    expect(testChain(fixture, 'os')).toEqual({ layers: ['os'] });
    expect(testChain(fixture, 'self-packaged')).toEqual({ layers: ['os', 'self-packaged'] });
  });

  test('a requirement two layers offer is an error that says how to choose, and "layers" chooses', () => {
    const twoUsers = [...fixture, layer('other-user', { provides: ['user:agent'] })];
    const result = testChain(twoUsers, 'sudo');
    expect(result).toMatchObject({ error: expect.stringContaining('"user" and "other-user" all provide') });
    expect(result).toMatchObject({ fix: expect.stringContaining('"layers"') });
    expect(testChain(twoUsers, 'sudo', ['os', 'other-user'])).toEqual({
      layers: ['os', 'other-user', 'sudo'],
    });
  });

  test('a requirement nobody offers, or an unknown layer in "layers", is an error', () => {
    expect(
      testChain([...fixture, layer('lonely', { requires: ['command:nothing'] })], 'lonely'),
    ).toMatchObject({ error: expect.stringContaining('no layer in packages/ provides') });
    expect(testChain(fixture, 'sudo', ['os', 'missing'])).toMatchObject({
      error: expect.stringContaining('"missing"'),
    });
  });

  test('on this workspace: t4-escalation builds on agent-user, the adapter on python-runtime, both on base-os', () => {
    const layers = listLayerNames(workspaceRoot).map((name) =>
      summarizeLayer(JSON.parse(readFileSync(join(workspaceRoot, 'packages', name, 'layer.json'), 'utf8')))!,
    );
    expect(testChain(layers, 't4-escalation')).toEqual({
      layers: ['base-os', 'agent-user', 't4-escalation'],
    });
    expect(testChain(layers, 'adapter')).toEqual({ layers: ['base-os', 'python-runtime', 'adapter'] });
    expect(testChain(layers, 'git-auth')).toEqual({ layers: ['base-os', 'git-auth'] });
  });
});
