import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ComposedImage } from './compose';

export const PROVENANCE_FILE = 'image-layers.provenance.json';

// Fixed timestamps keep the staged context byte-for-byte the same on every run (reproducible tars).
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

/**
 * Writes the Dockerfile and its build context to `outDir` atomically: everything is staged in a
 * sibling folder and swapped in with renames, so a failure leaves the previous output as it was.
 */
export function writeComposedImage(composed: ComposedImage, outDir: string): void {
  const staging = `${outDir}.tmp-${process.pid}`;
  const previous = `${outDir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const generated: Record<string, string> = {
      Dockerfile: composed.dockerfile,
      // The provenance file is the linter's source map; the build itself never reads it.
      '.dockerignore': `${PROVENANCE_FILE}\n`,
      [PROVENANCE_FILE]: `${JSON.stringify({ image: composed.image.name, blocks: composed.provenance }, null, 2)}\n`,
    };
    for (const [name, text] of Object.entries(generated)) {
      writeFileSync(join(staging, name), text);
      utimesSync(join(staging, name), FIXED_TIME, FIXED_TIME);
    }
    for (const file of composed.contextFiles) {
      const target = join(staging, file.contextPath);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file.sourceFile, target);
      chmodSync(target, file.mode);
      utimesSync(target, FIXED_TIME, FIXED_TIME);
    }
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(outDir) && existsSync(previous)) renameSync(previous, outDir);
    throw error;
  }
}

/** Writes one file through a temporary sibling and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
