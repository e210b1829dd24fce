import type { Flag } from 'dockerfile-ast';
import { atWord, commands, defineRule, hit, is, runFlags } from '../rule';
import type { LintDocument, LintInstruction } from '../document';

function cacheTargets(flags: Flag[]): string[] {
  return flags
    .filter((flag) => flag.getName() === 'mount' && /type=cache/.test(flag.getValue() ?? ''))
    .map((flag) => /(?:target|dst|destination)=([^,]+)/.exec(flag.getValue() ?? '')?.[1] ?? '');
}

/** Stages that end up in the image: the last one and any later FROM names. */
function shippedStages(doc: LintDocument): Set<number> {
  const shipped = new Set<number>([doc.stages.length - 1]);
  doc.stages.forEach((stage, index) => {
    const alias = stage.alias?.toLowerCase();
    if (
      alias &&
      doc.stages.slice(index + 1).some((later) => later.from.getImageName()?.toLowerCase() === alias)
    )
      shipped.add(index);
  });
  return shipped;
}

export const DL3009 = defineRule({
  code: 'DL3009',
  severity: 'info',
  doc: 'A RUN with `apt-get update` removes /var/lib/apt/lists/* in the same RUN (or uses a cache mount).',
  message: 'Delete the apt-get lists after installing something',
  *check({ doc }) {
    const shipped = shippedStages(doc);
    const byRun = new Map<LintInstruction, { update?: Parameters<typeof atWord>; cleaned: boolean }>();
    for (const { instruction, run, command } of commands(doc)) {
      const entry = byRun.get(instruction) ?? { cleaned: false };
      if (is(command, 'apt-get', 'update')) entry.update ??= [run, command.word];
      if (command.name === 'rm' && command.args.some((arg) => arg.value.startsWith('/var/lib/apt/lists')))
        entry.cleaned = true;
      byRun.set(instruction, entry);
    }
    for (const [instruction, entry] of byRun) {
      if (!entry.update || entry.cleaned || !shipped.has(instruction.stage)) continue;
      const targets = cacheTargets(runFlags(instruction));
      if (
        targets.some((t) => t.startsWith('/var/lib/apt/lists')) ||
        (targets.some((t) => t.startsWith('/var/lib/apt')) &&
          targets.some((t) => t.startsWith('/var/cache/apt')))
      )
        continue;
      yield hit(atWord(...entry.update));
    }
  },
});
