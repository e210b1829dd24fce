import type { LintInstruction } from '../document';
import { atArgument, defineRule, hit } from '../rule';

export const DL3045 = defineRule({
  code: 'DL3045',
  severity: 'warning',
  doc: 'COPY to a relative destination needs a WORKDIR set earlier in the stage.',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  composedOnly: true,
  *check({ doc, units }) {
    const workdirSet = new Set<number>();
    const relative = (instruction: LintInstruction) => {
      const args = instruction.node.getArguments();
      const destination = args.at(-1);
      if (!destination || args.length < 2) return undefined;
      const path = destination.getValue().replace(/^["']|["']$/g, '');
      return path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path)
        ? undefined
        : destination;
    };
    // `ONBUILD COPY` runs in a later build, right after its FROM, in the WORKDIR this stage ends with.
    const triggers: LintInstruction[] = [];
    for (const instruction of doc.instructions) {
      if (instruction.trigger?.keyword === 'COPY') triggers.push(instruction.trigger);
      if (instruction.keyword === 'FROM') {
        const base = instruction.node.getArguments()[0]?.getValue().toLowerCase();
        const parent = doc.stages.findIndex(
          (stage, i) => i < instruction.stage && stage.alias?.toLowerCase() === base,
        );
        if (parent !== -1 && workdirSet.has(parent)) workdirSet.add(instruction.stage);
      }
      if (instruction.keyword === 'WORKDIR') workdirSet.add(instruction.stage);
      if (instruction.keyword !== 'COPY' || workdirSet.has(instruction.stage)) continue;
      // A layer fragment linted alone starts where an earlier layer's WORKDIR may have left it: the image's lint decides.
      if (instruction.stage === -1 && units.length > 0) continue;
      const destination = relative(instruction);
      if (destination) yield hit(atArgument(destination));
    }
    for (const trigger of triggers) {
      const destination = workdirSet.has(trigger.stage) ? undefined : relative(trigger);
      if (destination) yield hit(atArgument(destination));
    }
  },
});
