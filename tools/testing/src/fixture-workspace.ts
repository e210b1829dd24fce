import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, workspaceRoot } from '@image-layers/support/workspace';
import { walk } from '@image-layers/support/walk';

/** The real CLI: bad input is tested through it, since the message and exit code are the user's contract. */
export const cli = join(workspaceRoot, 'tools/image-layers/bin/image-layers.js');

/** A file of a fixture workspace: its text, and a mode when it must be other than 0644. */
export type FixtureFile = string | { text: string; mode: number };

/**
 * The smallest valid workspace the composer accepts: a base layer, a layer that needs a user, a layer
 * providing it, and an image listing them. Tests start from it and break one thing each.
 */
export function validWorkspaceFiles(): Record<string, FixtureFile | null> {
  const layer = (name: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
  return {
    'nx.json': '{}',
    'packages/base/layer.json': layer('base', {
      base: true,
      aptPackages: ['curl'],
      options: {
        PACKAGES: {
          type: 'string-list',
          default: ['curl'],
          collects: 'aptPackages',
          description: 'packages',
        },
        FLAVOUR: { type: 'string', default: 'plain', pattern: '[a-z]+', description: 'a flavour' },
      },
    }),
    'packages/base/layer.Dockerfile':
      'FROM debian:bookworm-slim\nARG PACKAGES=curl\nARG FLAVOUR=plain\nRUN apt-get update && apt-get install -y --no-install-recommends ${PACKAGES}\n',
    'packages/user/layer.json': layer('user', { provides: ['user:agent'] }),
    'packages/user/layer.Dockerfile': 'RUN useradd -u 1000 -m agent\n',
    'packages/tools/layer.json': layer('tools', { requires: ['user:agent'], aptPackages: ['git'] }),
    'packages/tools/layer.Dockerfile':
      'COPY bin/hello /usr/local/bin/hello\nCOPY conf/tools.conf /etc/tools.conf\n',
    'packages/tools/files/bin/hello': { text: '#!/bin/sh\necho hello\n', mode: 0o755 },
    'packages/tools/files/conf/tools.conf': 'answer=42\n',
    'apps/img/image.json': JSON.stringify(
      { name: 'img', description: 'a fixture image', layers: ['base', 'user', 'tools'] },
      null,
      2,
    ),
    'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    'apps/img/files/start.sh': { text: '#!/bin/sh\nexec "$@"\n', mode: 0o755 },
  };
}

/** Writes a fixture workspace to a temp folder; `null` entries are left out. */
export function makeFixtureWorkspace(overrides: Record<string, FixtureFile | null> = {}): {
  root: string;
  write(path: string, file: FixtureFile | null): void;
  cleanup(): void;
} {
  const temp = makeTempDir('image-layers-fixture-');
  const write = (path: string, file: FixtureFile | null) => {
    const target = join(temp.path, path);
    if (file === null) {
      rmSync(target, { force: true });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, typeof file === 'string' ? file : file.text);
    chmodSync(target, typeof file === 'string' ? 0o644 : file.mode);
  };
  for (const [path, file] of Object.entries({ ...validWorkspaceFiles(), ...overrides })) write(path, file);
  return { root: temp.path, write, cleanup: temp.cleanup };
}

/** Every file under `dir` with its mode and content (links as "-> target"), to compare a folder before and after. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of walk(dir)) {
    if (entry.kind === 'link') files[entry.path] = 'link';
    else if (entry.stat)
      files[entry.path] = `${(entry.stat.mode & 0o777).toString(8)} ${readFileSync(entry.full, 'utf8')}`;
  }
  return files;
}
