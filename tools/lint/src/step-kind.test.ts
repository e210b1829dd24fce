import { beforeAll, expect, test } from 'vitest';
import { parseDocument } from './document';
import { loadShellParser } from './shell';
import { stepKind } from './step-kind';

beforeAll(loadShellParser);

const kinds = (text: string) => parseDocument(text).instructions.map((instruction) => stepKind(instruction));

test('each step is judged by what its commands do', () => {
  expect(
    kinds(
      [
        'FROM debian',
        'ARG V=1',
        'RUN apt-get update && apt-get install -y --no-install-recommends git',
        'RUN python3 -m pip install --no-cache-dir x==1',
        'RUN set -eu; if [ "$V" = 1 ]; then npm ci; fi',
        'RUN curl -fsSLo /tmp/s.sh https://example.com/s.sh && bash /tmp/s.sh',
        'RUN git clone https://example.com/r.git /r',
        'RUN useradd -u 1000 agent && chmod 0440 /etc/sudoers.d/x',
        'RUN echo "apt-get install is only text here"',
        'COPY a /a',
        'COPY --from=build /out /out',
        'ADD https://example.com/x.tgz /x.tgz',
        'ENV A=1',
        'USER agent',
      ].join('\n'),
    ),
  ).toEqual([
    'metadata',
    'metadata',
    'package-install',
    'package-install',
    'package-install',
    'network-install',
    'network-install',
    'run',
    'run',
    'copy',
    'metadata',
    'network-install',
    'metadata',
    'metadata',
  ]);
});
