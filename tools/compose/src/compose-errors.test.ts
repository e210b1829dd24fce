import { describe, expect, test } from 'vitest';
import { runScript } from '@image-layers/support/processes';
import { workspaceRoot } from '@image-layers/support/workspace';
import { composeBroken } from './compose-broken.test-kit';
import { cli, makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';

// Every bad input is run through the real CLI: the user-facing contract is the message, the exit code
// and an untouched previous output, not an exception inside the library.

const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const image = (layers: unknown[]) =>
  JSON.stringify({ name: 'img', description: 'a fixture image', layers }, null, 2);

describe.concurrent(
  'image-layers compose refuses bad input with file, line, reason and fix, leaving dist as it was',
  () => {
    test('an unknown layer in image.json, with a suggestion', async (context) => {
      const stderr = await composeBroken(context, { 'apps/img/image.json': image(['base', 'user', 'tols']) });
      expect(stderr).toContain('apps/img/image.json:7:5:');
      expect(stderr).toContain('error unknown-layer [img] no layer named "tols"');
      expect(stderr).toContain('did you mean "tools"?');
    });

    test('a layer listed before the layer it requires', async (context) => {
      const stderr = await composeBroken(context, {
        'apps/img/image.json': image(['base', 'tools', 'user']),
      });
      expect(stderr).toContain('apps/img/image.json:6:5:');
      expect(stderr).toContain(
        'error requirement-order [tools] "tools" requires user:agent, which "user" provides, but "user" is listed after it',
      );
      expect(stderr).toContain('fix: move "user" above "tools"');
    });

    test('a requirement no listed layer provides names the layer that would', async (context) => {
      const stderr = await composeBroken(context, { 'apps/img/image.json': image(['base', 'tools']) });
      expect(stderr).toContain(
        'error missing-requirement [tools] "tools" requires user:agent, which no listed layer provides',
      );
      expect(stderr).toContain('fix: add "user" to "layers" before "tools"');
    });

    test('a requirement nothing in the workspace provides', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/tools/layer.json': layer('tools', { requires: ['user:agent', 'command:jq'] }),
      });
      expect(stderr).toContain('requires command:jq, which no listed layer provides');
      expect(stderr).toContain('no layer in the workspace provides command:jq');
    });

    test('a layer folder without layer.json', async (context) => {
      const stderr = await composeBroken(context, { 'packages/user/layer.json': null });
      expect(stderr).toMatch(
        /packages\/user: error missing-manifest \[user\] layer folder has no layer.json/,
      );
    });

    test('a layer without its fragment', async (context) => {
      const stderr = await composeBroken(context, { 'packages/user/layer.Dockerfile': null });
      expect(stderr).toContain(
        'packages/user/layer.json: error missing-fragment [user] layer.Dockerfile is missing',
      );
    });

    test('invalid JSON, at its line and column', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.json': '{\n  "name": "user",\n  "version": "1.0.0",,\n}\n',
      });
      expect(stderr).toMatch(/packages\/user\/layer.json:3:\d+: error invalid-json \[user\] invalid JSON: /);
    });

    test('a schema violation names the field at its line', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.json': layer('user', { provides: ['user:agent'], version: 'one' }),
      });
      expect(stderr).toContain(
        'packages/user/layer.json:3:3: error invalid-manifest [user] version: use a semantic version',
      );
    });

    test('an unknown field in a manifest is named', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.json': layer('user', { provides: ['user:agent'], provide: [] }),
      });
      expect(stderr).toContain('error invalid-manifest [user] provide: Unrecognized key');
      expect(stderr).toContain('fix: remove or rename "provide"');
    });

    test('a fragment dockerfile-utils rejects', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.Dockerfile': 'RUN useradd -u 1000 -m agent\nEXPOSE eighty\n',
      });
      expect(stderr).toContain(
        'packages/user/layer.Dockerfile:2:8: error invalid-instruction [user] Invalid containerPort: eighty',
      );
    });

    test('a FROM outside the base layer', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.Dockerfile': 'FROM busybox\nRUN useradd -u 1000 -m agent\n',
      });
      expect(stderr).toContain('packages/user/layer.Dockerfile:1:1: error from-outside-base [user]');
      expect(stderr).toContain('fix: remove this FROM');
    });

    test('two base layers', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.json': layer('user', { provides: ['user:agent'], base: true }),
      });
      expect(stderr).toContain('error second-base [user] "user" is a second base layer after "base"');
    });

    test.for(['ENTRYPOINT ["/bin/sh"]', 'CMD ["sh"]'])('%s in a layer', async (instruction, context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.Dockerfile': `RUN useradd -u 1000 -m agent\n${instruction}\n`,
      });
      const keyword = instruction.split(' ')[0]!;
      expect(stderr).toContain(
        `packages/user/layer.Dockerfile:2:1: error ${keyword.toLowerCase()}-in-layer [user]`,
      );
      expect(stderr).toContain(`set ${keyword} in the image app's own fragment`);
    });

    // The entrypoint layer ("entrypoint": true) may set ENTRYPOINT, once; then the image's fragment may not.
    const entrypointLayer = (
      name: string,
      fragment = `COPY ${name}.sh /${name}.sh\nENTRYPOINT ["/${name}.sh"]\n`,
    ) => ({
      [`packages/${name}/layer.json`]: layer(name, { entrypoint: true, requires: ['user:agent'] }),
      [`packages/${name}/layer.Dockerfile`]: fragment,
      [`packages/${name}/files/${name}.sh`]: { text: '#!/bin/sh\nexec "$@"\n', mode: 0o755 },
    });

    test('an image fragment that sets ENTRYPOINT when a listed layer sets it', async (context) => {
      const stderr = await composeBroken(context, {
        ...entrypointLayer('ep'),
        'apps/img/image.json': image(['base', 'user', 'tools', 'ep']),
      });
      expect(stderr).toContain(
        'apps/img/image.Dockerfile:2:1: error entrypoint-set-by-layer [img] ENTRYPOINT in the image\'s fragment, but layer "ep" sets it ("entrypoint": true in its layer.json)',
      );
      expect(stderr).toContain("put the image's own start-up steps into hooks");
    });

    test('two entrypoint layers in one image', async (context) => {
      const stderr = await composeBroken(context, {
        ...entrypointLayer('ep'),
        ...entrypointLayer('ep2'),
        'apps/img/image.json': image(['base', 'user', 'tools', 'ep', 'ep2']),
        'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\n',
      });
      expect(stderr).toContain(
        'apps/img/image.json:9:5: error second-entrypoint-layer [ep2] "ep2" is a second entrypoint layer ("entrypoint": true) after "ep"',
      );
    });

    test('an entrypoint layer whose fragment sets no ENTRYPOINT, or two', async (context) => {
      const none = await composeBroken(context, {
        ...entrypointLayer('ep', 'COPY ep.sh /ep.sh\n'),
        'apps/img/image.json': image(['base', 'user', 'tools', 'ep']),
        'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\n',
      });
      expect(none).toContain(
        'packages/ep/layer.Dockerfile:1:1: error entrypoint-layer-without-entrypoint [ep] layer "ep" says "entrypoint": true',
      );
      const two = await composeBroken(context, {
        ...entrypointLayer('ep', 'COPY ep.sh /ep.sh\nENTRYPOINT ["/ep.sh"]\nENTRYPOINT ["/bin/sh"]\n'),
        'apps/img/image.json': image(['base', 'user', 'tools', 'ep']),
        'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\n',
      });
      expect(two).toContain(
        'packages/ep/layer.Dockerfile:3:1: error second-entrypoint [ep] a second ENTRYPOINT',
      );
    });

    test('CMD in the entrypoint layer: the flag is for ENTRYPOINT only', async (context) => {
      const stderr = await composeBroken(context, {
        ...entrypointLayer('ep', 'COPY ep.sh /ep.sh\nENTRYPOINT ["/ep.sh"]\nCMD ["serve"]\n'),
        'apps/img/image.json': image(['base', 'user', 'tools', 'ep']),
        'apps/img/image.Dockerfile': 'COPY start.sh /start.sh\n',
      });
      expect(stderr).toContain('packages/ep/layer.Dockerfile:3:1: error cmd-in-layer [ep]');
    });

    test('a COPY source missing from the layer files', async (context) => {
      const stderr = await composeBroken(context, { 'packages/tools/files/conf/tools.conf': null });
      expect(stderr).toContain(
        'packages/tools/layer.Dockerfile:2:6: error missing-copy-source [tools] COPY source "conf/tools.conf"',
      );
    });

    test('two layers shipping the same context path', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.Dockerfile':
          'RUN useradd -u 1000 -m agent\nCOPY conf/tools.conf /etc/user.conf\n',
        'packages/user/files/conf/tools.conf': 'x=1\n',
      });
      expect(stderr).toContain(
        'packages/tools/layer.Dockerfile:2:6: error context-collision [tools] "tools" and "user" both ship conf/tools.conf',
      );
    });

    test('a script with CRLF line endings', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/tools/files/bin/hello': { text: '#!/bin/sh\r\necho hello\r\n', mode: 0o755 },
      });
      expect(stderr).toContain('packages/tools/files/bin/hello:1:1: error crlf-script [tools]');
      expect(stderr).toContain("sed -i 's/\\r$//'");
    });

    test('a script that is not executable in git', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/tools/files/bin/hello': { text: '#!/bin/sh\necho hello\n', mode: 0o644 },
      });
      expect(stderr).toContain(
        'packages/tools/layer.Dockerfile:1:6: error script-not-executable [tools] bin/hello is a script',
      );
      expect(stderr).toContain('git add --chmod=+x');
    });

    test('an unknown option, and an option of the wrong type, at their lines in image.json', async (context) => {
      const stderr = await composeBroken(context, {
        'apps/img/image.json': image([
          { layer: 'base', options: { PACKAGE: ['jq'], FLAVOUR: 3 } },
          'user',
          'tools',
        ]),
      });
      expect(stderr).toMatch(
        /apps\/img\/image.json:\d+:\d+: error unknown-option \[base\] layer "base" has no option "PACKAGE"/,
      );
      expect(stderr).toContain('fix: use one of: PACKAGES, FLAVOUR');
      expect(stderr).toContain(
        'error invalid-option [base] option FLAVOUR of "base" is number, not a string',
      );
    });

    test('pythonPackages that no listed layer installs, at the declaring layer.json line', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/tools/layer.json': layer('tools', {
          requires: ['user:agent'],
          pythonPackages: ['claude-agent-sdk>=0.1.58'],
        }),
      });
      expect(stderr).toMatch(
        /packages\/tools\/layer\.json:\d+:\d+: error packages-without-collector \[tools\]/,
      );
      expect(stderr).toContain(
        '"tools" declares pythonPackages (claude-agent-sdk>=0.1.58) but no listed layer installs them',
      );
      expect(stderr).toContain('"collects": "pythonPackages"');
    });

    test('a layer declaring pythonPackages listed before the layer that installs them', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.json': layer('user', {
          provides: ['user:agent'],
          pythonPackages: ['pyyaml==6.0.2'],
        }),
        'packages/tools/layer.json': layer('tools', {
          requires: ['user:agent'],
          options: {
            PIP_PACKAGES: {
              type: 'string-list',
              default: [],
              collects: 'pythonPackages',
              description: 'pip',
            },
          },
        }),
        'packages/tools/layer.Dockerfile':
          'ARG PIP_PACKAGES=\nRUN pip install ${PIP_PACKAGES}\nCOPY bin/hello /usr/local/bin/hello\nCOPY conf/tools.conf /etc/tools.conf\n',
      });
      expect(stderr).toContain('apps/img/image.json:6:5:');
      expect(stderr).toContain(
        'error requirement-order [user] "user" declares pythonPackages (pyyaml==6.0.2) but is listed before "tools", which installs them',
      );
    });

    test('a pip requirement with a space is refused by the schema', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/tools/layer.json': layer('tools', {
          requires: ['user:agent'],
          pythonPackages: ['pyyaml >= 6'],
        }),
      });
      expect(stderr).toMatch(/packages\/tools\/layer\.json:\d+:\d+: error/);
      expect(stderr).toContain('pythonPackages');
      expect(stderr).toContain('a pip requirement without spaces');
    });

    test('every problem is reported in one run', async (context) => {
      const stderr = await composeBroken(context, {
        'packages/user/layer.Dockerfile': 'FROM busybox\nRUN useradd -u 1000 -m agent\nCMD ["sh"]\n',
        'packages/tools/files/conf/tools.conf': null,
      });
      expect(stderr.match(/: error /g)).toHaveLength(3);
    });
  },
);

test('a script left 0644 in git is refused even when a RUN chmods it: the mode in git is the one way', async ({
  onTestFinished,
}) => {
  const workspace = makeFixtureWorkspace({
    'packages/tools/files/bin/hello': { text: '#!/bin/sh\necho hello\n', mode: 0o644 },
    'packages/tools/layer.Dockerfile':
      'COPY bin/hello /usr/local/bin/hello\nCOPY conf/tools.conf /etc/tools.conf\nRUN chmod 0755 /usr/local/bin/hello\n',
  });
  onTestFinished(workspace.cleanup);
  const result = await runScript('node', [cli, 'compose', 'apps/img'], { cwd: workspace.root });
  expect(result.stderr).toContain('error script-not-executable [tools] bin/hello is a script');
  expect(result.stderr).toContain('a chmod RUN after the COPY is not the way');
  expect(result.exitCode).toBe(1);
});

test('usage errors exit 2', async () => {
  const result = await runScript('node', [cli, 'compose'], { cwd: workspaceRoot });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("missing required argument 'image-dir'");
});
