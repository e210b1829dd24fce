import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { makeFixtureWorkspace, validWorkspaceFiles } from '@image-layers/testing/fixture-workspace';
import { planTestBuild } from './plan';

// A layer's image test may set the layer's options ("options" in its test/image-test.json), to build in the
// engine a variant the defaults leave off; the composer checks them as it checks an image's.
const layer = (name: string, extra: Record<string, unknown>) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const workspace = makeFixtureWorkspace({
  ...Object.fromEntries(Object.keys(validWorkspaceFiles()).map((file) => [file, null])),
  'nx.json': '{}',
  'packages/os/layer.json': layer('os', {
    base: true,
    options: { BASE_IMAGE: { type: 'string', default: 'debian:bookworm-slim', description: 'the base' } },
  }),
  'packages/os/layer.Dockerfile': 'ARG BASE_IMAGE=debian:bookworm-slim\nFROM ${BASE_IMAGE}\n',
  'packages/group/layer.json': layer('group', {
    requires: ['os'],
    options: { GID: { type: 'string', default: '', pattern: '([1-9][0-9]*)?', description: 'a gid' } },
  }),
  'packages/group/layer.Dockerfile': 'ARG GID=\nRUN if [ -n "$GID" ]; then groupadd -g "$GID" g; fi\n',
  'apps/img/image.json': JSON.stringify({ name: 'img', description: 'an image', layers: ['os', 'group'] }),
  'apps/img/image.Dockerfile': '',
});
afterAll(workspace.cleanup);

const plan = (project: string, spec: object) => {
  workspace.write(`${project}/test/image-test.json`, JSON.stringify(spec, null, 2));
  return () =>
    planTestBuild(workspace.root, join(workspace.root, project), 'local/base:test', {
      workDir: join(workspace.root, '.work', project),
      reachable: new Set(),
    });
};

describe('"options" in a layer\'s image test', () => {
  test('are set on the layer under test in its test build, as an image would set them', () => {
    const built = plan('packages/group', { options: { GID: '988' }, commands: [] })();

    const dockerfile = readFileSync(join(built.contextDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GID=988\n');
  });

  test('left out, the layer is built with its defaults', () => {
    const built = plan('packages/group', { commands: [] })();

    expect(readFileSync(join(built.contextDir, 'Dockerfile'), 'utf8')).toContain('ARG GID=\n');
  });

  test("are checked against the layer's option patterns", () => {
    const build = plan('packages/group', { options: { GID: 'docker' }, commands: [] });

    expect(build).toThrow(ImageLayersError);
    expect(build).toThrow(/option GID of "group" is "docker", which does not match/);
  });

  test("are refused in an image's image test, pointing at image.json", () => {
    const build = plan('apps/img', { options: { GID: '988' }, commands: [] });

    expect(build).toThrow(/"options" in test\/image-test\.json is for a layer's image test/);
  });
});

describe('"network" in image.json', () => {
  test("may turn a step off through a listed layer's boolean option, named as not run", () => {
    const image = {
      name: 'img',
      description: 'an image',
      layers: ['os', 'group'],
      network: [
        {
          host: 'far.example',
          step: "group's check, which needs a package from far.example",
          option: 'CHECK',
        },
      ],
    };
    workspace.write('apps/img/image.json', JSON.stringify(image));
    workspace.write(
      'packages/group/layer.json',
      layer('group', {
        requires: ['os'],
        options: {
          GID: { type: 'string', default: '', pattern: '([1-9][0-9]*)?', description: 'a gid' },
          CHECK: { type: 'boolean', default: true, description: 'run the check' },
        },
      }),
    );
    workspace.write(
      'packages/group/layer.Dockerfile',
      'ARG GID=\nARG CHECK=true\nRUN test "$CHECK" = false || id\n',
    );

    const built = plan('apps/img', { commands: [] })();

    expect(built.buildArgs.CHECK).toBe('false');
    expect(built.notRun).toContainEqual(
      expect.objectContaining({
        unit: 'img',
        host: 'far.example',
        how: expect.stringContaining('built with CHECK=false'),
      }),
    );
  });

  test('naming an option no listed layer has is an error', () => {
    workspace.write(
      'apps/img/image.json',
      JSON.stringify({
        name: 'img',
        description: 'an image',
        layers: ['os', 'group'],
        network: [{ host: 'far.example', step: 'a step', option: 'NO_SUCH' }],
      }),
    );

    expect(plan('apps/img', { commands: [] })).toThrow(
      /turned off by NO_SUCH, which is not a boolean option/,
    );
  });
});
