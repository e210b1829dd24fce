import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, join, sep } from 'node:path';

// The one file walker of the machinery. Its symbolic-link policy is explicit and never leaves the root:
// - links: 'never' (the default) lists a link as a `link` entry and does not follow it;
// - links: 'inside' follows a link while what it resolves to stays inside the root (a folder is entered once by
//   its real path, so a link back up the tree is no loop) and lists a link out of the root, or one that leads
//   nowhere, as a problem entry instead.
// Entries come depth-first, each folder's names sorted, so every caller sees the same order on every machine.

export type WalkKind =
  /** A regular file (through links inside the root, with `links: 'inside'`). */
  | 'file'
  /** A symbolic link, not followed (`links: 'never'`). */
  | 'link'
  /** A FIFO, socket or device. */
  | 'other'
  /** `links: 'inside'`: a link (here or on the way) whose target is outside the root. */
  | 'link-outside'
  /** `links: 'inside'`: a link whose target does not exist. */
  | 'dangling-link'
  /** The start path does not exist. */
  | 'missing';

export interface WalkEntry {
  /** The path under the root, as the walk reached it (a link's own path, not its target's). */
  path: string;
  /** root joined with path. */
  full: string;
  kind: WalkKind;
  /** What the entry is: the target's stat for a followed link, the link's own for a `link`; absent for a problem. */
  stat?: Stats;
  /** `link-outside`: where the link leads. */
  target?: string;
}

export interface WalkOptions {
  links?: 'never' | 'inside';
  /** Where to start, under the root ('' for the root itself; a file lists just that file). */
  from?: string;
  /**
   * Which entries to keep: called with each folder's path (false: not entered) and each entry's path and kind
   * (false: left out of the list). The root and the start path are always walked.
   */
  filter?: (path: string, kind: WalkKind | 'folder') => boolean;
}

const inside = (path: string, folder: string) =>
  path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** Every non-folder entry under `root` (or under `from` in it), depth-first and sorted; see the policy above. */
export function walk(root: string, options: WalkOptions = {}): WalkEntry[] {
  const links = options.links ?? 'never';
  const filter = options.filter ?? (() => true);
  const entries: WalkEntry[] = [];
  const start = options.from ?? '';
  const add = (entry: WalkEntry) => {
    if (entry.path === start || filter(entry.path, entry.kind)) entries.push(entry);
  };
  let realRoot = root;
  if (links === 'inside') {
    try {
      realRoot = realpathSync(root);
    } catch {
      return [{ path: start, full: join(root, start), kind: 'missing' }];
    }
  }
  // Folders entered so far, by real path (links: 'inside' only).
  const entered = new Set<string>();

  const visit = (path: string) => {
    const full = join(root, path);
    let own: Stats;
    try {
      own = lstatSync(full);
    } catch {
      add({ path, full, kind: 'missing' });
      return;
    }
    let stat = own;
    if (links === 'never') {
      // The start is the caller's to name: it is read through a link; a link below it is listed, not followed.
      if (own.isSymbolicLink() && path !== start) return add({ path, full, kind: 'link', stat: own });
      if (own.isSymbolicLink()) {
        try {
          stat = statSync(full);
        } catch {
          return add({ path, full, kind: 'missing' });
        }
      }
    } else {
      let real: string;
      try {
        real = realpathSync(full);
      } catch {
        return add({ path, full, kind: own.isSymbolicLink() ? 'dangling-link' : 'missing' });
      }
      // Checked on the resolved path, so a link anywhere on the way (files/scripts -> /etc) is caught too.
      if (!inside(real, realRoot)) return add({ path, full, kind: 'link-outside', target: real });
      stat = statSync(real);
      if (stat.isDirectory()) {
        if (entered.has(real)) return;
        entered.add(real);
      }
    }
    if (stat.isDirectory()) {
      if (path !== start && !filter(path, 'folder')) return;
      for (const name of readdirSync(full).sort()) visit(path === '' ? name : join(path, name));
      return;
    }
    add({ path, full, kind: stat.isFile() ? 'file' : 'other', stat });
  };
  visit(start);
  return entries;
}

/**
 * The regular files under `root` whose name `keep` accepts (links not followed, folders named in `skipFolders`
 * not entered), full paths, as `walk` orders them; none when `root` does not exist.
 */
export function filesUnder(
  root: string,
  keep: (name: string) => boolean = () => true,
  skipFolders: readonly string[] = [],
): string[] {
  return walk(root, {
    filter: (path, kind) =>
      kind === 'folder' ? !skipFolders.includes(basename(path)) : kind === 'file' && keep(basename(path)),
  })
    .filter((entry) => entry.kind === 'file')
    .map((entry) => entry.full);
}
