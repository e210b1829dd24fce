import type { DockerfileInstruction } from '@image-layers/manifest/dockerfile-model';
import { ImageLayersError } from '@image-layers/manifest/errors';
import type { ParsedFragment } from './fragment';

// Docker re-runs every step after the first one whose cache a change invalidates. The files a layer COPYs (its
// scripts, an adapter) are what people edit; its installs (apt, npm, pip) are what costs minutes. Composed in
// plain layer order, the image's own fragment and every later layer's installs came after every earlier layer's
// COPYs, so an edit of askpass re-ran the agent CLI's npm install.
//
// The order here: each fragment is cut at its first COPY (or ADD) from the build context into its *install part*
// (what comes before: its packages, users, downloads) and its *files part* (the COPY and what follows it).
// A COPY into /tmp/ that a later RUN of the same fragment names is that step's input, not a file the image
// ships (node-runtime's install script): it stays in the install part, since the installs after it (the agent
// CLI's npm install) need what it installs. Editing such a file re-runs the install that reads it, as it must. The
// composed Dockerfile has every install part, in image.json's order, then every files part, in the same order.
// Layer order is kept within each phase, so what a layer requires of an earlier one's installs is still there;
// what moves is a files part past the install parts of the units after it. Two things could change meaning:
//
// - USER and WORKDIR: a part ran in the state the fragments before it left. Where the state the part was written
//   for differs from the one it now starts in, the composer writes the USER and WORKDIR back first, and at the
//   end of the image, so the image's config is the same as in layer order.
// - An install step that uses a path an earlier unit's files part COPYs would now run before the file is there:
//   refused, with the fix.
//
// The base image is taken to start as root in / (Docker's defaults; python:3.11-slim's).

export type FragmentPart = 'install' | 'files';

/** Lines [sourceLine, sourceLine + lines.length) of one fragment, after options were applied. */
export interface FragmentSlice {
  part: FragmentPart;
  /** 0-based line of the fragment where the slice starts. */
  sourceLine: number;
  lines: string[];
  instructions: DockerfileInstruction[];
}

interface BuildState {
  user: string;
  workdir: string;
}

const BASE_STATE: BuildState = { user: 'root', workdir: '/' };

