import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { peekImageLayers, peekImageTest, peekLayer, peekManifestName, peekWorkspaceLayers } from './lenient';

const root = mkdtempSync(join(tmpdir(), 'lenient-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
};

write('packages/os/layer.json', JSON.stringify({ name: 'os', base: true, aptPackages: ['git', 7] }));
write('packages/broken/layer.json', '{"name": "broken", ');
write('packages/nameless/layer.json', '{"provides": ["user:agent"]}');
write('packages/user/layer.json', JSON.stringify({ name: 'user', provides: ['user:agent'], requires: 'os' }));
write(
  'packages/user/test/image-test.json',
  JSON.stringify({ layers: ['os', 3], standIns: [{ source: 'bin' }, {}] }),
);
write(
  'apps/img/image.json',
  JSON.stringify({ name: 'img', layers: ['os', { layer: 'user' }, { layer: 4 }, null] }),
);

describe('the lenient manifest reader (the Nx plugin and the image-test harness)', () => {
  test('keeps what is well-formed and drops the rest, field by field', () => {
    expect(peekLayer(join(root, 'packages/os'))).toEqual({
      name: 'os',
      base: true,
      requires: [],
      provides: [],
      aptPackages: ['git'],
    });
    expect(peekLayer(join(root, 'packages/user'))).toMatchObject({ requires: [], provides: ['user:agent'] });
    expect(peekImageLayers(join(root, 'apps/img/image.json'))).toEqual(['os', 'user']);
    expect(peekImageTest(join(root, 'packages/user'))).toEqual({ layers: ['os'], standIns: ['bin'] });
    expect(peekImageTest(join(root, 'packages/os'))).toEqual({ layers: undefined, standIns: [] });
  });

  test('a broken, nameless or missing manifest gives nothing, and the workspace list skips it', () => {
    expect(peekLayer(join(root, 'packages/broken'))).toBeUndefined();
    expect(peekManifestName(join(root, 'packages/nameless/layer.json'))).toBeUndefined();
    expect(peekLayer(join(root, 'packages/missing'))).toBeUndefined();
    expect(peekWorkspaceLayers(root).map((layer) => layer.name)).toEqual(['os', 'user']);
  });

  test('a FIFO named layer.json is refused at once instead of hanging the plugin', () => {
    mkdirSync(join(root, 'packages/fifo'));
    execFileSync('mkfifo', [join(root, 'packages/fifo/layer.json')]);
    expect(peekLayer(join(root, 'packages/fifo'))).toBeUndefined();
    expect(peekManifestName(join(root, 'packages/fifo/layer.json'))).toBeUndefined();
  });
});
