import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { layerDir } from '@image-layers/support/workspace';

export interface ParsedFragment {
  text: string;
  instructions: Instruction[];
  /** Instructions whose keyword is `keyword` (upper case), in order. */
  all(keyword: string): Instruction[];
  /** The argument text of each instruction with that keyword, comments inside a RUN removed. */
  bodies(keyword: string): string[];
}

/** Parses a Dockerfile fragment with dockerfile-ast, the parser the composer and linter use. */
export function parseDockerfileText(text: string): ParsedFragment {
  const instructions = DockerfileParser.parse(text).getInstructions();
  const all = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword.toUpperCase());
  return {
    text,
    instructions,
    all,
    bodies: (keyword) =>
      all(keyword).map((i) =>
        (i.getArgumentsContent() ?? '')
          .split('\n')
          .filter((line) => !/^\s*#/.test(line))
          .join('\n'),
      ),
  };
}

/** A layer's layer.Dockerfile, parsed. */
export function parseLayerFragment(layer: string): ParsedFragment {
  return parseDockerfileText(readFileSync(join(layerDir(layer), 'layer.Dockerfile'), 'utf8'));
}
