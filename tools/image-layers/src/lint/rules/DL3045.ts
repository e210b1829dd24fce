import { atArgument, defineRule, hit } from '../rule';

export const DL3045 = defineRule({
  code: 'DL3045',
  severity: 'warning',
  doc: 'COPY to a relative destination needs a WORKDIR set earlier in the stage.',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  composedOnly: true,
  *check({ doc, units }) {
    const workdirSet = new Set<number>();
    for (const instruction of doc.instructions) {
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
      const args = instruction.node.getArguments();
      const destination = args.at(-1);
      if (!destination || args.length < 2) continue;
      const path = destination.getValue().replace(/^["']|["']$/g, '');
      if (path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path)) continue;
      yield hit(atArgument(destination));
    }
  },
});
