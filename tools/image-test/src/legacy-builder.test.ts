import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { fragmentsOf, legacyBuilderErrors } from './legacy-builder';

const check = (text: string) =>
  legacyBuilderErrors([{ unit: 'probe', file: '/ws/packages/probe/layer.Dockerfile', text }]).map((error) =>
    error.format('/ws'),
  );

describe("fragments the image-test engine's legacy builder can build", () => {
  // (That every layer and image of this workspace is legacy-builder syntax is their lint targets' rule IL1009.)
  test("a composed image's fragments are checked each at its own file, one error per BuildKit line", () => {
    const workspace = makeFixtureWorkspace({
      'packages/user/layer.Dockerfile': 'RUN useradd -u 1000 -m agent\nCOPY --chmod=0755 a /a\n',
      'packages/user/files/a': 'a file\n',
    });
    try {
      const composed = composeImage(join(workspace.root, 'apps/img'));
      expect(fragmentsOf(composed).map((fragment) => fragment.unit)).toEqual([
        'base',
        'user',
        'tools',
        'img',
      ]);
      expect(legacyBuilderErrors(fragmentsOf(composed)).map((error) => error.format(workspace.root))).toEqual(
        [
          expect.stringMatching(
            /^packages\/user\/layer\.Dockerfile:2:1: error buildkit-only \[user\] COPY --chmod/,
          ),
        ],
      );
    } finally {
      workspace.cleanup();
    }
  });

  test('COPY --chmod is refused at its line, with the way to keep the mode instead', () => {
    expect(check('WORKDIR /app\nCOPY --chmod=0755 run.sh /run.sh\n')).toEqual([
      "packages/probe/layer.Dockerfile:2:1: error buildkit-only [probe] COPY --chmod is BuildKit syntax; the image-test engine (Debian's docker.io 20.10) has only the legacy builder, which refuses it\n  fix: commit the mode in git (`git add --chmod=+x`; the composer keeps it), or chmod in a RUN of the same layer",
    ]);
  });

  test('RUN --mount and a heredoc are refused; --chown, --from and a here-string are fine', () => {
    const errors = check(
      [
        'RUN --mount=type=cache,target=/root/.cache pip install x',
        'RUN <<EOF',
        'echo hi',
        'EOF',
        'COPY --chown=agent:agent a /a',
        'COPY --from=build /out /out',
        'RUN cat <<<"$HOME" && echo $((1<<2))',
      ].join('\n'),
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^packages\/probe\/layer\.Dockerfile:1:1: error buildkit-only \[probe\] RUN --mount /,
    );
    expect(errors[1]).toMatch(
      /^packages\/probe\/layer\.Dockerfile:2:1: error buildkit-only \[probe\] a heredoc in RUN /,
    );
  });

  test('a heredoc on a continuation line and an ONBUILD trigger are refused too, at their instruction', () => {
    const errors = check(
      ['RUN set -e && \\', '    cat > /x <<EOF', 'y', 'EOF', 'ONBUILD COPY --chmod=755 a /a'].join('\n'),
    );
    expect(errors.map((error) => error.split(': error buildkit-only [probe] ')[1]!.split(' is ')[0])).toEqual(
      ['a heredoc in RUN', 'COPY --chmod'],
    );
    expect(errors.map((error) => error.split(':')[1])).toEqual(['1', '5']);
  });
});
