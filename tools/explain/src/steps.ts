import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ComposedImage, ProvenanceBlock } from '@image-layers/compose/compose';
import type { ContextFile } from '@image-layers/compose/context';
import { isComposerLine, rangeHolds, sourceLineOf } from '@image-layers/manifest/line-index';
import { parseDocument } from '@image-layers/lint/document';
import { stepKind, type StepKind } from '@image-layers/lint/step-kind';

// The steps of a composed Dockerfile as Docker's build cache sees them. Docker reuses a step's cached result
// when the step before it was reused and the step itself is the same: the same instruction text (an ARG's
// default too: later RUNs see it in their environment) and, for a COPY or ADD from the build context, the same
// content and mode of every file it copies. The first step that is not the same is re-run, and so is every
// step after it in the stage. Comments and blank lines are no steps.

export interface Step {
  /** 0-based line of the composed Dockerfile. */
  line: number;
  keyword: string;
  /** The instruction as written, continuation lines joined. */
  text: string;
  kind: StepKind;
  /** The layer or image whose fragment holds the step. */
  unit: string;
  unitKind: 'layer' | 'image';
  part: ProvenanceBlock['part'];
  /** The fragment line (relative file, 1-based) the step came from; undefined for a line the composer wrote. */
  source?: { file: string; line: number };
  /** The context files a COPY or ADD copies (paths relative to the workspace root). */
  copies: string[];
  /** What Docker compares: the text, and for a COPY the content and mode of each file it copies. */
  cacheKey: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Hashes of a COPY's files, read once each. */
function fileDigest(file: ContextFile): string {
  return `${file.contextPath}:${file.mode.toString(8)}:${sha256(readFileSync(file.sourceFile))}`;
}

export function composedSteps(composed: ComposedImage, root: string): Step[] {
  const document = parseDocument(composed.dockerfile);
  const lines = composed.dockerfile.split('\n');
  // A COPY's files are found by the fragment line of the COPY (ContextFile.location, 1-based).
  const filesAt = new Map<string, ContextFile[]>();
  for (const file of composed.contextFiles) {
    const at = `${file.location.file}:${file.location.line}`;
    filesAt.set(at, [...(filesAt.get(at) ?? []), file]);
  }
  const steps: Step[] = [];
  for (const instruction of document.instructions) {
    const block = composed.provenance.find((candidate) => rangeHolds(candidate, instruction.line));
    if (!block) continue; // the header's lines are comments; every instruction is in a block
    const composer = isComposerLine(block, instruction.line);
    const sourceLine = sourceLineOf(block, instruction.line) + 1;
    const source = composer ? undefined : { file: block.source, line: sourceLine };
    const copied = composer ? [] : (filesAt.get(`${join(root, block.source)}:${sourceLine}`) ?? []);
    const text = lines
      .slice(instruction.line, instruction.endLine + 1)
      .map((line) => line.trim().replace(/\\$/, '').trim())
      .join(' ');
    steps.push({
      line: instruction.line,
      keyword: instruction.keyword,
      text,
      kind: stepKind(instruction),
      unit: block.unit,
      unitKind: block.kind,
      part: block.part,
      source,
      copies: copied.map((file) => relative(root, file.sourceFile)),
      cacheKey: sha256([text, ...copied.map(fileDigest)].join('\n')),
    });
  }
  return steps;
}
