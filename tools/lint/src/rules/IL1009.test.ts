import { describe, expect, test } from 'vitest';
import { composed, layer, run, spots } from './rule-test-kit';

describe('IL1009 no BuildKit-only syntax in layers and images', () => {
  test('COPY --chmod is reported at the flag, with the way to keep the mode instead', async () => {
    const found = await run(
      'IL1009',
      layer({ name: 'probe', text: 'WORKDIR /app\nCOPY --chmod=0755 run.sh /run.sh\n' }),
    );
    expect(found.map((f) => f.at)).toEqual(['probe:2:6']);
    expect(found[0]!.message).toBe(
      "COPY --chmod is BuildKit syntax; the image-test engine (Debian's docker.io 20.10) has only the legacy builder, which refuses it: commit the mode in git (`git add --chmod=+x`; the composer keeps it), or chmod in a RUN of the same layer",
    );
  });

  test('RUN --mount, COPY --link, ADD --checksum and heredocs in RUN, COPY and ADD are each reported', async () => {
    const text = [
      'RUN --mount=type=cache,target=/root/.cache pip install x',
      'RUN <<EOF',
      'echo hi',
      'EOF',
      'COPY --link a /a',
      'ADD --checksum=sha256:0 https://x/a /a',
      'COPY <<-"CONF" /etc/x.conf',
      '\tkey=value',
      '\tCONF',
      'RUN set -e && \\',
      '    cat > /x <<EOF',
      'y',
      'EOF',
    ].join('\n');
    const found = await run('IL1009', layer({ name: 'probe', text }));
    expect(found.map((f) => f.at)).toEqual([
      'probe:1:5',
      'probe:2:5',
      'probe:5:6',
      'probe:6:5',
      'probe:7:6',
      'probe:11:14',
    ]);
    expect(found[0]!.message).toMatch(/^RUN --mount is BuildKit syntax; .*drop the mount/);
    expect(found[1]!.message).toMatch(
      /^a heredoc in RUN is BuildKit syntax; .*reads its body as instructions/,
    );
    expect(found[3]!.message).toMatch(/^ADD --checksum .*write the step without --checksum$/);
  });

  test('--chown, --from, FROM --platform, a here-string, a shift and a heredoc in exec form are legacy syntax', async () => {
    const text = [
      'COPY --chown=agent:agent a /a',
      'COPY --from=build /out /out',
      'ADD --chown=agent a /a',
      'RUN cat <<<"$HOME" && echo $((1<<2))',
      'RUN ["sh", "-c", "cat <<EOF"]',
      'HEALTHCHECK --interval=5s CMD true',
    ].join('\n');
    expect(await spots('IL1009', layer({ name: 'probe', text }))).toEqual([]);
    expect(
      await spots(
        'IL1009',
        layer({
          name: 'base',
          text: 'ARG BASE_IMAGE=debian:12\nFROM --platform=linux/amd64 ${BASE_IMAGE}\n',
        }),
      ),
    ).toEqual([]);
  });

  test("an image's own fragment is checked too; a line outside every unit is not", async () => {
    const input = composed([
      { name: 'base', text: 'FROM debian:12\n' },
      { name: 'app', kind: 'image', text: 'RUN --network=none make\n' },
    ]);
    expect(await spots('IL1009', input)).toEqual(['app:1:5']);
  });

  test('a plain Dockerfile is left alone: docker build reads it with BuildKit', async () => {
    expect(
      await spots('IL1009', 'FROM debian:12\nCOPY --chmod=755 a /a\nRUN --mount=type=cache,target=/c make\n'),
    ).toEqual([]);
  });

  test('a pragma suppresses it like any rule', async () => {
    const text = '# hadolint ignore=IL1009 # built with BuildKit only\nCOPY --chmod=755 a /a\n';
    expect(await spots('IL1009', layer({ name: 'probe', text }))).toEqual([]);
  });
});
