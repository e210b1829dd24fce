import { atFirstArgument, defineRule, hit, instructions } from '../rule';

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

export const DL3025 = defineRule({
  code: 'DL3025',
  severity: 'warning',
  doc: 'CMD and ENTRYPOINT take the JSON (exec) form, so signals reach the process.',
  message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  *check({ doc }) {
    for (const instruction of instructions(doc, 'CMD', 'ENTRYPOINT')) {
      const content = (instruction.node.getArgumentsContent() ?? '').trim();
      if (content !== '' && !isJsonArray(content)) yield hit(atFirstArgument(instruction));
    }
  },
});
