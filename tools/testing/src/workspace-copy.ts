import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@image-layers/support/workspace';

/**
 * Copies this workspace's committed and working-tree files (those `filter` keeps) into `dest`, so a test can edit
 * and run Nx on it without touching the checkout. node_modules is linked entry by entry, except the workspace's
 * own packages (npm's links to tools/*), which point at the copy's folders: Nx follows an `@image-layers/...`
 * import through node_modules, and a link back into the checkout would hide the copy's edges from its graph.
 */
export function copyWorkspace(dest: string, filter: (file: string) => boolean = () => true): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file && filter(file));
  for (const file of files) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(workspaceRoot, file), join(dest, file), { preserveTimestamps: true });
  }
  const linkModules = (from: string, to: string, depth: number) => {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) {
      const source = join(from, name);
      const stat = lstatSync(source);
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(source);
        // npm's workspace links are relative (../tools/x, ../../tools/x): kept relative, they land in the copy.
        if (/^(\.\.\/)+(tools|packages|apps)\//.test(target)) {
          symlinkSync(target, join(to, name));
          continue;
        }
      }
      if (depth === 0 && name.startsWith('@') && stat.isDirectory()) linkModules(source, join(to, name), 1);
      else symlinkSync(source, join(to, name));
    }
  };
  linkModules(join(workspaceRoot, 'node_modules'), join(dest, 'node_modules'), 0);
}
