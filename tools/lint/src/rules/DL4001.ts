import { atWord, defineRule, hit, runs } from '../rule';

export const DL4001 = defineRule({
  code: 'DL4001',
  severity: 'warning',
  doc: 'A stage uses either wget or curl, not both.',
  message: 'Either use Wget or Curl but not both',
  *check({ doc }) {
    const used = new Map<number, Set<string>>();
    for (const { instruction, run } of runs(doc)) {
      const tools = run.shell.commands.filter(
        (command) => command.name === 'curl' || command.name === 'wget',
      );
      const seen = used.get(instruction.stage) ?? new Set<string>();
      for (const tool of tools) seen.add(tool.name);
      used.set(instruction.stage, seen);
      if (tools.length > 0 && seen.size >= 2) yield hit(atWord(run, tools[0]!.word));
    }
  },
});
