import { defineRule, hit } from '../rule';
import type { LintUnit } from '../types';

export const IL1005 = defineRule({
  code: 'IL1005',
  severity: 'warning',
  doc: 'A fragment declares every ARG it uses; one declared by another layer couples the two silently.',
  message: 'This ARG is declared in another fragment',
  composedOnly: true,
  *check({ doc, units, unitAt }) {
    if (units.length < 2) return;
    const declared = new Map<LintUnit, Set<string>>();
    const argOwners = new Map<string, LintUnit>();
    for (const instruction of doc.instructions) {
      const unit = unitAt(instruction.line);
      if (!unit || (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV')) continue;
      const names = (instruction.node as unknown as { getProperties(): { getName(): string }[] })
        .getProperties()
        .map((p) => p.getName());
      const set = declared.get(unit) ?? new Set<string>();
      for (const name of names) {
        set.add(name);
        if (instruction.keyword === 'ARG' && !argOwners.has(name)) argOwners.set(name, unit);
      }
      declared.set(unit, set);
    }
    const reported = new Set<string>();
    for (const instruction of doc.instructions) {
      const unit = unitAt(instruction.line);
      if (!unit || instruction.keyword === 'FROM') continue;
      const uses = instruction.run
        ? instruction.run.shell.variables.map((v) => ({ name: v.name, at: instruction.run!.at(v.start) }))
        : instruction.node.getVariables().map((v) => ({
            name: v.getName(),
            at: { line: v.getNameRange().start.line, column: v.getNameRange().start.character },
          }));
      for (const use of uses) {
        const owner = argOwners.get(use.name);
        if (
          !owner ||
          owner === unit ||
          declared.get(unit)?.has(use.name) ||
          reported.has(`${unit.name}:${use.name}:${use.at.line}`)
        )
          continue;
        reported.add(`${unit.name}:${use.name}:${use.at.line}`);
        yield hit(
          use.at,
          `ARG ${use.name} is used here but declared in ${owner.kind} "${owner.name}": declare ARG ${use.name} in this fragment (or make it an option of this layer)`,
        );
      }
    }
  },
});
