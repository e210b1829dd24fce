import { atWord, commands, defineRule, hit } from '../rule';

const TOUCHING = new Set(['rm', 'chmod', 'chown', 'chgrp', 'mv', 'unlink', 'truncate', 'shred']);

export const IL1006 = defineRule({
  code: 'IL1006',
  severity: 'warning',
  doc: 'A layer does not delete, move or change the mode or owner of a path another layer put there.',
  message: 'This RUN changes a path another layer owns',
  composedOnly: true,
  *check({ doc, units, unitAt }) {
    if (units.length < 2) return;
    for (const { instruction, run, command } of commands(doc)) {
      if (!TOUCHING.has(command.name)) continue;
      const unit = unitAt(instruction.line);
      for (const arg of command.args) {
        if (!arg.value.startsWith('/')) continue;
        const path = arg.value.replace(/[*?[].*$/, '').replace(/\/$/, '') || '/';
        for (const other of units) {
          // A fragment's install steps and its files are two units of one name (cache order): its own paths are its own.
          if (other.name === unit?.name || other.firstLine > instruction.line) continue;
          const owned = other.owns?.find(
            (p) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`),
          );
          if (owned)
            yield hit(
              atWord(run, arg),
              `\`${command.name}\` changes ${owned}, which ${other.kind} "${other.name}" puts into the image: change it in "${other.name}" instead`,
            );
        }
      }
    }
  },
});
