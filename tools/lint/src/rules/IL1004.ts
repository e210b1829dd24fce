import { atFirstArgument, defineRule, hit } from '../rule';
import type { LintInstruction } from '../document';
import type { LintUnit } from '../types';
import { isComposerLine } from '@image-layers/manifest/line-index';

/** The state each of these instructions sets, how a layer declares that it leaves it set, and Docker's default. */
const STATES: Record<string, { capability: string; initial: string }> = {
  USER: { capability: 'runs-as', initial: 'root' },
  WORKDIR: { capability: 'workdir', initial: '/' },
  SHELL: { capability: 'shell', initial: '["/bin/sh","-c"]' },
};

const valueOf = (instruction: LintInstruction) =>
  (instruction.node.getArgumentsContent() ?? '')
    .trim()
    .replace(/\s+/g, instruction.keyword === 'SHELL' ? '' : ' ');

export const IL1004 = defineRule({
  code: 'IL1004',
  severity: 'warning',
  doc: 'A layer that changes USER, WORKDIR or SHELL restores it, or declares what it leaves (provides runs-as:, workdir:, shell:).',
  message: 'This layer leaves the build state changed for every layer after it',
  *check({ doc, units, unitAt }) {
    const state = new Map(Object.entries(STATES).map(([keyword, { initial }]) => [keyword, initial]));
    // A fragment may sit in two blocks (cache order: its install steps, later its files): it is judged whole, from
    // the state its first block starts in to the one its last block leaves.
    const lastBlockOf = new Map<string, LintUnit>();
    for (const unit of units) {
      const seen = lastBlockOf.get(unit.file);
      if (!seen || seen.firstLine < unit.firstLine) lastBlockOf.set(unit.file, unit);
    }
    const progress = new Map<string, { atStart: Map<string, string>; last: Map<string, LintInstruction> }>();
    let current: LintUnit | undefined;
    const enter = (unit: LintUnit | undefined) => {
      current = unit;
      if (unit && !progress.has(unit.file))
        progress.set(unit.file, { atStart: new Map(state), last: new Map() });
    };
    const leaves = function* (unit: LintUnit | undefined) {
      if (!unit || unit.kind !== 'layer' || lastBlockOf.get(unit.file) !== unit) return;
      const { atStart, last } = progress.get(unit.file)!;
      for (const [keyword, instruction] of last) {
        const value = state.get(keyword)!;
        if (value === atStart.get(keyword)) continue;
        const capability = `${STATES[keyword]!.capability}:${value.replace(/^["']|["']$/g, '')}`;
        if (unit.provides?.includes(capability)) continue;
        yield hit(
          atFirstArgument(instruction),
          `Layer "${unit.name}" sets ${keyword} ${value} and leaves it set for the layers after it: restore ${keyword} ${atStart.get(keyword)} at its end, or declare "${capability}" in its layer.json "provides"`,
        );
      }
    };
    enter(units[0]);
    for (const instruction of doc.instructions) {
      const unit = unitAt(instruction.line);
      if (unit !== current) {
        yield* leaves(current);
        enter(unit);
      }
      if (!STATES[instruction.keyword]) continue;
      const value = valueOf(instruction);
      state.set(
        instruction.keyword,
        instruction.keyword === 'WORKDIR' && !value.startsWith('/')
          ? `${state.get('WORKDIR')!.replace(/\/$/, '')}/${value}`
          : value,
      );
      // The composer's own USER and WORKDIR (cache order writes back the state a moved part was written for)
      // are not the layer's doing.
      if (unit && !isComposerLine(unit, instruction.line))
        progress.get(unit.file)!.last.set(instruction.keyword, instruction);
    }
    yield* leaves(current);
  },
});
