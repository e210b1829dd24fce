import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { ImageLayersError } from '../errors';

// The one way the composer reads a unit's own files (layer.json, image.json, the fragments): a regular file,
// of a sane size, and (when the unit's folder is given) one that really lives inside it, so a link cannot make
// the composer read, and echo in its errors, a file from elsewhere on the machine.

/** Far above any manifest or fragment (the largest here is a few kilobytes); far below what would hurt to read. */
export const MAX_UNIT_FILE_BYTES = 8 * 1024 * 1024;

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
    if (stat.size > MAX_UNIT_FILE_BYTES)
      throw refuse(
        'file-too-large',
        `is ${stat.size} bytes, more than the ${MAX_UNIT_FILE_BYTES} a manifest or fragment may have`,
        'check that this is the file you meant; manifests and fragments are small text files',
      );
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