const isContextCopy = (instruction: DockerfileInstruction) =>
  (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
  !instruction.flags.some((flag) => flag.name === 'from');

/** A COPY into /tmp/ whose destination a later RUN of the fragment names: a build input of that RUN. */
export function isInstallInput(
  copy: Pick<DockerfileInstruction, 'args'>,
  later: Pick<DockerfileInstruction, 'keyword' | 'argumentsText'>[],
): boolean {
  const destination = copy.args[copy.args.length - 1]?.value ?? '';
  if (!destination.startsWith('/tmp/') || copy.args.length < 2) return false;
  const named = destination.endsWith('/') ? destination.replace(/\/+$/, '') : destination;
  return later.some(
    (instruction) => instruction.keyword === 'RUN' && instruction.argumentsText.includes(named),
  );
}

/**
 * Cuts a fragment's text (options applied; its lines are the fragment's) at its first COPY from the build
 * context that is not an install input. The comment lines directly above that COPY say what it copies and go
 * with it. A fragment with no
 * COPY is all install part; one with no instruction before its first COPY is all files part.
 */
export function sliceFragment(fragment: ParsedFragment, text: string): FragmentSlice[] {
  const lines = text.split('\n');
  const { instructions } = fragment;
  const firstCopy = instructions.find(
    (instruction, index) =>
      isContextCopy(instruction) && !isInstallInput(instruction, instructions.slice(index + 1)),
  );
  let cut = firstCopy?.line ?? lines.length;
  while (cut > 0 && /^\s*#/.test(lines[cut - 1] ?? '')) cut--;
  const install = instructions.filter((instruction) => instruction.line < cut);
  if (!firstCopy) return [{ part: 'install', sourceLine: 0, lines, instructions }];
  if (install.length === 0) return [{ part: 'files', sourceLine: 0, lines, instructions }];
  return [
    { part: 'install', sourceLine: 0, lines: lines.slice(0, cut), instructions: install },
    {
      part: 'files',
      sourceLine: cut,
      lines: lines.slice(cut),
      instructions: instructions.filter((instruction) => instruction.line >= cut),
    },
  ];
}

function after(state: BuildState, instructions: DockerfileInstruction[]): BuildState {
  let { user, workdir } = state;
  for (const instruction of instructions) {
    const value = instruction.argumentsText.trim();
    if (instruction.keyword === 'USER') user = value;
    if (instruction.keyword === 'WORKDIR')
      workdir = value.startsWith('/') ? value : `${workdir.replace(/\/$/, '')}/${value}`;
  }
  return { user, workdir };
}

/**
 * What of the state a slice's instructions depend on: the user a RUN runs as, the folder a RUN runs in and a
 * relative COPY destination or WORKDIR resolves against. A slice of absolute COPYs and metadata depends on neither.
 */
function dependsOn(slice: FragmentSlice): { user: boolean; workdir: boolean } {
  const runs = slice.instructions.some((instruction) => instruction.keyword === 'RUN');
  const relative = slice.instructions.some(
    (instruction) =>
      ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
        !(instruction.args[instruction.args.length - 1]?.value ?? '/').startsWith('/')) ||
      (instruction.keyword === 'WORKDIR' && !instruction.argumentsText.trim().startsWith('/')),
  );
  return { user: runs, workdir: runs || relative };
}

/** USER and WORKDIR lines that turn `from` into `to`, with the comment that says why they are there. */
function restore(
  from: BuildState,
  to: BuildState,
  why: string,
  needed = { user: true, workdir: true },
): string[] {
  const lines: string[] = [];
  if (needed.user && from.user !== to.user) lines.push(`USER ${to.user}`);
  if (needed.workdir && from.workdir !== to.workdir) lines.push(`WORKDIR ${to.workdir}`);
  return lines.length > 0 ? [`# image-layers: ${why}`, ...lines] : [];
}

export interface OrderedSlice<Unit> {
  unit: Unit;
  slice: FragmentSlice;
  /** Lines the composer writes before the slice: USER and WORKDIR as the slice was written for. */
  composerLines: string[];
}

export interface CacheOrder<Unit> {
  slices: OrderedSlice<Unit>[];
  /** USER and WORKDIR as the image's last fragment left them in layer order, when the new order ends elsewhere. */
  closingLines: string[];
}

/**
 * Every unit's install part in order, then every files part in order, each started in the USER and WORKDIR
 * it was written for. `units` are in image.json's order (the image's own fragment last).
 */
export function cacheOrder<Unit extends { fragment: ParsedFragment; name: string }>(
  units: { unit: Unit; slices: FragmentSlice[] }[],
): { order: CacheOrder<Unit>; errors: ImageLayersError[] } {
  // The state each slice starts in when the fragments run in layer order: what it was written for.
  const writtenFor = new Map<FragmentSlice, BuildState>();
  let state = BASE_STATE;
  for (const { slices } of units)
    for (const slice of slices) {
      writtenFor.set(slice, state);
      state = after(state, slice.instructions);
    }
  const finalState = state;

  const installs = units.flatMap(({ unit, slices }) =>
    slices.filter((slice) => slice.part === 'install').map((slice) => ({ unit, slice })),
  );
  const files = units.flatMap(({ unit, slices }) =>
    slices.filter((slice) => slice.part === 'files').map((slice) => ({ unit, slice })),
  );
  const errors = filesUsedTooEarly(units);

  state = BASE_STATE;
  const slices: OrderedSlice<Unit>[] = [];
  for (const { unit, slice } of [...installs, ...files]) {
    const wanted = writtenFor.get(slice)!;
    const needed = dependsOn(slice);
    const composerLines = restore(
      state,
      wanted,
      `${unit.name}'s ${slice.part === 'files' ? 'files' : 'install steps'} were written to run as ${wanted.user} in ${wanted.workdir} (the install steps of every layer come before the files: cache order)`,
      needed,
    );
    slices.push({ unit, slice, composerLines });
    const start = {
      user: needed.user ? wanted.user : state.user,
      workdir: needed.workdir ? wanted.workdir : state.workdir,
    };
    state = after(start, slice.instructions);
  }
  const closingLines = restore(
    state,
    finalState,
    'the user and folder the image ends with, as in layer order',
  );
  return { order: { slices, closingLines }, errors };
}

/**
 * An install part that names a path an earlier unit's files part COPYs: in the new order it runs before that
 * COPY. Paths are matched as text in the step (a script path a RUN calls, a file it reads).
 */
function filesUsedTooEarly<Unit extends { fragment: ParsedFragment; name: string }>(
  units: { unit: Unit; slices: FragmentSlice[] }[],
): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  const copiedEarlier: { unit: Unit; destination: string }[] = [];
  for (const { unit, slices } of units) {
    const install = slices.find((slice) => slice.part === 'install');
    for (const instruction of install?.instructions ?? []) {
      if (instruction.keyword !== 'RUN') continue;
      const used = copiedEarlier.find(({ destination }) => instruction.argumentsText.includes(destination));
      if (!used) continue;
      errors.push(
        new ImageLayersError({
          code: 'install-step-needs-files',
          unit: unit.name,
          location: { file: unit.fragment.unit.file, line: instruction.line + 1, column: 1 },
          message: `this RUN, before the fragment's first COPY, uses ${used.destination}, which ${used.unit.fragment.unit.kind} "${used.unit.name}" COPYs: the composer runs every fragment's steps before its first COPY ahead of all COPYs (so an edited file re-runs no install), and the file would not be there yet`,
          fix: `move this RUN below a COPY in its fragment (it then runs with the files), or install the file in "${used.unit.name}" before its first COPY`,
        }),
      );
    }
    if (slices.some((slice) => slice.part === 'files'))
      for (const source of unit.fragment.copySources)
        if (source.destination.length > 1) copiedEarlier.push({ unit, destination: source.destination });
  }
  return errors;
}
