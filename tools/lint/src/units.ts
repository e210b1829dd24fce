import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ComposedImage, ProvenanceBlock } from '@image-layers/compose/compose';
import { readFragment } from '@image-layers/compose/fragment';
import { loadLayer, type LoadedLayer } from '@image-layers/manifest/load';
import { PROVENANCE_FORMAT } from '@image-layers/compose/context';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { readUnitFile } from '@image-layers/manifest/unit-file';
import type { LintUnit } from './types';

// Units tie lines of the linted text to the fragment a user edits and to what its manifest declares:
// the source map of a composed Dockerfile, and the context the layer-aware rules (IL1004-IL1009) need.

const lineCount = (text: string) => text.replace(/\s+$/, '').split('\n').length;

/** A layer's fragment linted on its own. */
export function unitOfLayer(layer: LoadedLayer): LintUnit {
  return {
    name: layer.name,
    kind: 'layer',
    file: layer.fragmentFile,
    firstLine: 0,
    lineCount: lineCount(layer.fragmentText),
    grants: layer.manifest.grants.map((grant) => grant.privilege),
    provides: layer.manifest.provides,
  };
}

/** An image's own fragment linted on its own: it declares no grants (only layers can). */
export function unitOfImageFragment(name: string, file: string, text: string): LintUnit {
  return { name, kind: 'image', file, firstLine: 0, lineCount: lineCount(text), grants: [], provides: [] };
}

/** The units of an image composed in memory: its provenance, its layers' manifests, the files each COPY puts in place. */
export function unitsOfComposed(composed: ComposedImage, root: string): LintUnit[] {
  const layers = new Map(composed.layers.map((layer) => [layer.name, layer]));
  return composed.provenance.map((block) => {
    const layer = block.kind === 'layer' ? layers.get(block.unit) : undefined;
    return {
      name: block.unit,
      kind: block.kind,
      file: join(root, block.source),
      firstLine: block.firstLine,
      lineCount: block.lineCount,
      sourceLine: block.sourceLine,
      composerLines: block.composerLines,
      closingLines: block.closingLines,
      grants: layer ? layer.manifest.grants.map((grant) => grant.privilege) : [],
      provides: layer?.manifest.provides ?? [],
      // The files are in place from the unit's files part on, not during its install steps.
      owns:
        block.part === 'files'
          ? composed.contextFiles.filter((file) => file.unit === block.unit).map((file) => file.destination)
          : [],
    };
  });
}

/**
 * The units of a composed Dockerfile on disk, from the image-layers.provenance.json the composer wrote
 * beside it. Manifests are read from the workspace; a layer that no longer loads keeps its lines mapped.
 */
export function unitsOfProvenance(provenanceFile: string, root: string): LintUnit[] {
  const blocks = readProvenance(provenanceFile);
  let workdir = '/';
  return blocks.map((block) => {
    const span: LintUnit = {
      name: block.unit,
      kind: block.kind,
      file: join(root, block.source),
      firstLine: block.firstLine,
      lineCount: block.lineCount,
      sourceLine: block.sourceLine,
      composerLines: block.composerLines,
      closingLines: block.closingLines,
      grants: [],
      provides: [],
    };
    const dir = dirname(span.file);
    if (!existsSync(span.file)) return span;
    try {
      const text = readFileSync(span.file, 'utf8');
      const layer =
        block.kind === 'layer' && existsSync(join(dir, 'layer.json')) ? loadLayer(dir) : undefined;
      const { fragment } = readFragment(
        {
          name: block.unit,
          kind: block.kind,
          file: span.file,
          text,
          isBase: layer?.manifest.base ?? false,
          setsEntrypoint: layer?.manifest.entrypoint ?? false,
        },
        workdir,
      );
      // Relative COPY destinations resolve against the WORKDIR before the fragment's first COPY: its files part
      // starts in the USER and WORKDIR it was written for (the composer writes them back, cache-order.ts).
      if (block.part === 'files') span.owns = fragment.copySources.map((source) => source.destination);
      else workdir = fragment.workdirAfter;
      if (layer) {
        span.grants = layer.manifest.grants.map((grant) => grant.privilege);
        span.provides = layer.manifest.provides;
      }
    } catch {
      // The lines still map to the fragment; only the layer-aware rules lose this unit's manifest.
    }
    return span;
  });
}

const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/**
 * The blocks of a provenance file, checked: it sits in an output folder anyone can edit, and one written by an
 * older composer (1-based lines) would map every finding to the wrong line.
 */
function readProvenance(file: string): ProvenanceBlock[] {
  const text = readUnitFile(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const { format, blocks } = (parsed ?? {}) as { format?: unknown; blocks?: unknown };
  const valid =
    format === PROVENANCE_FORMAT &&
    Array.isArray(blocks) &&
    blocks.every(
      (block: Partial<ProvenanceBlock>) =>
        typeof block?.unit === 'string' &&
        (block.kind === 'layer' || block.kind === 'image') &&
        typeof block.source === 'string' &&
        isCount(block.firstLine) &&
        isCount(block.lineCount) &&
        isCount(block.sourceLine) &&
        isCount(block.composerLines) &&
        isCount(block.closingLines) &&
        (block.part === 'install' || block.part === 'config' || block.part === 'files'),
    );
  if (!valid) {
    throw new ImageLayersError({
      code: 'stale-provenance',
      location: { file },
      message: `not a provenance file of format ${PROVENANCE_FORMAT} (the composer's source map): it is damaged, or written by another version of image-layers`,
      fix: 'compose the image again (npx nx build <image>, or npx image-layers compose <image-dir>), then lint its Dockerfile',
    });
  }
  return blocks as ProvenanceBlock[];
}
