import { closeSync, openSync, readSync } from 'node:fs';
import { walk } from '@image-layers/support/walk';

// The one list of a unit's files/ folder: the composer stages what it lists and the linter lints the same
// list, so what is shipped is what is linted. A unit's files are its own: the walk (support/walk.ts, links:
// 'inside') follows a symbolic link only while it stays inside the unit's files/ folder (what it points at is
// shipped as a regular file), and anything else a COPY could reach (a link out of the folder, a dangling link,
// a FIFO or a device) is refused.

/** A regular file a COPY source puts into the build context. */
export interface ShippedFile {
  /** Its path under files/, as the build context holds it (a link's path, not its target's). */
  path: string;
  /** True when git (or the author) made it executable. */
  executable: boolean;
  size: number;
}

/** Why a path under files/ cannot be shipped. */
export interface UnshippableFile {
  path: string;
  problem: 'missing' | 'link-outside' | 'dangling-link' | 'not-regular';
  /** Where a link leads, for the message. */
  target?: string;
}

/** The files `source` (a file or folder under `filesDir`) ships, sorted, and what it cannot ship. */
export function listShippedFiles(
  filesDir: string,
  source: string,
): { files: ShippedFile[]; unshippable: UnshippableFile[] } {
  const files: ShippedFile[] = [];
  const unshippable: UnshippableFile[] = [];
  for (const entry of walk(filesDir, { links: 'inside', from: source })) {
    if (entry.kind === 'file')
      files.push({ path: entry.path, executable: (entry.stat!.mode & 0o111) !== 0, size: entry.stat!.size });
    else if (entry.kind === 'link-outside')
      unshippable.push({ path: entry.path, problem: 'link-outside', target: entry.target });
    else if (entry.kind === 'dangling-link' || entry.kind === 'missing')
      unshippable.push({ path: entry.path, problem: entry.kind });
    else unshippable.push({ path: entry.path, problem: 'not-regular' });
  }
  return { files, unshippable };
}

/** The first `length` bytes of a file, read without loading the rest (context files may be gigabytes). */
export function readHead(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * The 1-based line of the first CRLF in a file, read in chunks so a file of any size costs a few kilobytes
 * of memory; undefined when there is none.
 */
export function firstCrlfLine(file: string): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 16);
    let line = 1;
    let previousWasCr = false;
    for (let position = 0; ;) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) return undefined;
      for (let index = 0; index < read; index++) {
        const byte = chunk[index];
        if (byte === 0x0a) {
          if (previousWasCr) return line;
          line++;
        }
        previousWasCr = byte === 0x0d;
      }
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}
