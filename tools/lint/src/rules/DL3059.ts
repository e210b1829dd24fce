import type { Flag } from 'dockerfile-ast';
import { atInstruction, defineRule, hit, runFlags } from '../rule';

const flagsText = (flags: Flag[]) =>
  flags
    .map((flag) => `${flag.getName()}=${flag.getValue() ?? ''}`)
    .sort()
    .join(' ');

export const DL3059 = defineRule({
  code: 'DL3059',
  severity: 'info',
  doc: 'Merge consecutive short RUNs (at most two commands each, same flags) of one fragment.',
  message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  *check({ doc, unitAt }) {
    let previous: { flags: string; count: number; unit: unknown } | undefined;
    for (const instruction of doc.instructions) {
      if (instruction.keyword !== 'RUN') {
        previous = undefined;
        continue;
      }
      const current = {
        flags: flagsText(runFlags(instruction)),
        count: instruction.run?.shell.commands.length ?? 1,
        unit: unitAt(instruction.line),
      };
      // RUNs of two different layers stay apart: merging them would merge the layers. hadolint cannot see that.
      if (
        previous &&
        previous.flags === current.flags &&
        previous.unit === current.unit &&
        previous.count <= 2 &&
        current.count <= 2
      ) {
        yield hit(atInstruction(instruction));
      }
      previous = current;
    }
  },
});
