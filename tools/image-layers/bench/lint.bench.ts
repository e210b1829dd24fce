// How fast the linter is on a 5,000-instruction Dockerfile, and on this workspace's image. Run:
//   node -r ./tools/image-layers/bin/register-typescript.js tools/image-layers/bench/lint.bench.ts
// Figures are medians of several runs on this machine; nothing here is asserted by a test.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { composeImage } from '@image-layers/compose/compose';
import { lintText } from '@image-layers/lint/engine';
import { loadShellParser } from '@image-layers/lint/shell';
import { unitsOfComposed } from '@image-layers/lint/units';

const root = resolve(__dirname, '../../..');

/** 5,000 instructions of every kind the rules look at, RUNs with continuations, pipes, heredocs and pragmas. */
function bigDockerfile(): string {
  const lines = ['ARG BASE=debian:12', 'FROM ${BASE} AS build'];
  const kinds = [
    (i: number) =>
      `RUN apt-get update && apt-get install -y --no-install-recommends pkg${i}=1.0 \\\n    && curl -fsSL https://example.com/${i} | tar -xz -C /opt \\\n    # a comment inside the continuation\n    && rm -rf /var/lib/apt/lists/*`,
    (i: number) => `COPY file${i}.txt /srv/file${i}.txt`,
    (i: number) => `ENV VAR_${i}=value${i}`,
    (i: number) =>
      `# hadolint ignore=DL3003 # builds in place\nRUN cd /src/${i} && make -j2 && make install || true`,
    (i: number) =>
      `RUN <<EOF\nset -eu\necho ${i} > /tmp/${i}\nif [ -f /tmp/${i} ]; then cat /tmp/${i}; fi\nEOF`,
    (i: number) => `WORKDIR /app/${i}`,
    (i: number) => `RUN pip install --no-cache-dir "package${i}==${i}.0" && npm install -g tool${i}@1.${i}.0`,
    (i: number) => `LABEL index="${i}"`,
  ];
  for (let i = 0; lines.length < 5000; i++) lines.push(kinds[i % kinds.length]!(i));
  lines.push('USER nobody', 'ENTRYPOINT ["/entrypoint.sh"]');
  return `${lines.join('\n')}\n`;
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

async function time(runs: number, action: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await action();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const loadStart = process.hrtime.bigint();
  await loadShellParser();
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const text = bigDockerfile();
  const instructions = text.split('\n').filter((line) => /^[A-Z]+ /.test(line)).length;
  let findings = 0;
  const bigMs = await time(5, async () => {
    findings = (await lintText({ text, file: 'big.Dockerfile' })).length;
  });
  const imageDir = join(root, 'apps/claude-code-image');
  const imageMs = await time(10, async () => {
    const composed = composeImage(imageDir);
    await lintText({ text: composed.dockerfile, file: imageDir, units: unitsOfComposed(composed, root) });
  });
  const cli = join(root, 'tools/image-layers/bin/image-layers.js');
  const cliMs = await time(3, async () =>
    spawnSync(process.execPath, [cli, 'lint', 'apps/claude-code-image', 'packages/base-os'], { cwd: root }),
  );
  process.stdout.write(
    [
      `shell parser load (web-tree-sitter + tree-sitter-bash WASM): ${loadMs.toFixed(1)} ms`,
      `${instructions}-instruction Dockerfile (${text.length} bytes, ${findings} findings): ${bigMs.toFixed(0)} ms median of 5`,
      `claude-code-image composed in memory and linted: ${imageMs.toFixed(1)} ms median of 10`,
      `CLI, start to exit: lint apps/claude-code-image packages/base-os (with shellcheck): ${cliMs.toFixed(0)} ms median of 3`,
      '',
    ].join('\n'),
  );
}

void main();
