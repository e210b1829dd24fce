import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { makeFixtureWorkspace, validWorkspaceFiles } from '@image-layers/testing/fixture-workspace';
import {
  configuredPackageServers,
  hostsOfAptSources,
  leaveOutSteps,
  planOffline,
  reachableHosts,
  type OfflineUnit,
} from './offline';
import { loadImageTestSpec } from './plan';

// A fixture workspace in the shape of the claude-code image's network steps: a base whose extra apt repository
// (cli.example) is behind a boolean option, a pip layer whose step the image test leaves out by its
// test/image-test.json, and an image whose own npm step stays.
const layer = (name: string, extra: Record<string, unknown>) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const workspace = makeFixtureWorkspace({
  ...Object.fromEntries(Object.keys(validWorkspaceFiles()).map((file) => [file, null])),
  'nx.json': '{}',
  'packages/os/layer.json': layer('os', {
    base: true,
    options: {
      INSTALL_EXTRA: { type: 'boolean', default: true, description: 'the extra apt repository' },
    },
    network: [
      { host: 'cli.example', step: "the extra repository's key and packages", option: 'INSTALL_EXTRA' },
      { host: 'deb.debian.org', step: 'apt-get install' },
    ],
  }),
  'packages/os/layer.Dockerfile': [
    'ARG BASE_IMAGE=debian:bookworm-slim',
    'FROM ${BASE_IMAGE}',
    'ARG INSTALL_EXTRA=true',
    'RUN apt-get update && if [ "${INSTALL_EXTRA}" = true ]; then curl -fsSLo /k.gpg https://cli.example/k.gpg; fi',
    '',
  ].join('\n'),
  'packages/py/layer.json': layer('py', {
    network: [{ host: 'pypi.org', step: 'pip install of requirements.txt' }],
  }),
  'packages/py/layer.Dockerfile': [
    'WORKDIR /app',
    'COPY requirements.txt .',
    'RUN pip install --no-cache-dir -r requirements.txt \\',
    '    && pip check',
    '',
  ].join('\n'),
  'packages/py/files/requirements.txt': 'requests==2.32.3\n',
  'packages/py/test/image-test.json': JSON.stringify({
    withoutHosts: [
      { host: 'pypi.org', leaveOut: 'pip install --no-cache-dir -r requirements.txt', why: 'no PyPI here' },
    ],
  }),
  'apps/img/image.json': JSON.stringify({
    name: 'img',
    description: 'a fixture image',
    layers: ['os', 'py'],
  }),
  'apps/img/image.Dockerfile': 'RUN npm install -g left-pad@1.3.0\n',
});
afterAll(workspace.cleanup);

const composed = composeImage(join(workspace.root, 'apps/img'));
const units = (withSpecs = true): OfflineUnit[] =>
  composed.layers.map((layer) => ({
    name: layer.name,
    network: layer.manifest.network,
    options: layer.manifest.options,
    source: layer.source,
    spec: withSpecs ? loadImageTestSpec(layer.dir, layer.name) : undefined,
  }));
/** What this test's builds reach: the Debian mirror, not cli.example nor PyPI. */
const here = new Set(['deb.debian.org']);

