import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  type BigIntStats,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { findWorkspaceRoot } from '@image-layers/manifest/load';
import type { ComposedImage } from './compose';
import { PROVENANCE_FILE, PROVENANCE_FORMAT, RESERVED_CONTEXT_NAMES } from './context';

export { PROVENANCE_FILE };

// Fixed timestamps keep the staged context byte-for-byte the same on every run (reproducible tars).
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

/** Top-level folders of the workspace that hold sources: an output never goes into, onto or around one. */
const SOURCE_FOLDERS = ['packages', 'apps', 'tools'];
/** Folders of the workspace that are not the user's to overwrite at all. */
const NEVER_INSIDE = ['.git', 'node_modules'];

/** The path with every existing part resolved through symbolic links, so a link cannot hide where it points. */
function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return resolve(path);
  }
}

const isInside = (path: string, folder: string) => {
  const rest = relative(folder, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
};

function unsafeOutput(out: string, message: string, fix: string): ImageLayersError {
  return new ImageLayersError({ code: 'unsafe-output', location: { file: out }, message, fix });
}

const fixOut =
  'give --out a new or empty folder, or one an earlier compose wrote (the default is dist/<image-dir>)';

/**
 * Refuses an output folder whose replacement would destroy something that is not a previous output: the
 * workspace or a folder around it, a layer's, image's or tool's sources (or a folder holding them), .git,
 * a file, a symbolic link, or a non-empty folder without the provenance file the composer writes.
 */
export function checkOutputFolder(outDir: string, workspaceRoot: string): void {
  const out = realPathOf(outDir);
  const root = realPathOf(workspaceRoot);
  if (isInside(root, out)) {
    throw unsafeOutput(
      outDir,
      out === root
        ? 'is the workspace root: writing there would replace the whole workspace'
        : 'holds the workspace: writing there would replace it',
      fixOut,
    );
  }
  if (isInside(out, root)) {
    const inWorkspace = relative(root, out).split(sep);
    if (NEVER_INSIDE.includes(inWorkspace[0]!)) {
      throw unsafeOutput(outDir, `is inside ${inWorkspace[0]}/, which the composer never writes to`, fixOut);
    }
    if (SOURCE_FOLDERS.includes(inWorkspace[0]!)) {
      const project = inWorkspace.slice(0, 2).join('/');
      throw unsafeOutput(
        outDir,
        inWorkspace.length <= 1
          ? `is ${project}/, which holds the workspace's layer, image and tool sources`
          : `is inside ${project}, a source folder: the output would replace or join its sources`,
        fixOut,
      );
    }
  }
  // Another compose may move the folder aside and empty it while it is read here: a verdict counts only when the
  // same folder is still in place after it was read, else it is read again (what is there is nothing to lose).
  for (let attempt = 0; attempt < 100; attempt++) {
    let before;
    try {
      before = lstatSync(outDir, { bigint: true });
    } catch {
      return; // nothing there
    }
    try {
      checkExistingOutput(outDir, before);
      return;
    } catch (error) {
      let after;
      try {
        after = lstatSync(outDir, { bigint: true });
      } catch {
        continue;
      }
      // A folder moved or emptied meanwhile has a new change time (and an inode reused by a new one a new birth).
      const unchanged = (['dev', 'ino', 'ctimeNs', 'birthtimeNs'] as const).every(
        (key) => after[key] === before[key],
      );
      if (unchanged) throw error;
    }
  }
}

function checkExistingOutput(outDir: string, stat: BigIntStats): void {
  if (stat.isSymbolicLink())
    throw unsafeOutput(
      outDir,
      'is a symbolic link; the composer replaces only real folders',
      'pass the folder the link points to, or a new folder',
    );
  if (!stat.isDirectory())
    throw unsafeOutput(outDir, 'is a file, not a folder: the composer would replace it', fixOut);
  const entries = readdirSync(outDir);
  if (entries.length === 0) return;
  if (!entries.includes(PROVENANCE_FILE) || !lstatSync(join(outDir, PROVENANCE_FILE)).isFile()) {
    throw unsafeOutput(
      outDir,
      `is a folder with files the composer did not write (no ${PROVENANCE_FILE} in it): replacing it would delete them`,
      fixOut,
    );
  }
}

/** 8 hex digits that tell this process's temporary names apart (not node:crypto's: loading it cost a start ~4 ms). */
const randomHex = () =>
  Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');

/** The names of this process's temporary siblings of an output folder: `<name>.tmp-<pid>-<random>`. */
function temporarySibling(outDir: string, kind: 'tmp' | 'old'): string {
  return `${outDir}.${kind}-${process.pid}-${randomHex()}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what a compose killed half-way left beside the output folder (its process is gone). */
function removeStaleSiblings(outDir: string): void {
  const name = basename(outDir);
  const parent = dirname(outDir);
  const pattern = new RegExp(
    `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:tmp|old)-(\\d+)-[0-9a-f]{8}$`,
  );
  let siblings: string[];
  try {
    siblings = readdirSync(parent);
  } catch {
    return;
  }
  for (const sibling of siblings) {
    const pid = pattern.exec(sibling)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid))) {
      rmSync(join(parent, sibling), { recursive: true, force: true });
    }
  }
}

function stage(composed: ComposedImage, staging: string): void {
  mkdirSync(staging, { recursive: true });
  const generated: Record<string, string> = {
    Dockerfile: composed.dockerfile,
    // The provenance file is the linter's source map; the build itself never reads it.
    '.dockerignore': `${PROVENANCE_FILE}\n`,
    [PROVENANCE_FILE]: `${JSON.stringify({ format: PROVENANCE_FORMAT, image: composed.image.name, blocks: composed.provenance }, null, 2)}\n`,
  };
  for (const [name, text] of Object.entries(generated)) {
    writeFileSync(join(staging, name), text, { flag: 'wx' });
    utimesSync(join(staging, name), FIXED_TIME, FIXED_TIME);
  }
  for (const file of composed.contextFiles) {
    // The composer refuses these names at the COPY's line; this is the last guard, never the first.
    if (RESERVED_CONTEXT_NAMES.includes(file.contextPath.toLowerCase()))
      throw new Error(`refusing to stage ${file.contextPath}: the composer writes it`);
    const target = join(staging, file.contextPath);
    mkdirSync(dirname(target), { recursive: true });
    // COPYFILE_EXCL: a context file never replaces another one, nor a generated file.
    copyFileSync(file.sourceFile, target, constants.COPYFILE_EXCL);
    chmodSync(target, file.mode);
    utimesSync(target, FIXED_TIME, FIXED_TIME);
  }
}

/**
 * Swaps the staged folder in. Several composes may write the same folder at once (parallel Nx tasks, a user
 * beside CI): each moves whatever is there aside under its own name and retries until its rename lands, so
 * the folder is always some compose's complete output and every process removes only what it moved.
 */
function swapIn(staging: string, outDir: string, workspaceRoot: string): void {
  const movedAside: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        renameSync(staging, outDir);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      if (attempt > 1000) throw new Error(`${outDir} kept changing under 1000 attempts to replace it`);
      // What another process put there since the first check is held to the same rule.
      checkOutputFolder(outDir, workspaceRoot);
      const aside = temporarySibling(outDir, 'old');
      try {
        renameSync(outDir, aside);
        movedAside.push(aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  } catch (error) {
    // Never leave the user without the previous output when this compose could not put its own in place.
    const previous = movedAside.pop();
    if (previous && !existsSync(outDir)) renameSync(previous, outDir);
    throw error;
  } finally {
    for (const aside of movedAside) rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * Writes the Dockerfile and its build context to `outDir` atomically: everything is staged in a sibling
 * folder and swapped in with renames, so a failure leaves the previous output as it was. Only a folder the
 * composer wrote (or an empty one) is ever replaced: see checkOutputFolder.
 */
export function writeComposedImage(composed: ComposedImage, outDir: string): void {
  const out = resolve(outDir);
  const workspaceRoot = findWorkspaceRoot(composed.image.dir);
  checkOutputFolder(out, workspaceRoot);
  mkdirSync(dirname(out), { recursive: true });
  removeStaleSiblings(out);
  const staging = temporarySibling(out, 'tmp');
  try {
    stage(composed, staging);
    swapIn(staging, out, workspaceRoot);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes one file through a temporary sibling and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}-${randomHex()}`;
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}
