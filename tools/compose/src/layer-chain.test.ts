import { describe, expect, test } from 'vitest';
import type { LayerSummary } from '@image-layers/manifest/lenient';
import { resolveTestChain } from './layer-chain';

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
    expect(resolveTestChain(fixture, 'sudo')).toEqual({ layers: ['os', 'user', 'sudo'] });
    expect(resolveTestChain(fixture, 'needs-sudo')).toEqual({ layers: ['os', 'user', 'sudo', 'needs-sudo'] });
  });

  test('a base layer is built alone, and a package the layer declares itself needs no other layer', () => {
    expect(resolveTestChain(fixture, 'os')).toEqual({ layers: ['os'] });
    expect(resolveTestChain(fixture, 'self-packaged')).toEqual({ layers: ['os', 'self-packaged'] });
  });

  test('a requirement two layers offer is an error that says how to choose, and "layers" chooses', () => {
    const twoUsers = [...fixture, layer('other-user', { provides: ['user:agent'] })];
    const result = resolveTestChain(twoUsers, 'sudo');
    expect(result).toMatchObject({ error: expect.stringContaining('"user" and "other-user" all provide') });
    expect(result).toMatchObject({ fix: expect.stringContaining('"layers"') });
    expect(resolveTestChain(twoUsers, 'sudo', ['os', 'other-user'])).toEqual({
      layers: ['os', 'other-user', 'sudo'],
    });
  });

  test('a requirement nobody offers, or an unknown layer in "layers", is an error', () => {
    expect(
      resolveTestChain([...fixture, layer('lonely', { requires: ['command:nothing'] })], 'lonely'),
    ).toMatchObject({ error: expect.stringContaining('no layer in packages/ provides') });
    expect(resolveTestChain(fixture, 'sudo', ['os', 'missing'])).toMatchObject({
      error: expect.stringContaining('"missing"'),
    });
  });

  test('an apt requirement is met by any layer of the chain, wherever it comes, as the base installs every package', () => {
    const layers = [
      layer('os', { base: true }),
      layer('git-user', { requires: ['apt:git', 'tools'] }),
      layer('tools', { aptPackages: ['git=1:2.39*'] }),
      layer('also-git', { aptPackages: ['git'] }),
    ];
    // "tools", pulled in for its name, declares git: no second provider is looked for, so "also-git" is no rival.
    expect(resolveTestChain(layers, 'git-user')).toEqual({ layers: ['os', 'tools', 'git-user'] });
    // Without it, the one layer declaring the package is built first.
    const alone = [
      layer('os', { base: true }),
      layer('needs-jq', { requires: ['apt:jq'] }),
      layer('jq', { aptPackages: ['jq'] }),
    ];
    expect(resolveTestChain(alone, 'needs-jq')).toEqual({ layers: ['os', 'jq', 'needs-jq'] });
  });
});
