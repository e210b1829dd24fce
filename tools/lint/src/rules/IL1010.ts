import { isInstallInput } from '@image-layers/compose/cache-order';
import { sourceLineOf } from '@image-layers/manifest/line-index';
import type { LintInstruction } from '../document';
import { atInstruction, atWord, defineRule, hit } from '../rule';
import { installCommands, isExpensive, stepKind } from '../step-kind';

// Docker re-runs every step after the first one whose cache an edit invalidates. An install after a COPY of files
// people edit (scripts, an adapter) re-runs on each of their edits. The composer puts every fragment's steps before
// its first COPY ahead of all COPYs (compose/cache-order.ts); this finds what that cannot move: an install a
// fragment itself writes after a COPY, or one in a plain Dockerfile. A COPY whose files the install reads
// (`COPY requirements.txt .` before `pip install -r requirements.txt`) is its input, and is left alone; so is a
// COPY into /tmp/ of a script a later RUN runs (node-runtime's install script), which the composer keeps with the
// install steps too (isInstallInput): it is part of an install, not a file people edit.

/** The words a COPY or ADD names: its sources' last path parts and its destination, as a RUN would use them. */
function namesOf(copy: LintInstruction): string[] {
  const values = copy.args.map((arg) => arg.value.replace(/\/$/, ''));
  const destination = values.at(-1) ?? '';
  const sources = values.slice(0, -1).map((source) => source.split('/').pop() ?? source);
  return [...sources, ...(destination.length > 1 ? [destination] : [])].filter(
    (name) => name && name !== '.',
  );
}

export const IL1010 = defineRule({
  code: 'IL1010',
  severity: 'warning',
  doc: 'An install step (package manager or download) does not come after a COPY of files it does not read: each edit of those files would re-run it.',
  message: 'This install re-runs whenever a file copied before it changes',
  *check({ doc, unitAt }) {
    const copies: LintInstruction[] = [];
    for (const [index, instruction] of doc.instructions.entries()) {
      const kind = stepKind(instruction);
      if (kind === 'copy' && !isInstallInput(instruction, doc.instructions.slice(index + 1)))
        copies.push(instruction);
      if (!isExpensive(kind) || instruction.keyword !== 'RUN') continue;
      const text = instruction.argumentsText;
      const before = copies.find(
        (copy) => copy.stage === instruction.stage && !namesOf(copy).some((name) => text.includes(name)),
      );
      if (!before) continue;
      const unit = unitAt(before.line);
      const where = unit
        ? `line ${sourceLineOf(unit, before.line) + 1} of ${unit.kind} "${unit.name}"`
        : `line ${before.line + 1}`;
      const command = installCommands(instruction)[0];
      const what = command
        ? `\`${[command.name, ...command.args.slice(0, 1).map((a) => a.value)].join(' ')}\``
        : 'This install';
      yield hit(
        command && instruction.run ? atWord(instruction.run, command.word) : atInstruction(instruction),
        `${what} re-runs whenever a file of the COPY at ${where} changes (${namesOf(before).join(', ')}): ${
          unitAt(instruction.line)
            ? "move this RUN above its fragment's first COPY (the composer then places it before every fragment's files)"
            : 'move this RUN above that COPY'
        }, or COPY only the files it reads right before it`,
      );
    }
  },
});
