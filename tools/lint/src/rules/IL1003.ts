import type { From } from 'dockerfile-ast';
import { atFirstArgument, defineRule, hit } from '../rule';

export const IL1003 = defineRule({
  code: 'IL1003',
  severity: 'info',
  doc: 'Pin the base image by digest (image:tag@sha256:...), so the same Dockerfile builds the same base.',
  message:
    'The base image has no digest: a tag can move to other bytes at any time; pin it as image:tag@sha256:<digest>',
  *check({ doc }) {
    const aliases = new Set<string>();
    // ARG defaults declared before FROM: `FROM ${BASE_IMAGE}` is judged by what it resolves to.
    const defaults = new Map<string, string>();
    for (const instruction of doc.instructions) {
      if (instruction.keyword === 'ARG' && instruction.stage === -1) {
        const [name, value] = (instruction.node.getArgumentsContent() ?? '').trim().split(/=(.*)/s);
        if (name && value !== undefined) defaults.set(name, value.replace(/^["']|["']$/g, ''));
      }
      if (instruction.keyword !== 'FROM') continue;
      const from = instruction.node as From;
      const written = from.getImage() ?? '';
      const image = written.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_, name: string) => defaults.get(name) ?? `$${name}`,
      );
      const known = aliases.has(written.toLowerCase());
      const alias = from.getBuildStage();
      if (alias) aliases.add(alias.toLowerCase());
      if (image === '' || image === 'scratch' || known || image.includes('$') || image.includes('@sha256:'))
        continue;
      yield hit(
        atFirstArgument(instruction),
        `The base image ${image} has no digest: a tag can move to other bytes at any time; pin it as ${image}@sha256:<digest>`,
      );
    }
  },
});
