import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript, workspaceRoot } from '@image-layers/testing';

/** The real `image-layers lint` command run in `dir`, and a way to write a file there: what the CLI tests share. */
export function lintCliIn(dir: string) {
  return {
    cli: (...args: string[]) =>
      runScript(
        process.execPath,
        [join(workspaceRoot, 'tools/image-layers/bin/image-layers.js'), 'lint', ...args],
        { cwd: dir, timeoutMs: 60_000 },
      ),
    file: (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return name;
    },
  };
}
