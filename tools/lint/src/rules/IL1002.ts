import type { LintInstruction } from '../document';
import { atWord, commands, defineRule, hit, instructions } from '../rule';

/** Where each COPY/ADD of the document puts its sources (absolute destinations only). */
function copiedPaths(instruction: { node: { getArguments(): { getValue(): string }[] } }): string[] {
  const args = instruction.node.getArguments().map((arg) => arg.getValue().replace(/^["']|["']$/g, ''));
  const destination = args.at(-1) ?? '';
  const sources = args.slice(0, -1);
  if (!destination.startsWith('/')) return [];
  if (destination.endsWith('/') || sources.length > 1)
    return sources.map(
      (source) => `${destination.replace(/\/$/, '')}/${source.replace(/\/$/, '').split('/').pop()}`,
    );
  return [destination];
}

export const IL1002 = defineRule({
  code: 'IL1002',
  severity: 'info',
  doc: "Set a copied file's mode in git (or, outside layers and images, with COPY --chmod), not with a chmod RUN after the COPY.",
  message:
    'COPY then a separate chmod of the same file: the file is stored twice, in two layers; use COPY --chmod or commit the mode',
  *check({ doc, unitAt }) {
    // An ONBUILD COPY and this image's own chmod run in different builds: only pair steps of the same build.
    const key = (path: string, instruction: LintInstruction) =>
      `${instruction.onbuild ? 'onbuild:' : ''}${path}`;
    const copied = new Map<string, number>();
    for (const copy of instructions(doc, 'COPY', 'ADD'))
      for (const path of copiedPaths(copy)) copied.set(key(path, copy), copy.line);
    for (const { instruction, run, command } of commands(doc)) {
      if (command.name !== 'chmod') continue;
      for (const path of command.args.filter((arg) => arg.value.startsWith('/'))) {
        const line = copied.get(key(path.value.replace(/\/$/, ''), instruction));
        if (line !== undefined && line < instruction.line)
          yield hit(
            atWord(run, command.word),
            `chmod of ${path.value}, which an earlier COPY put there, in a separate RUN: the file is stored twice; ${
              unitAt(instruction.line)
                ? 'commit the mode in git (git add --chmod=+x; COPY --chmod is BuildKit-only, IL1009)'
                : 'use COPY --chmod or commit the mode'
            }`,
          );
      }
    }
  },
});
