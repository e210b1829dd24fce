import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { collectLayer } from '@image-layers/compose/check-layer';
import { composeImage } from '@image-layers/compose/compose';
import { PROVENANCE_FILE } from '@image-layers/compose/write';
import { ImageLayersError, ImageLayersErrors } from '@image-layers/manifest/errors';
import {
  findWorkspaceRoot,
  IMAGE_MANIFEST,
  LAYER_FRAGMENT,
  LAYER_MANIFEST,
  loadImage,
  loadLayer,
} from '@image-layers/manifest/load';
import { MAX_UNIT_FILE_BYTES, readUnitFile } from '@image-layers/manifest/unit-file';
import type { LintConfig } from './config';
import { applyConfig, lintText, sortFindings } from './engine';
import { ruleByCode } from './rules/index';
import { classifyShipped, secretsInFiles, shellcheck } from './scripts';
import type { Finding, LintUnit } from './types';
import { unitOfImageFragment, unitOfLayer, unitsOfComposed, unitsOfProvenance } from './units';

/** A path that cannot be linted: missing, unreadable, or neither a Dockerfile nor a layer or image folder. */
export class LintUsageError extends Error {}

interface LintJob {
  text: string;
  file: string;
  units: LintUnit[];
  /** The files the image or layer ships, as the composer stages them: scripts shellchecked, all searched for credentials. */
  shipped?: string[];
  /** What the composer refuses about the layer (a link out of files/, a missing COPY source), as findings. */
  problems?: ImageLayersError[];
}

function workspaceRootOf(path: string): string {
  try {
    return findWorkspaceRoot(path);
  } catch {
    return process.cwd();
  }
}

/** A Dockerfile named on the command line: a regular file of at most 1 MiB (a FIFO would block, /dev/zero never end). */
function readText(file: string): string {
  try {
    return readUnitFile(file, { what: 'this Dockerfile' });
  } catch (error) {
    if (error instanceof ImageLayersError)
      throw new LintUsageError(`${file}: ${error.message}; ${error.fix}`);
    throw error;
  }
}

/** What `lint PATH` lints: a layer folder, an image folder (composed in memory), or a Dockerfile. */
function jobFor(path: string): LintJob {
  const full = resolve(path);
  if (!existsSync(full)) throw new LintUsageError(`${path}: no such file or folder`);
  if (statSync(full).isDirectory()) {
    if (existsSync(join(full, LAYER_MANIFEST))) {
      const { layer, files, errors } = collectLayer(full);
      return {
        text: layer.fragmentText,
        file: layer.fragmentFile,
        units: [unitOfLayer(layer)],
        shipped: files.map((file) => file.sourceFile),
        problems: errors,
      };
    }
    if (existsSync(join(full, IMAGE_MANIFEST))) {
      const composed = composeImage(full);
      if (composed.dockerfile.length > MAX_UNIT_FILE_BYTES)
        throw new LintUsageError(
          `${path}: the composed Dockerfile is ${composed.dockerfile.length} bytes, more than the ${MAX_UNIT_FILE_BYTES} (1 MiB) the linter reads; check the fragments for a pasted blob`,
        );
      return {
        text: composed.dockerfile,
        file: join(full, 'Dockerfile (composed)'),
        units: unitsOfComposed(composed, workspaceRootOf(full)),
        // Every layer's files as well as the image's own: what the image ships is what is linted.
        shipped: composed.contextFiles.map((file) => file.sourceFile),
      };
    }
    if (existsSync(join(full, 'Dockerfile'))) return jobFor(join(full, 'Dockerfile'));
    throw new LintUsageError(
      `${path}: a folder without layer.json, image.json or Dockerfile; pass a Dockerfile, a layer or an image folder`,
    );
  }
  const text = readText(full);
  const dir = dirname(full);
  if (basename(full) === LAYER_FRAGMENT && existsSync(join(dir, LAYER_MANIFEST)))
    return { text, file: full, units: [unitOfLayer(loadLayer(dir))] };
  if (existsSync(join(dir, IMAGE_MANIFEST)) && loadImage(dir).fragmentFile === full)
    return { text, file: full, units: [unitOfImageFragment(basename(dir), full, text)] };
  if (existsSync(join(dir, PROVENANCE_FILE)))
    return { text, file: full, units: unitsOfProvenance(join(dir, PROVENANCE_FILE), workspaceRootOf(dir)) };
  return { text, file: full, units: [] };
}

/** A layer or image that does not load or compose is reported as findings at the composer's locations. */
function compositionFindings(error: ImageLayersError | ImageLayersErrors): Finding[] {
  const rule = ruleByCode.get('IL0007')!;
  return (error instanceof ImageLayersErrors ? error.errors : [error]).map((problem) => ({
    file: problem.location.file,
    line: problem.location.line ?? 1,
    column: problem.location.column ?? 1,
    code: rule.code,
    severity: rule.severity,
    message: `${problem.code}: ${problem.message} (fix: ${problem.fix})`,
  }));
}

/** Lints one path (see jobFor) with the given config; throws LintUsageError for what cannot be linted. */
export async function lintPath(path: string, config: LintConfig): Promise<Finding[]> {
  let job: LintJob;
  try {
    job = jobFor(path);
  } catch (error) {
    if (error instanceof ImageLayersError || error instanceof ImageLayersErrors)
      return applyConfig(compositionFindings(error), config);
    throw error;
  }
  const findings = await lintText({ text: job.text, file: job.file, units: job.units, config });
  if (!job.shipped) return findings;
  const files = classifyShipped([...new Set(job.shipped)]);
  return sortFindings([
    ...findings,
    ...applyConfig(
      [
        ...compositionFindings(new ImageLayersErrors(job.problems ?? [])),
        ...shellcheck(files.scripts),
        ...secretsInFiles(files.texts),
      ],
      config,
    ),
  ]);
}
