import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { ImageLayersError } from './errors';

// The one way the composer and the linter read the files they parse (layer.json, image.json, fragments, a
// Dockerfile, .hadolint.yaml): a regular file, of a sane size, and (when the unit's folder is given) one that
// really lives inside it, so a link cannot make the composer read, and echo in its errors, a file from elsewhere.

/**
 * Far above any manifest, fragment or Dockerfile (the largest here is a few kilobytes, the seed's 140 lines 6 kB);
 * far below what would hurt to read: the Dockerfile parser needs ~450 MB and 1.2 s for one megabyte on one line.
 */
export const MAX_UNIT_FILE_BYTES = 1024 * 1024;

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

export function readUnitFile(
  file: string,
  { unit, unitDir, what = basename(file) }: { unit?: string; unitDir?: string; what?: string } = {},
): string {
  const refuse = (code: string, message: string, fix: string) =>
    new ImageLayersError({ code, unit, location: { file }, message: `${what} ${message}`, fix });
  if (unitDir !== undefined) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      throw refuse('missing-file', 'does not exist', `create ${file}`);
    }
    if (!inside(real, realpathSync(unitDir))) {
      throw refuse(
        'file-outside-unit',
        `resolves to ${real}, outside ${relative(process.cwd(), unitDir) || unitDir}`,
        'keep the file itself in the layer or image folder (a link may only point inside it)',
      );
    }
  }
  let fd: number;
  try {
    // Non-blocking, so a FIFO put in a file's place is refused below instead of waiting for a writer forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT'
      ? refuse('missing-file', 'does not exist', `create ${file}`)
      : refuse('unreadable-file', `cannot be read (${code})`, 'check its permissions');
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory())
      throw refuse('not-a-file', 'is a folder, not a file', `remove the folder and write ${what} as a file`);
    if (!stat.isFile())
      throw refuse(
        'not-a-file',
        'is not a regular file (a FIFO, socket or device)',
        `write ${what} as a file`,
      );
    const tooLarge = (size: string) =>
      refuse(
        'file-too-large',
        `${size}, more than the ${MAX_UNIT_FILE_BYTES} (1 MiB) a manifest, fragment or Dockerfile may have`,
        'check that this is the file you meant; manifests, fragments and Dockerfiles are small text files',
      );
    if (stat.size > MAX_UNIT_FILE_BYTES) throw tooLarge(`is ${stat.size} bytes`);
    // Read to the end, not to the size stat gave: a file that grows meanwhile (or a /proc file, which says 0)
    // is read as it is, and still never past the limit.
    const buffer = Buffer.allocUnsafe(MAX_UNIT_FILE_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw refuse('unreadable-file', `cannot be read (${code})`, 'check that it is a readable text file');
      }
      length += read;
    } while (read > 0 && length < buffer.length);
    if (length > MAX_UNIT_FILE_BYTES) throw tooLarge('grew while it was read');
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
