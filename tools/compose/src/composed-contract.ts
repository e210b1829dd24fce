import { parseDockerfile, type DockerfileInstruction } from '@image-layers/manifest/dockerfile-model';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { rangeHolds, sourceLineOf, type SourceMappedRange } from '@image-layers/manifest/line-index';
import { jsonKind, remembered } from '@image-layers/manifest/remembered';
import type { FragmentSlice } from './cache-order';
import type { ParsedFragment } from './fragment';

// The layer contract is checked on each fragment before options are applied; this checks it again on the
// composed text, after. Option values are refused when they could change the file's structure, so this should
// never fire: it is the guard for what those checks miss (a quoting rule, a parser directive), so that no value
// can add an instruction, a second FROM or an ENTRYPOINT that skipped the fragment checks (one ENTRYPOINT, from
// the image's fragment or the one entrypoint layer).

/** A block of the composed Dockerfile: the stretch of a fragment it came from and the lines it sits on. */
export interface ComposedBlock extends SourceMappedRange {
  fragment: ParsedFragment;
  slice: FragmentSlice;
  /** The lines the composer wrote before and after the fragment's (USER and WORKDIR written back, cache-order.ts). */
  composedBefore: string[];
  composedAfter: string[];
}

/** What this check reads of an instruction of the composed text. */
type ComposedInstruction = Pick<DockerfileInstruction, 'keyword' | 'line'>;

const keywords = (instructions: ComposedInstruction[]) =>
  instructions.map((instruction) => instruction.keyword);

/** The top-level instructions of a Dockerfile text, keyword and first line. */
const KEYWORD_LINES = jsonKind<ComposedInstruction[]>('dockerfile-keyword-lines', 1);

export function composedContractErrors(dockerfile: string, blocks: ComposedBlock[]): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  /** An error at 0-based `line` of the composed text, reported at its 1-based line in the fragment it came from. */
  const contract = (block: ComposedBlock | undefined, line: number, message: string) =>
    new ImageLayersError({
      code: 'composed-contract',
      unit: block?.fragment.unit.name,
      location: block
        ? { file: block.fragment.unit.file, line: sourceLineOf(block, line) + 1, column: 1 }
        : { file: 'Dockerfile (composed)', line: line + 1, column: 1 },
      message: `the composed Dockerfile breaks the layer contract: ${message}`,
      fix: 'check the option values set for this fragment (image.json) and its ARG lines; then report it, this check should never be the first to catch it',
    });

  const carriageReturn = /\r(?!\n)/.exec(dockerfile);
  if (carriageReturn) {
    const line = dockerfile.slice(0, carriageReturn.index).split('\n').length - 1;
    errors.push(
      contract(blockAt(blocks, line), line, 'a lone carriage return, which parsers split differently'),
    );
  }
  // Remembered between CLI starts (manifest/remembered.ts): the composed text is the same until a source changes.
  const instructions = remembered(KEYWORD_LINES, dockerfile, () =>
    parseDockerfile(dockerfile).instructions.map(({ keyword, line }) => ({ keyword, line })),
  );
  const byBlock = new Map<ComposedBlock, ComposedInstruction[]>(blocks.map((block) => [block, []]));
  for (const instruction of instructions) {
    const block = blockAt(blocks, instruction.line);
    if (!block)
      errors.push(contract(undefined, instruction.line, `${instruction.keyword} outside every fragment`));
    else byBlock.get(block)!.push(instruction);
  }
  for (const [block, composed] of byBlock) {
    const written = (lines: string[]) =>
      lines.filter((line) => !line.startsWith('#')).map((line) => line.split(' ')[0]!);
    const expected = [
      ...written(block.composedBefore),
      ...keywords(block.slice.instructions),
      ...written(block.composedAfter),
    ];
    const found = keywords(composed);
    if (expected.join(' ') !== found.join(' ')) {
      const first = found.findIndex((keyword, index) => keyword !== expected[index]);
      const at = composed[first < 0 ? composed.length - 1 : first]?.line ?? block.firstLine;
      errors.push(
        contract(
          block,
          at,
          `its ${block.fragment.unit.kind} "${block.fragment.unit.name}" has ${found.length} instructions where the fragment has ${expected.length}`,
        ),
      );
    }
    const isImage = block.fragment.unit.kind === 'image';
    const setsEntrypoint =
      block.fragment.unit.kind === 'layer' && block.fragment.unit.setsEntrypoint === true;
    for (const instruction of composed) {
      const keyword = instruction.keyword;
      const line = instruction.line;
      if (keyword === 'FROM' && !block.fragment.unit.isBase)
        errors.push(contract(block, line, 'a FROM outside the base layer'));
      if (keyword === 'CMD' && !isImage)
        errors.push(contract(block, line, `CMD outside the image's own fragment`));
      if (keyword === 'ENTRYPOINT' && !isImage && !setsEntrypoint)
        errors.push(
          contract(block, line, `ENTRYPOINT outside the image's fragment and the entrypoint layer`),
        );
    }
  }
  const entrypoints = instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT');
  if (entrypoints.length > 1) {
    const line = entrypoints[1]!.line;
    errors.push(
      contract(
        blockAt(blocks, line),
        line,
        `${entrypoints.length} ENTRYPOINT instructions; an image has one`,
      ),
    );
  }
  const froms = instructions.filter((instruction) => instruction.keyword === 'FROM');
  if (froms.length > 1) {
    const line = froms[1]!.line;
    errors.push(contract(blockAt(blocks, line), line, `${froms.length} FROM instructions; an image has one`));
  }
  return errors;
}

function blockAt(blocks: ComposedBlock[], line: number): ComposedBlock | undefined {
  return blocks.find((block) => rangeHolds(block, line));
}