describe('a test build without the hosts this machine cannot reach', () => {
  test("reaches the package servers this machine is configured with (apt's mirrors, npm's registry), or IMAGE_TEST_REACHABLE_HOSTS", () => {
    expect([...reachableHosts({})]).toEqual(configuredPackageServers({}));
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

  test('turns a step with an option off (INSTALL_EXTRA=false) and says so by name', () => {
    const { plan, errors } = planOffline(units(), here);
    expect(errors).toEqual([]);
    expect(plan.buildArgs).toEqual({ INSTALL_EXTRA: 'false' });
    expect(plan.notRun[0]).toMatchObject({
      unit: 'os',
      host: 'cli.example',
      how: expect.stringContaining('built with INSTALL_EXTRA=false'),
    });
  });

  test("leaves out the pip layer's RUN, as its test/image-test.json says, and names it", () => {
    const { plan } = planOffline(units(), here);
    expect(plan.leaveOut).toEqual([
      { unit: 'py', host: 'pypi.org', text: 'pip install --no-cache-dir -r requirements.txt' },
    ]);
    expect(plan.notRun.map((step) => `${step.unit}: ${step.host}`)).toEqual([
      'os: cli.example',
      'py: pypi.org',
    ]);
  });

  test('a RUN that reaches two unreachable hosts (a private index and PyPI) is left out and counted once, naming both', () => {
    const [os, py] = units();
    const twoHosts: OfflineUnit = {
      ...py!,
      network: [...py!.network, { host: 'index.example', step: 'the private index of the same pip step' }],
      spec: {
        ...py!.spec!,
        value: {
          ...py!.spec!.value,
          withoutHosts: [
            ...py!.spec!.value.withoutHosts,
            {
              host: 'index.example',
              leaveOut: 'pip install --no-cache-dir -r requirements.txt',
              why: 'no index',
            },
          ],
        },
      },
    };
    const { plan, errors } = planOffline([os!, twoHosts], here);
    expect(errors).toEqual([]);
    expect(plan.leaveOut).toEqual([
      { unit: 'py', host: 'pypi.org, index.example', text: 'pip install --no-cache-dir -r requirements.txt' },
    ]);
    expect(plan.notRun.map((step) => `${step.unit}: ${step.host}`)).toEqual([
      'os: cli.example',
      'py: pypi.org, index.example',
    ]);
    const left = leaveOutSteps(composed.dockerfile, composed.provenance, plan.leaveOut, 'image-test.json');
    expect(left.errors).toEqual([]);
    expect(left.dockerfile).toContain(
      '# [image-test: left out, needs pypi.org, index.example] RUN pip install',
    );
  });

  test('a step the image itself turns off (its option false in image.json) is not left out, nor counted as skipped', () => {
    const [os, py] = units();
    const { plan, errors } = planOffline(
      [{ ...os!, values: new Map([['INSTALL_EXTRA', false]]) }, py!],
      here,
    );
    expect(errors).toEqual([]);
    expect(plan.notRun.map((step) => `${step.unit}: ${step.host}`)).toEqual(['py: pypi.org']);
    expect(plan.buildArgs).toEqual({});
    const on = planOffline([{ ...os!, values: new Map([['INSTALL_EXTRA', true]]) }, py!], here).plan;
    expect(on.notRun.map((step) => `${step.unit}: ${step.host}`)).toEqual([
      'os: cli.example',
      'py: pypi.org',
    ]);
  });

  test('two RUNs of one unit on the same host are each left out by the recipe naming its step', () => {
    const [os, py] = units();
    const twoSteps: OfflineUnit = {
      ...py!,
      network: [...py!.network, { host: 'pypi.org', step: 'pip check of what was installed' }],
      spec: {
        ...py!.spec!,
        value: {
          ...py!.spec!.value,
          withoutHosts: [
            { host: 'pypi.org', step: 'pip install of requirements.txt', leaveOut: 'pip install', why: 'a' },
            { host: 'pypi.org', step: 'pip check of what was installed', leaveOut: 'pip check', why: 'b' },
          ],
        },
      },
    };
    const { plan, errors } = planOffline([os!, twoSteps], here);
    expect(errors).toEqual([]);
    expect(plan.leaveOut.map((item) => item.text)).toEqual(['pip install', 'pip check']);
    // A recipe whose step names neither entry covers none of them: each is an error, never a silent gap.
    const wrong: OfflineUnit = {
      ...twoSteps,
      spec: {
        ...twoSteps.spec!,
        value: {
          ...twoSteps.spec!.value,
          withoutHosts: [{ host: 'pypi.org', step: 'another step', leaveOut: 'pip install', why: 'a' }],
        },
      },
    };
    expect(planOffline([os!, wrong], here).errors.map((error) => error.code)).toEqual([
      'unreachable-step',
      'unreachable-step',
    ]);
  });

  test('a step with neither an option nor a recipe is an error naming the layer, its line and the fix', () => {
    const { errors } = planOffline(units(false), here);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.format()).toMatch(/packages\/py\/layer\.json:\d+:\d+: error unreachable-step \[py\]/);
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
      join(workspace.root, 'packages/py/test/image-test.json'),
    );
    expect(errors).toEqual([]);
    expect(dockerfile.split('\n')).toHaveLength(composed.dockerfile.split('\n').length);
    const changed = dockerfile
      .split('\n')
      .filter((line, index) => line !== composed.dockerfile.split('\n')[index]);
    expect(changed[0]).toBe(
      '# [image-test: left out, needs pypi.org] RUN pip install --no-cache-dir -r requirements.txt \\',
    );
    expect(changed.every((line) => line.startsWith('# [image-test: left out, needs pypi.org] '))).toBe(true);
    expect(dockerfile).toContain('\nCOPY requirements.txt .\n');
    expect(dockerfile).toContain('RUN npm install -g');
  });

  test('a leaveOut text that matches no RUN (or several) is an error, never a silent difference', () => {
    const { errors } = leaveOutSteps(
      composed.dockerfile,
      composed.provenance,
      [{ unit: 'py', host: 'pypi.org', text: 'no such step' }],
      'image-test.json',
    );
    expect(errors.map((error) => error.code)).toEqual(['leave-out-mismatch']);
  });
});
