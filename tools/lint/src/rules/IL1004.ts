import { atFirstArgument, defineRule, hit } from '../rule';
import type { LintInstruction } from '../document';

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
    let current = units[0];
    let atStart = new Map(state);
    let last = new Map<string, LintInstruction>();
    const leaves = function* (unit: typeof current) {
      if (!unit || unit.kind !== 'layer') return;
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
    for (const instruction of doc.instructions) {
      const unit = unitAt(instruction.line);
      if (unit !== current) {
        yield* leaves(current);
        current = unit;
        atStart = new Map(state);
        last = new Map();
      }
      if (!STATES[instruction.keyword]) continue;
      const value = valueOf(instruction);
      state.set(
        instruction.keyword,
        instruction.keyword === 'WORKDIR' && !value.startsWith('/')
          ? `${state.get('WORKDIR')!.replace(/\/$/, '')}/${value}`
          : value,
      );
      last.set(instruction.keyword, instruction);
    }
    yield* leaves(current);
  },
});
