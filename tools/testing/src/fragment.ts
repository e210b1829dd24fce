import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Arg, Instruction } from 'dockerfile-ast';
import { parseDockerfile, type DockerfileModel } from '@image-layers/manifest/dockerfile-model';
import { isComposerLine, rangeHolds, type SourceMappedRange } from '@image-layers/manifest/line-index';
import { loadLayer } from '@image-layers/manifest/load';
import type { LayerManifest } from '@image-layers/manifest/schema';
import { layerDir } from '@image-layers/support/workspace';

/** A Dockerfile or fragment as a test reads it (the composer's own parsed fragment is compose/fragment.ts's ParsedFragment). */
export interface DockerfileUnderTest {
  text: string;
  /** The machinery's Dockerfile model of the text (manifest/dockerfile-model.ts). */
  model: DockerfileModel;
  /** dockerfile-ast's nodes of the model's instructions, in order. */
  instructions: Instruction[];
  /** Instructions whose keyword is `keyword` (upper case), in order. */
  all(keyword: string): Instruction[];
  /** The argument text of each instruction with that keyword, comments inside a RUN removed. */
  bodies(keyword: string): string[];
  /**
   * Each name an ARG declares, in order: one ARG instruction may declare several (`ARG A=1 \` then `B=2`), so a
   * test reads names here rather than splitting an ARG's text.
   */
  argDeclarations: ArgDeclarationUnderTest[];
  /** The default an ARG name ends with (the last declaration wins, as in Docker); undefined when none is given. */
  argDefault(name: string): string | undefined;
}

export interface ArgDeclarationUnderTest {
  name: string;
  /** The default, quotes removed (`A="x y"` gives `x y`); undefined for `ARG A`. */
  value: string | undefined;
  /** The index of the declaring ARG in `instructions`. */
  instructionIndex: number;
}

/**
 * A composed Dockerfile with the lines the composer wrote itself (the USER and WORKDIR it writes back for cache
 * order, compose/cache-order.ts) turned into comments, line for line: what the fragments themselves say, for a
 * test that compares their switches with an original's.
 */
export function fragmentsOnly(text: string, provenance: SourceMappedRange[]): DockerfileUnderTest {
  const lines = text.split('\n').map((line, index) => {
    const block = provenance.find((range) => rangeHolds(range, index));
    return block && isComposerLine(block, index) && !line.startsWith('#') ? `# (composer) ${line}` : line;
  });
  return parseDockerfileText(lines.join('\n'));
}

/** Parses a Dockerfile fragment with the Dockerfile model the composer and linter use. */
export function parseDockerfileText(text: string): DockerfileUnderTest {
  const model = parseDockerfile(text);
  const argDeclarations = model.instructions.flatMap((instruction, instructionIndex) =>
    instruction.keyword === 'ARG'
      ? (instruction.node as Arg).getProperties().map((property) => ({
          name: property.getName(),
          value: property.getValue() ?? undefined,
          instructionIndex,
        }))
      : [],
  );
  return {
    text,
    model,
    instructions: model.instructions.map((instruction) => instruction.node),
    all: (keyword) => model.all(keyword).map((instruction) => instruction.node),
    bodies: (keyword) =>
      model.all(keyword).map((instruction) =>
        instruction.argumentsText
          .split('\n')
          .filter((line) => !/^\s*#/.test(line))
          .join('\n'),
      ),
    argDeclarations,
    argDefault: (name) => argDeclarations.findLast((declaration) => declaration.name === name)?.value,
  };
}

/** A layer's layer.Dockerfile, parsed. */
export function parseLayerFragment(layer: string): DockerfileUnderTest {
  return parseDockerfileText(readFileSync(join(layerDir(layer), 'layer.Dockerfile'), 'utf8'));
}

/** A layer's layer.json as the composer loads it (defaults filled in), for tests that hold a layer to it. */
export function layerManifest(layer: string): LayerManifest {
  return loadLayer(layerDir(layer)).manifest;
}
