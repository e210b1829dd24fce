import { basename } from 'node:path';
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
// composed Dockerfile has every install part, in image.json's order, then every config part (below), then every
// files part, in image.json's order or, when they are COPYs alone, in the originals' (originalsFileOrder).
// Layer order is kept within the install phase, so what a layer requires of an earlier one's installs is there;
// what moves is a files part past the install parts of the units after it. Two things could change meaning:
//
// - USER and WORKDIR: a part ran in the state the fragments before it left. Where the state the part was written
//   for differs from the one it now starts in, the composer writes the USER and WORKDIR back first, and at the
//   end of the image, so the image's config is the same as in layer order.
// - An install step that uses a path an earlier unit's files part COPYs would now run before the file is there:
//   refused, with the fix.
//
// The image's config (ENV, ARG, ENTRYPOINT, LABEL, ...) that a fragment sets after its last COPY is its *config
// part*. Such a step changes no file, yet the legacy builder commits it as a step of its own, and every one of them
// after an edited file runs again (the seed's ENTRYPOINT after its last COPY). So when the files phase is COPYs
// alone (no RUN it could change the environment of, no `$` whose expansion a hoisted ENV or ARG could change, no
// config step between two COPYs whose order with a hoisted one would change), every config part goes between the
// install phase and the files phase, in image.json's order: an edited file then re-runs COPYs only. Otherwise each
// stays after its own files, as in layer order.
//
// The base image is taken to start as root in / (Docker's defaults; python:3.11-slim's).

export type FragmentPart = 'install' | 'config' | 'files';

/** How the composed Dockerfile's comments and messages name each part. */
export const PART_NAMES: Record<FragmentPart, string> = {
  install: 'install steps',
  config: 'image config',
  files: 'files',
};

/** Instructions that set the image's config and nothing on its file system: what a config part may hold. */
const CONFIG_KEYWORDS = new Set([
  'ENV',
  'ARG',
  'LABEL',
  'ENTRYPOINT',
  'CMD',
  'EXPOSE',
  'STOPSIGNAL',
  'HEALTHCHECK',
]);

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
  if (!firstCopy) return [{ part: 'install', sourceLine: 0, lines, instructions }];
  // The config steps after the last instruction that is not one: the config part, when a COPY comes before it.
  let configFrom = instructions.length;
  while (configFrom > 0 && CONFIG_KEYWORDS.has(instructions[configFrom - 1]!.keyword)) configFrom--;
  const cuts: { part: FragmentPart; line: number }[] = [
    { part: 'install', line: 0 },
    { part: 'files', line: withCommentsAbove(lines, firstCopy.line) },
  ];
  if (configFrom < instructions.length && instructions[configFrom]!.line > firstCopy.line)
    cuts.push({ part: 'config', line: withCommentsAbove(lines, instructions[configFrom]!.line) });
  return cuts
    .map(({ part, line }, index) => {
      const end = cuts[index + 1]?.line ?? lines.length;
      return {
        part,
        sourceLine: line,
        lines: lines.slice(line, end),
        instructions: instructions.filter(
          (instruction) => instruction.line >= line && instruction.line < end,
        ),
      };
    })
    .filter((slice) => slice.instructions.length > 0);
}

/** The line where the comment lines directly above `line` start: they say what that step does and go with it. */
function withCommentsAbove(lines: string[], line: number): number {
  let cut = line;
  while (cut > 0 && /^\s*#/.test(lines[cut - 1] ?? '')) cut--;
  return cut;
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

  const inPart = (part: FragmentPart) =>
    units.flatMap(({ unit, slices }) =>
      slices.filter((slice) => slice.part === part).map((slice) => ({ unit, slice })),
    );
  const installs = inPart('install');
  const files = inPart('files');
  // Without hoisting, a config part stays right after its own unit's files (as in layer order).
  const filesThenConfig = hoistable(files.map(({ slice }) => slice))
    ? [...inPart('config'), ...originalsFileOrder(files)]
    : units.flatMap(({ unit, slices }) =>
        slices.filter((slice) => slice.part !== 'install').map((slice) => ({ unit, slice })),
      );
  const errors = filesUsedTooEarly(units);

  state = BASE_STATE;
  const slices: OrderedSlice<Unit>[] = [];
  for (const { unit, slice } of [...installs, ...filesThenConfig]) {
    const wanted = writtenFor.get(slice)!;
    const needed = dependsOn(slice);
    const composerLines = restore(
      state,
      wanted,
      `${unit.name}'s ${PART_NAMES[slice.part]} were written to run as ${wanted.user} in ${wanted.workdir} (the install steps of every layer come before the files: cache order)`,
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
 * Whether the config parts may go before every files part: the files parts hold COPYs (and USER, WORKDIR) with no
 * `$` in them, so no RUN sees another environment, no expansion changes and no two config steps change order.
 */
function hoistable(files: FragmentSlice[]): boolean {
  return files.every((slice) =>
    slice.instructions.every(
      (instruction) =>
        ['COPY', 'ADD', 'USER', 'WORKDIR'].includes(instruction.keyword) &&
        !instruction.argumentsText.includes('$'),
    ),
  );
}

/**
 * COPY-only files parts in the order the hand-written originals copy them: the image's own files (its adapter)
 * first, the entrypoint layer's script last, right under the ENTRYPOINT it is, the layers' files between in
 * image.json's order. Then an edit of the entrypoint re-runs one COPY and one of a shared script few, as in the
 * originals. Order matters between COPYs only where two units write the same path (the later one wins): then
 * image.json's order is kept.
 */
function originalsFileOrder<Unit extends { fragment: ParsedFragment }>(
  files: { unit: Unit; slice: FragmentSlice }[],
): { unit: Unit; slice: FragmentSlice }[] {
  const paths = files.map(({ unit }) =>
    unit.fragment.copySources.map((source) =>
      source.destination.endsWith('/') ? `${source.destination}${basename(source.path)}` : source.destination,
    ),
  );
  const overlap = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const clash = paths.some((mine, index) =>
    paths.some(
      (theirs, other) =>
        other !== index &&
        files[other]!.unit !== files[index]!.unit &&
        mine.some((path) => theirs.some((their) => overlap(path, their))),
    ),
  );
  if (clash) return files;
  const rank = ({ unit }: { unit: Unit }) =>
    unit.fragment.unit.kind === 'image' ? 0 : unit.fragment.unit.setsEntrypoint ? 2 : 1;
  // Array.prototype.sort is stable: image.json's order within each rank.
  return [...files].sort((a, b) => rank(a) - rank(b));
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
