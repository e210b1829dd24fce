import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { composeImage } from './compose';
import { composeBroken } from './compose-broken.test-kit';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';

// A layer's "aptPackagesWhen": Debian packages it needs only while one of its options has a value for the image,
// joining the base layer's one apt step then and only then (node-runtime's nodejs and npm, not wanted on
// NodeSource's Node).

const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const runtime = (extra: Record<string, unknown> = {}) =>
  layer('runtime', {
    aptPackagesWhen: [{ option: 'FROM_VENDOR', is: false, packages: ['nodejs', 'npm'] }],
    options: { FROM_VENDOR: { type: 'boolean', default: false, description: "the vendor's build" } },
    ...extra,
  });
const image = (options?: Record<string, unknown>) =>
  JSON.stringify(
    {
      name: 'img',
      description: 'a fixture image',
      layers: ['base', 'user', 'tools', options ? { layer: 'runtime', options } : 'runtime'],
    },
    null,
    2,
  );
const files = {
  'packages/runtime/layer.json': runtime(),
  'packages/runtime/layer.Dockerfile': 'ARG FROM_VENDOR=false\nRUN node --version\n',
};

let workspace: ReturnType<typeof makeFixtureWorkspace> | undefined;
afterEach(() => workspace?.cleanup());
const aptPackagesArg = (imageJson: string) => {
  workspace = makeFixtureWorkspace({ ...files, 'apps/img/image.json': imageJson });
  return composeImage(join(workspace.root, 'apps/img'))
    .dockerfile.split('\n')
    .find((line) => line.startsWith('ARG PACKAGES='));
};

describe('aptPackagesWhen', () => {
  test("joins the base layer's apt step while the option has its value (here its default)", () => {
    expect(aptPackagesArg(image())).toBe('ARG PACKAGES="curl git nodejs npm"');
  });

  test('follows the value the image sets', () => {
    expect(aptPackagesArg(image({ FROM_VENDOR: false }))).toBe('ARG PACKAGES="curl git nodejs npm"');
    expect(aptPackagesArg(image({ FROM_VENDOR: true }))).toBe('ARG PACKAGES="curl git"');
  });

  test.concurrent(
    'naming an option the layer does not declare is an error at its line of layer.json',
    async (context) => {
      const stderr = await composeBroken(context, {
        ...files,
        'packages/runtime/layer.json': runtime({
          aptPackagesWhen: [{ option: 'FROM_VENDORS', is: false, packages: ['nodejs'] }],
        }),
        'apps/img/image.json': image(),
      });
      expect(stderr).toMatch(/packages\/runtime\/layer\.json:\d+:\d+: error/);
      expect(stderr).toContain('no option FROM_VENDORS in "options": declare it, or name one of FROM_VENDOR');
    },
  );

  test.concurrent("a value of another type than the option's is an error", async (context) => {
    const stderr = await composeBroken(context, {
      ...files,
      'packages/runtime/layer.json': runtime({
        aptPackagesWhen: [{ option: 'FROM_VENDOR', is: 'false', packages: ['nodejs'] }],
      }),
      'apps/img/image.json': image(),
    });
    expect(stderr).toMatch(/packages\/runtime\/layer\.json:\d+:\d+: error/);
    expect(stderr).toContain('FROM_VENDOR is a boolean option: "is" must be a boolean');
  });
});
