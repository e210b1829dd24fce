import { cpSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Arg } from 'dockerfile-ast';
import type { ChrootRoot } from './chroot-root';
import { parseLayerFragment } from './fragment';
import type { ScriptRun } from '@image-layers/support/processes';
import { layerDir } from '@image-layers/support/workspace';

export interface ApplyFragmentOptions {
  /** Replaces the layer's files/ folder, to prove that a broken file fails the build. */
  filesDir?: string;
  /** `--build-arg`s: each overrides the default of the fragment's ARG of that name (an option's value). */
  buildArgs?: Record<string, string>;
  /** More variables for every RUN, e.g. a PATH with stand-ins for the network tools first. */
  env?: Record<string, string>;
}

/**
 * Applies a layer's fragment to a throwaway root the way Docker's legacy builder would: each ARG sets its
 * variable for the RUNs after it (its default, or the build argument given), each COPY copies from the layer's
 * files/ (mode kept, owned by root), each RUN runs `/bin/sh -c <body>` as root inside the root.
 * It stops at the first failing RUN, as a build does, and returns that step's result (or the last one's).
 * Only ARG, and COPY and RUN without flags, are supported: anything else throws, so a test never passes by
 * skipping it.
 */
export async function applyFragment(
  root: ChrootRoot,
  layer: string,
  options: ApplyFragmentOptions = {},
): Promise<ScriptRun> {
  const filesDir = options.filesDir ?? join(layerDir(layer), 'files');
  const fragment = parseLayerFragment(layer);
  const runBodies = fragment.bodies('RUN'); // comment lines removed, in order
  const args: Record<string, string> = {};
  let runIndex = 0;
  let last: ScriptRun = { exitCode: 0, stdout: '', stderr: '' };
  for (const instruction of fragment.model.instructions) {
    const keyword = instruction.keyword;
    if (keyword === 'ARG') {
      const properties = (instruction.node as Arg).getProperties();
      if (properties.length === 0)
        throw new Error(`applyFragment(${layer}): cannot read ARG ${instruction.argumentsText}`);
      for (const property of properties) {
        const name = property.getName();
        const value = options.buildArgs?.[name] ?? property.getValue() ?? undefined;
        if (value !== undefined) args[name] = value;
      }
    } else if (keyword === 'COPY') {
      const args = instruction.args.map((argument) => argument.value);
      if (args.length !== 2 || instruction.flags.length > 0 || args.some((arg) => arg.startsWith('--'))) {
        throw new Error(
          `applyFragment(${layer}): only \`COPY <source> <destination>\` is supported, got COPY ${instruction.argumentsText}`,
        );
      }
      const [source, destination] = args as [string, string];
      const target = destination.endsWith('/')
        ? join(destination, source.split('/').pop() ?? source)
        : destination;
      mkdirSync(dirname(root.at(target)), { recursive: true });
      cpSync(join(filesDir, source), root.at(target), {
        recursive: statSync(join(filesDir, source)).isDirectory(),
      });
    } else if (keyword === 'RUN') {
      if (instruction.flags.length > 0)
        throw new Error(
          `applyFragment(${layer}): RUN flags are not supported, got RUN ${instruction.argumentsText}`,
        );
      last = await root.run('/bin/sh', ['-c', runBodies[runIndex++] ?? ''], {
        env: { ...args, ...options.env },
      });
      if (last.exitCode !== 0) return last;
    } else {
      throw new Error(`applyFragment(${layer}): ${keyword} is not supported; extend apply-fragment.ts`);
    }
  }
  return last;
}
