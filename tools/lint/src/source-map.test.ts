import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { writeComposedImage } from '@image-layers/compose/write';
import { emptyConfig } from './config';
import { lintPath } from './targets';

// A composed Dockerfile is generated; nobody edits it. Its findings are reported where the user can fix
// them: the layer fragment and line that produced them, through the provenance the composer writes.

let cleanup = () => {};
afterEach(() => cleanup());

function workspace(overrides: Parameters<typeof makeFixtureWorkspace>[0]) {
  const fixture = makeFixtureWorkspace(overrides);
  cleanup = fixture.cleanup;
  return fixture.root;
}

const shown = (root: string, findings: { file: string; line: number; column: number; code: string }[]) =>
  findings.map(
    (f) =>
      `${f.file.startsWith(root) ? f.file.slice(root.length + 1) : f.file}:${f.line}:${f.column} ${f.code}`,
  );

const toolsLayer = {
  'packages/tools/layer.Dockerfile':
    'COPY bin/hello /usr/local/bin/hello\nCOPY conf/tools.conf /etc/tools.conf\n# hadolint ignore=DL3003 # a reason\nRUN cd /opt && sudo make\n',
};

describe('findings of a composed image, at the fragment line that produced them', () => {
  test('linting dist/.../Dockerfile maps each finding through image-layers.provenance.json', async () => {
    const root = workspace(toolsLayer);
    const out = join(root, 'dist/apps/img');
    writeComposedImage(composeImage(join(root, 'apps/img')), out);
    const findings = await lintPath(join(out, 'Dockerfile'), emptyConfig());
    expect(shown(root, findings)).toEqual([
      'packages/base/layer.Dockerfile:1:6 IL1003',
      'packages/base/layer.Dockerfile:4:5 DL3009',
      'packages/base/layer.Dockerfile:4:66 DL3008',
      'packages/tools/layer.Dockerfile:4:16 DL3004',
    ]);
  });
  test('a fragment cut in two by cache order: findings of its files part, written after a moved install and the USER written back, are at their fragment lines', async () => {
    const root = workspace({
      'packages/tools/layer.Dockerfile':
        'USER agent\nRUN apt-get install -y jq\n# the greeting\nCOPY bin/hello /usr/local/bin/hello\nRUN cd /opt && sudo make\nUSER root\n',
      // The image's own install step moves ahead of tools's files, as root.
      'apps/img/image.Dockerfile': 'RUN mkdir /srv/app\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    });
    const out = join(root, 'dist/apps/img');
    const composed = composeImage(join(root, 'apps/img'));
    writeComposedImage(composed, out);
    // The files part starts with the composer's USER agent: proof that the lines are shifted twice.
    expect(
      composed.provenance.find((block) => block.part === 'files' && block.unit === 'tools'),
    ).toMatchObject({
      sourceLine: 2,
      composerLines: 2,
    });
    const findings = await lintPath(join(out, 'Dockerfile'), emptyConfig());
    expect(shown(root, findings).filter((finding) => finding.startsWith('packages/tools'))).toEqual([
      'packages/tools/layer.Dockerfile:2:5 DL3015',
      'packages/tools/layer.Dockerfile:2:24 DL3008',
      'packages/tools/layer.Dockerfile:5:5 DL3003',
      'packages/tools/layer.Dockerfile:5:16 DL3004',
      'packages/tools/layer.Dockerfile:6:6 DL3002',
    ]);
  });
  test('a provenance file of another format (1-based lines) or damaged is refused, with the command that rewrites it', async () => {
    const root = workspace(toolsLayer);
    const out = join(root, 'dist/apps/img');
    writeComposedImage(composeImage(join(root, 'apps/img')), out);
    const file = join(out, 'image-layers.provenance.json');
    const current = JSON.parse(readFileSync(file, 'utf8'));
    for (const text of [
      JSON.stringify({ ...current, format: 1 }),
      JSON.stringify({ ...current, format: 2 }),
      '{"format": 3, "blocks": [{"unit": 3}]}',
      '{',
    ]) {
      writeFileSync(file, text);
      const findings = await lintPath(join(out, 'Dockerfile'), emptyConfig());
      expect(findings).toEqual([
        expect.objectContaining({
          file,
          line: 1,
          severity: 'error',
          message: expect.stringMatching(/^stale-provenance: .*compose the image again \(npx nx build/),
        }),
      ]);
    }
  });
  test('an image folder is composed in memory and gives the same findings, no build needed', async () => {
    const root = workspace(toolsLayer);
    const findings = await lintPath(join(root, 'apps/img'), emptyConfig());
    expect(shown(root, findings)).toEqual([
      'packages/base/layer.Dockerfile:1:6 IL1003',
      'packages/base/layer.Dockerfile:4:5 DL3009',
      'packages/base/layer.Dockerfile:4:66 DL3008',
      'packages/tools/layer.Dockerfile:4:16 DL3004',
    ]);
  });
  test('layer-aware rules read the manifests: an undeclared grant is reported in its layer, a declared one is not', async () => {
    const grant = {
      'packages/user/layer.Dockerfile': 'RUN useradd -u 1000 -m agent && usermod -aG docker agent\n',
    };
    let root = workspace(grant);
    expect(
      shown(
        root,
        await lintPath(join(root, 'apps/img'), { ...emptyConfig(), ignored: ['IL1003', 'DL3008', 'DL3009'] }),
      ),
    ).toEqual(['packages/user/layer.Dockerfile:1:33 IL1008']);
    cleanup();
    const manifest = JSON.stringify({
      name: 'user',
      version: '1.0.0',
      description: 'd',
      provides: ['user:agent'],
      grants: [{ privilege: 'docker-group', why: 'the socket' }],
    });
    root = workspace({ ...grant, 'packages/user/layer.json': manifest });
    expect(
      shown(
        root,
        await lintPath(join(root, 'apps/img'), { ...emptyConfig(), ignored: ['IL1003', 'DL3008', 'DL3009'] }),
      ),
    ).toEqual([]);
  });
  test('a layer deleting what another layer copied is reported through the composed image', async () => {
    const root = workspace({
      'apps/img/image.Dockerfile':
        'COPY start.sh /start.sh\nRUN rm -f /usr/local/bin/hello\nENTRYPOINT ["/start.sh"]\n',
    });
    const findings = await lintPath(join(root, 'apps/img'), {
      ...emptyConfig(),
      ignored: ['IL1003', 'DL3008', 'DL3009'],
    });
    expect(shown(root, findings)).toEqual(['apps/img/image.Dockerfile:2:11 IL1006']);
  });
  test("a layer or image that does not compose is reported as findings at the composer's locations", async () => {
    const root = workspace({
      'apps/img/image.json': JSON.stringify({ name: 'img', description: 'd', layers: ['base', 'tools'] }),
    });
    const findings = await lintPath(join(root, 'apps/img'), emptyConfig());
    expect(findings.map((f) => f.code)).toEqual(['IL0007']);
    expect(findings[0]!.message).toContain('requires user:agent');
  });
  test('an image fragment that sets ENTRYPOINT beside the entrypoint layer is IL0007 at its fragment line', async () => {
    const root = workspace({
      'packages/ep/layer.json': JSON.stringify({
        name: 'ep',
        version: '1.0.0',
        description: 'an entrypoint layer',
        entrypoint: true,
      }),
      'packages/ep/layer.Dockerfile': 'ENTRYPOINT ["/bin/sh"]\n',
      'apps/img/image.json': JSON.stringify({
        name: 'img',
        description: 'd',
        layers: ['base', 'user', 'tools', 'ep'],
      }),
    });
    const findings = await lintPath(join(root, 'apps/img'), emptyConfig());
    expect(shown(root, findings)).toEqual(['apps/img/image.Dockerfile:2:1 IL0007']);
    expect(findings[0]!.message).toContain('but layer "ep" sets it');
  });
});
