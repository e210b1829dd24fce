import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { makeFixtureWorkspace, type FixtureFile } from '@image-layers/testing/fixture-workspace';
import { composeImage } from './compose';
import { composeBroken } from './compose-broken.test-kit';

// The cache order (cache-order.ts): every fragment's steps before its first COPY, then every fragment's COPYs and
// what follows them, so an edited file re-runs no install. Docker itself proves the images still work (each image
// app's image test builds its composed Dockerfile); these pin the order and its guards.

const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra });

/** The fixture workspace with a layer "cli" after "tools" whose install is expensive, and `overrides`. */
function compose(context: TestContext, overrides: Record<string, FixtureFile | null> = {}) {
  const workspace = makeFixtureWorkspace({
    'packages/cli/layer.json': layer('cli'),
    'packages/cli/layer.Dockerfile': 'RUN npm install -g some-cli@1.0.0\n',
    'apps/img/image.json': JSON.stringify({
      name: 'img',
      description: 'd',
      layers: ['base', 'user', 'tools', 'cli'],
    }),
    ...overrides,
  });
  context.onTestFinished(workspace.cleanup);
  return { workspace, composed: () => composeImage(join(workspace.root, 'apps/img')) };
}

const instructions = (dockerfile: string) => dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));

describe('cache order', () => {
  test("a later layer's install runs before an earlier layer's COPYs; each phase keeps image.json's order", (context) => {
    const { composed } = compose(context, {
      'packages/tools/layer.Dockerfile':
        'RUN apt-get install -y jq\n# the greeting\nCOPY bin/hello /usr/local/bin/hello\nRUN /usr/local/bin/hello\n',
    });
    const { dockerfile, provenance } = composed();
    expect(instructions(dockerfile)).toEqual([
      'FROM debian:bookworm-slim',
      'ARG PACKAGES="curl git"',
      'ARG FLAVOUR=plain',
      'RUN apt-get update && apt-get install -y --no-install-recommends ${PACKAGES}',
      'RUN useradd -u 1000 -m agent',
      'RUN apt-get install -y jq',
      'RUN npm install -g some-cli@1.0.0',
      'COPY bin/hello /usr/local/bin/hello',
      'RUN /usr/local/bin/hello',
      'COPY start.sh /start.sh',
      'ENTRYPOINT ["/start.sh"]',
    ]);
    // The comment above the COPY went with it; the provenance maps each part to its lines of the fragment.
    expect(dockerfile).toContain('----\n# the greeting\nCOPY bin/hello');
    expect(
      provenance.map(({ unit, part, sourceLine, composerLines }) => [unit, part, sourceLine, composerLines]),
    ).toEqual([
      ['base', 'install', 0, 0],
      ['user', 'install', 0, 0],
      ['tools', 'install', 0, 0],
      ['cli', 'install', 0, 0],
      ['tools', 'files', 1, 0],
      ['img', 'files', 0, 0],
      ['img', 'config', 1, 0],
    ]);
  });

  test("a COPY into /tmp/ that the fragment's install reads is that install's input and stays before the later layers' installs", (context) => {
    const { composed } = compose(context, {
      'packages/tools/layer.Dockerfile':
        'COPY bin/hello /tmp/tools/install.sh\nRUN sh /tmp/tools/install.sh && rm -rf /tmp/tools\nCOPY bin/hello /usr/local/bin/hello\n',
    });
    expect(instructions(composed().dockerfile).slice(5)).toEqual([
      'COPY bin/hello /tmp/tools/install.sh',
      'RUN sh /tmp/tools/install.sh && rm -rf /tmp/tools',
      'RUN npm install -g some-cli@1.0.0',
      'ENTRYPOINT ["/start.sh"]',
      'COPY start.sh /start.sh',
      'COPY bin/hello /usr/local/bin/hello',
    ]);
    // Into /tmp/ but read by no RUN of the fragment: a file like any other, in the files part.
    const unread = compose(context, {
      'packages/tools/layer.Dockerfile': 'RUN true\nCOPY bin/hello /tmp/hello\n',
    });
    expect(instructions(unread.composed().dockerfile).slice(5)).toEqual([
      'RUN true',
      'RUN npm install -g some-cli@1.0.0',
      'ENTRYPOINT ["/start.sh"]',
      'COPY start.sh /start.sh',
      'COPY bin/hello /tmp/hello',
    ]);
  });

  test('the config a fragment sets after its last COPY goes before every COPY, in image.json order, so an edited file re-runs COPYs alone', (context) => {
    const { composed } = compose(context, {
      'packages/tools/layer.Dockerfile':
        'RUN apt-get install -y jq\nCOPY bin/hello /usr/local/bin/hello\n# where it looks\nARG HELLO_HOME=/srv\nENV HELLO_HOME=${HELLO_HOME}\nLABEL tool=hello\n',
    });
    const { dockerfile, provenance } = composed();
    expect(instructions(dockerfile).slice(6)).toEqual([
      'RUN npm install -g some-cli@1.0.0',
      'ARG HELLO_HOME=/srv',
      'ENV HELLO_HOME=${HELLO_HOME}',
      'LABEL tool=hello',
      'ENTRYPOINT ["/start.sh"]',
      'COPY start.sh /start.sh',
      'COPY bin/hello /usr/local/bin/hello',
    ]);
    expect(dockerfile).toContain(
      '# ---- layer tools 1.0.0: image config, from packages/tools/layer.Dockerfile ----\n# where it looks\nARG HELLO_HOME',
    );
    expect(provenance.map(({ unit, part, sourceLine }) => [unit, part, sourceLine]).slice(4)).toEqual([
      ['tools', 'config', 2],
      ['img', 'config', 1],
      ['img', 'files', 0],
      ['tools', 'files', 1],
    ]);
  });

  test("COPY-only files go in the originals' order: the image's own first, the entrypoint layer's last; image.json's where two write one path", (context) => {
    const entry = {
      'packages/entry/layer.json': layer('entry', { entrypoint: true }),
      'packages/entry/layer.Dockerfile': 'COPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n',
      'packages/entry/files/entry.sh': { text: '#!/bin/sh\nexec "$@"\n', mode: 0o755 },
      'apps/img/image.Dockerfile': 'COPY start.sh /opt/start.sh\n',
      'apps/img/image.json': JSON.stringify({
        name: 'img',
        description: 'd',
        layers: ['base', 'user', 'entry', 'tools', 'cli'],
      }),
    };
    const copies = (tools: string) =>
      instructions(
        compose(context, { ...entry, 'packages/tools/layer.Dockerfile': tools }).composed().dockerfile,
      ).filter((line) => line.startsWith('COPY '));
    expect(copies('COPY bin/hello /usr/local/bin/hello\n')).toEqual([
      'COPY start.sh /opt/start.sh',
      'COPY bin/hello /usr/local/bin/hello',
      'COPY entry.sh /entry.sh',
    ]);
    // tools writes a path the image writes too: which one wins depends on the order, so image.json's stays.
    expect(copies('COPY bin/hello /opt/start.sh\n')).toEqual([
      'COPY entry.sh /entry.sh',
      'COPY bin/hello /opt/start.sh',
      'COPY start.sh /opt/start.sh',
    ]);
  });

  test('config stays after its own files when moving it could change a step: a RUN after a COPY, a $ in a COPY, config between COPYs', (context) => {
    const configAfterFiles = [
      'COPY bin/hello /usr/local/bin/hello',
      'ENV GREETING=hi',
      'COPY start.sh /start.sh',
      'ENTRYPOINT ["/start.sh"]',
    ];
    for (const tools of [
      // A RUN in a files part would run with the hoisted ENV in its environment.
      'RUN true\nCOPY bin/hello /usr/local/bin/hello\nRUN /usr/local/bin/hello\nENV GREETING=hi\n',
      // The hoisted config could change what ${BIN} expands to.
      'ARG BIN=/usr/local/bin\nCOPY bin/hello ${BIN}/hello\nENV GREETING=hi\n',
      // ENV between two COPYs stays there; a later ENTRYPOINT moved above it would change their order.
      'RUN true\nCOPY bin/hello /usr/local/bin/hello\nENV GREETING=hi\nCOPY bin/hello /usr/local/bin/hello2\n',
    ]) {
      const { dockerfile } = compose(context, { 'packages/tools/layer.Dockerfile': tools }).composed();
      const steps = instructions(dockerfile);
      const start = steps.findIndex((line) => line.startsWith('COPY bin/hello '));
      expect(
        steps.slice(start).filter((line) => !/hello2|RUN \/usr/.test(line)),
        tools,
      ).toEqual(
        tools.includes('${BIN}')
          ? ['COPY bin/hello ${BIN}/hello', ...configAfterFiles.slice(1)]
          : configAfterFiles,
      );
    }
  });

  test('a moved part that runs commands starts in the USER and WORKDIR it was written for, and the image ends as in layer order', (context) => {
    const { composed } = compose(context, {
      'packages/tools/layer.Dockerfile':
        'USER agent\nRUN true\nCOPY bin/hello /usr/local/bin/hello\nRUN hello\nUSER root\n',
      'packages/cli/layer.Dockerfile': 'WORKDIR /opt/cli\nRUN npm install -g some-cli@1.0.0\n',
      'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    });
    const { dockerfile } = composed();
    expect(instructions(dockerfile)).toEqual([
      'FROM debian:bookworm-slim',
      'ARG PACKAGES="curl git"',
      'ARG FLAVOUR=plain',
      'RUN apt-get update && apt-get install -y --no-install-recommends ${PACKAGES}',
      'RUN useradd -u 1000 -m agent',
      'USER agent',
      'RUN true',
      // cli's install was written to run after tools's USER root: root again, first.
      'USER root',
      'WORKDIR /opt/cli',
      'RUN npm install -g some-cli@1.0.0',
      // tools's files were written for agent in /.
      'USER agent',
      'WORKDIR /',
      'COPY bin/hello /usr/local/bin/hello',
      'RUN hello',
      'USER root',
      // The image's COPY is absolute: it needs no state; the image then ends in /opt/cli, as in layer order.
      'COPY start.sh /start.sh',
      'ENTRYPOINT ["/start.sh"]',
      'WORKDIR /opt/cli',
    ]);
    expect(dockerfile).toContain(
      "# image-layers: tools's files were written to run as agent in / (the install steps of every layer come before the files: cache order)\nUSER agent\nWORKDIR /\n",
    );
  });

  test('an install step that uses a file an earlier layer COPYs is refused at its line, with the fix', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/cli/layer.json': layer('cli'),
      'packages/cli/layer.Dockerfile': '# set up\nRUN /usr/local/bin/hello --install\n',
      'apps/img/image.json': JSON.stringify({
        name: 'img',
        description: 'd',
        layers: ['base', 'user', 'tools', 'cli'],
      }),
    });
    expect(stderr).toContain('packages/cli/layer.Dockerfile:2');
    expect(stderr).toContain('uses /usr/local/bin/hello, which layer "tools" COPYs');
    expect(stderr).toContain('move this RUN below a COPY in its fragment');
  });

  test('a step after the COPY in the same fragment may use the file: it runs with the files', (context) => {
    const { composed } = compose(context, {
      'packages/cli/layer.Dockerfile': 'COPY cli.conf /etc/cli.conf\nRUN /usr/local/bin/hello --install\n',
      'packages/cli/files/cli.conf': 'x=1\n',
    });
    expect(instructions(composed().dockerfile).slice(-4)).toEqual([
      'COPY cli.conf /etc/cli.conf',
      'RUN /usr/local/bin/hello --install',
      'COPY start.sh /start.sh',
      'ENTRYPOINT ["/start.sh"]',
    ]);
  });
});
