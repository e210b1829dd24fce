import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, layerDir } from '@image-layers/support/workspace';
import {
  configuredPackageServers,
  hostsOfAptSources,
  leaveOutSteps,
  planOffline,
  reachableHosts,
  type OfflineUnit,
} from './offline';
import { loadImageTestSpec } from './plan';

// The claude-code image as composed, and its units' network declarations, as the harness sees them.
const composed = composeImage(appDir('claude-code-image'));
const units = (withSpecs = true): OfflineUnit[] =>
  composed.layers.map((layer) => ({
    name: layer.name,
    network: layer.manifest.network,
    options: layer.manifest.options,
    source: layer.source,
    spec: withSpecs ? loadImageTestSpec(layer.dir, layer.name) : undefined,
  }));
const here = reachableHosts({});

describe('a test build without the hosts this machine cannot reach', () => {
  test("reaches the package servers this machine is configured with (apt's mirrors, npm's registry), or IMAGE_TEST_REACHABLE_HOSTS", () => {
    expect([...here]).toEqual(configuredPackageServers({}));
    expect([...reachableHosts({ IMAGE_TEST_REACHABLE_HOSTS: 'a.example, b.example' })]).toEqual([
      'a.example',
      'b.example',
    ]);
    expect(configuredPackageServers({ npm_config_registry: 'https://npm.example/' })).toContain(
      'npm.example',
    );
  });

  test('reads the hosts of apt sources, one-line and deb822, leaving comments out', () => {
    const sources =
      '# http://snapshot.example/archive\ndeb http://mirror.example/debian bookworm main\nTypes: deb\nURIs: https://other.example/debian\n';
    expect(hostsOfAptSources(sources)).toEqual(['mirror.example', 'other.example']);
  });

  test('turns a step with an option off (INSTALL_GH_CLI=false) and says so by name', () => {
    const { plan, errors } = planOffline(units(), here);
    expect(errors).toEqual([]);
    expect(plan.buildArgs).toEqual({ INSTALL_GH_CLI: 'false' });
    expect(plan.notRun[0]).toMatchObject({
      unit: 'base-os',
      host: 'cli.github.com',
      how: expect.stringContaining('built with INSTALL_GH_CLI=false'),
    });
  });

  test("leaves out python-runtime's pip RUN, as its test/image-test.json says, and names it", () => {
    const { plan } = planOffline(units(), here);
    expect(plan.leaveOut).toEqual([
      { unit: 'python-runtime', host: 'pypi.org', text: 'pip install --no-cache-dir -r requirements.txt' },
    ]);
    expect(plan.notRun.map((step) => `${step.unit}: ${step.host}`)).toEqual([
      'base-os: cli.github.com',
      'python-runtime: pypi.org',
    ]);
  });

  test('a step with neither an option nor a recipe is an error naming the layer, its line and the fix', () => {
    const { errors } = planOffline(units(false), here);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.format()).toMatch(
      /packages\/python-runtime\/layer\.json:\d+:\d+: error unreachable-step \[python-runtime\]/,
    );
    expect(errors[0]!.fix).toContain('"withoutHosts"');
  });

  test('nothing is left out when every host is reachable', () => {
    const everyHost = new Set(units().flatMap((unit) => unit.network.map((entry) => entry.host)));
    const { plan } = planOffline(units(), everyHost);
    expect(plan).toEqual({ buildArgs: {}, notRun: [], leaveOut: [] });
  });

  test('the left-out RUN becomes comments, line for line; every other instruction stays', () => {
    const { plan } = planOffline(units(), here);
    const { dockerfile, errors } = leaveOutSteps(
      composed.dockerfile,
      composed.provenance,
      plan.leaveOut,
      join(layerDir('python-runtime'), 'test/image-test.json'),
    );
    expect(errors).toEqual([]);
    expect(dockerfile.split('\n')).toHaveLength(composed.dockerfile.split('\n').length);
    const changed = dockerfile
      .split('\n')
      .filter((line, index) => line !== composed.dockerfile.split('\n')[index]);
    expect(changed[0]).toBe(
      '# [image-test: left out, needs pypi.org] RUN pip install --no-cache-dir -r requirements.txt ${PYTHON_PACKAGES} \\',
    );
    expect(changed.every((line) => line.startsWith('# [image-test: left out, needs pypi.org] '))).toBe(true);
    expect(dockerfile).toContain('\nCOPY requirements.txt .\n');
    expect(dockerfile).toContain('RUN npm install -g');
  });

  test('a leaveOut text that matches no RUN (or several) is an error, never a silent difference', () => {
    const { errors } = leaveOutSteps(
      composed.dockerfile,
      composed.provenance,
      [{ unit: 'python-runtime', host: 'pypi.org', text: 'no such step' }],
      'image-test.json',
    );
    expect(errors.map((error) => error.code)).toEqual(['leave-out-mismatch']);
  });
});
