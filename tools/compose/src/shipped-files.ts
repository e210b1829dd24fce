import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

// The one walker of a unit's files/ folder: the composer stages what it lists and the linter lints the same
// list, so what is shipped is what is linted. A unit's files are its own: a symbolic link is followed only
// while it stays inside the unit's files/ folder (what it points at is shipped as a regular file), and
// anything else a COPY could reach (a link out of the folder, a dangling link, a FIFO or a device) is refused.

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

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

/** The files `source` (a file or folder under `filesDir`) ships, sorted, and what it cannot ship. */
export function listShippedFiles(
  filesDir: string,
  source: string,
): { files: ShippedFile[]; unshippable: UnshippableFile[] } {
  const files: ShippedFile[] = [];
  const unshippable: UnshippableFile[] = [];
  let realFilesDir: string;
  try {
    realFilesDir = realpathSync(filesDir);
  } catch {
    return { files, unshippable: [{ path: source, problem: 'missing' }] };
  }
  // Folders entered so far, by real path: a link back up the tree is walked once, never in a loop.
  const entered = new Set<string>();

  const visit = (path: string) => {
    const full = join(filesDir, path);
    let link;
    try {
      link = lstatSync(full);
    } catch {
      unshippable.push({ path, problem: 'missing' });
      return;
    }
    let real: string;
    try {
      real = realpathSync(full);
    } catch {
      unshippable.push({ path, problem: link.isSymbolicLink() ? 'dangling-link' : 'missing' });
      return;
    }
    // Checked on the resolved path, so a link anywhere on the way (files/scripts -> /etc) is caught too.
    if (!inside(real, realFilesDir)) {
      unshippable.push({ path, problem: 'link-outside', target: real });
      return;
    }
    const stat = statSync(real);
    if (stat.isDirectory()) {
      if (entered.has(real)) return;
      entered.add(real);
      for (const name of readdirSync(full).sort()) visit(path === '' ? name : join(path, name));
      return;
    }
    if (!stat.isFile()) {
      unshippable.push({ path, problem: 'not-regular' });
      return;
    }
    files.push({ path, executable: (stat.mode & 0o111) !== 0, size: stat.size });
  };
  visit(source);
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
