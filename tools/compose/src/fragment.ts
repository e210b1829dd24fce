import type { Arg, JSONArgument } from 'dockerfile-ast';
import {
  instructionsOf,
  loadDockerfileAst,
  parseDockerfile,
  plainInstructions,
  type DockerfileInstruction,
  type PlainInstruction,
} from '@image-layers/manifest/dockerfile-model';
import { ImageLayersError, type SourceLocation } from '@image-layers/manifest/errors';
import { jsonKind, remembered } from '@image-layers/manifest/remembered';

/** A fragment is one unit's Dockerfile text: a layer's layer.Dockerfile or an image's own fragment. */
export interface FragmentUnit {
  /** The layer's or image's name, for messages. */
  name: string;
  kind: 'layer' | 'image';
  file: string;
  text: string;
  isBase: boolean;
  /** A layer with "entrypoint": true in its manifest: it sets the image's ENTRYPOINT, once. */
  setsEntrypoint?: boolean;
  /** For the image's own fragment: the listed layer that sets ENTRYPOINT, when there is one. */
  entrypointLayer?: string;
}

export interface CopySource {
  /** The source path as written, relative to the unit's files/ folder. */
  path: string;
  /** Where the instruction puts it in the image (absolute when WORKDIR is known). */
  destination: string;
  location: SourceLocation;
}

/**
 * One name an ARG declares, as the composer sets its default: 0-based places. A run of ARGs is best written as
 * one instruction (`ARG A=1 \` then `B=2` on the next line): the legacy builder commits each instruction as a
 * build step, cache hit or not.
 */
export interface FragmentArg {
  /** The line the name is on. */
  line: number;
  /** The default as written, null for `ARG NAME` without one. */
  value: string | null;
  /** Where the name ends, and the default when there is one. */
  nameEnd: { line: number; character: number };
  valueEnd: { line: number; character: number } | null;
}

export interface ParsedFragment {
  unit: FragmentUnit;
  instructions: DockerfileInstruction[];
  /** Each name an ARG declares (one ARG may declare several); a later ARG of a name replaces an earlier one. */
  args: Map<string, FragmentArg>;
  copySources: CopySource[];
  /** WORKDIR when the fragment ends (absolute paths only), for the next unit's relative COPYs. */
  workdirAfter: string;
}

function locationOf(
  unit: FragmentUnit,
  instruction: DockerfileInstruction,
  line = instruction.line,
  character = 0,
): SourceLocation {
  return { file: unit.file, line: line + 1, column: character + 1 };
}

/** dockerfile-utils' errors (not warnings) in a Dockerfile text: 0-based places and messages. */
const VALIDATION_ERRORS = jsonKind<{ line: number; character: number; message: string }[]>(
  'dockerfile-utils-errors',
  1,
);

/**
 * dockerfile-utils' validate(), loaded when a text's errors are not remembered: a start whose fragments are
 * remembered loads no Dockerfile parser (see loadDockerfileAst, which it calls first for the argument split).
 */
function validator(): typeof import('dockerfile-utils').validate {
  loadDockerfileAst();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous and lazy, as said above
  return (require('dockerfile-utils') as typeof import('dockerfile-utils')).validate;
}

/** dockerfile-utils judges a fragment as a Dockerfile; fragments after the base get a stand-in FROM first. */
function syntaxErrors(unit: FragmentUnit): ImageLayersError[] {
  const prefix = unit.isBase ? '' : 'FROM scratch\n';
  const shift = unit.isBase ? 0 : 1;
  // Remembered between CLI starts (manifest/remembered.ts): the validator parses the text again, cold.
  const text = prefix + unit.text;
  return remembered(VALIDATION_ERRORS, text, () =>
    validator()(text)
      .filter((diagnostic) => diagnostic.severity === 1)
      .map((diagnostic) => ({
        line: diagnostic.range.start.line,
        character: diagnostic.range.start.character,
        message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
      })),
  )
    .filter((error) => error.line >= shift)
    .map(
      (error) =>
        new ImageLayersError({
          code: 'invalid-instruction',
          unit: unit.name,
          location: { file: unit.file, line: error.line - shift + 1, column: error.character + 1 },
          message: error.message,
          fix: 'correct the instruction; the fragment must be valid Dockerfile syntax on its own',
        }),
    );
}

/** dockerfile-ast ends a line at a lone CR and BuildKit does not: the two would read different instructions. */
function carriageReturnErrors(unit: FragmentUnit): ImageLayersError[] {
  const found = /\r(?!\n)/.exec(unit.text);
  if (!found) return [];
  const before = unit.text.slice(0, found.index);
  return [
    new ImageLayersError({
      code: 'lone-carriage-return',
      unit: unit.name,
      location: {
        file: unit.file,
        line: before.split('\n').length,
        column: found.index - before.lastIndexOf('\n'),
      },
      message: 'a carriage return without a line feed: Dockerfile parsers disagree on where this line ends',
      fix: 'save the fragment with LF (or CRLF) line endings only',
    }),
  ];
}

function structureErrors(unit: FragmentUnit, instructions: DockerfileInstruction[]): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  if (unit.isBase && froms.length === 0) {
    errors.push(
      new ImageLayersError({
        code: 'base-without-from',
        unit: unit.name,
        location: { file: unit.file, line: 1, column: 1 },
        message: 'the base layer has no FROM',
        fix: 'start the base layer with FROM <image>, or set "base": false in its layer.json',
      }),
    );
  }
  froms.slice(unit.isBase ? 1 : 0).forEach((from) =>
    errors.push(
      new ImageLayersError({
        code: unit.isBase ? 'second-from' : 'from-outside-base',
        unit: unit.name,
        location: locationOf(unit, from),
        message: unit.isBase
          ? 'the base layer has a second FROM; an image is built on one base'
          : `FROM in ${unit.kind} "${unit.name}", which is not the base layer: it would throw away every layer before it`,
        fix: unit.isBase
          ? 'keep one FROM in the base layer'
          : 'remove this FROM; the image\'s base comes from the one layer with "base": true',
      }),
    ),
  );
  const entrypoints = instructions.filter((i) => i.keyword === 'ENTRYPOINT');
  if (unit.kind === 'layer' && unit.setsEntrypoint && entrypoints.length === 0) {
    errors.push(
      new ImageLayersError({
        code: 'entrypoint-layer-without-entrypoint',
        unit: unit.name,
        location: { file: unit.file, line: 1, column: 1 },
        message: `layer "${unit.name}" says "entrypoint": true in its layer.json but its fragment sets no ENTRYPOINT`,
        fix: 'add ENTRYPOINT ["/path/to/script"] to the fragment, or remove "entrypoint": true from layer.json',
      }),
    );
  }
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const found = instructions.filter((i) => i.keyword === keyword);
    // The image's own fragment may set each once; the entrypoint layer ENTRYPOINT once, and then the image not.
    const layerSets = keyword === 'ENTRYPOINT' && unit.kind === 'layer' && unit.setsEntrypoint === true;
    const imageYields =
      keyword === 'ENTRYPOINT' && unit.kind === 'image' && unit.entrypointLayer !== undefined;
    const allowed = unit.kind === 'image' ? (imageYields ? 0 : 1) : layerSets ? 1 : 0;
    found.slice(allowed).forEach((instruction) => {
      const lower = keyword.toLowerCase();
      let code: string, message: string, fix: string;
      if (imageYields) {
        code = 'entrypoint-set-by-layer';
        message = `ENTRYPOINT in the image's fragment, but layer "${unit.entrypointLayer}" sets it ("entrypoint": true in its layer.json): an image has one ENTRYPOINT`;
        fix = `remove this ENTRYPOINT and put the image's own start-up steps into hooks (COPY them into /entrypoint.d/root/ or /entrypoint.d/agent/), or remove "${unit.entrypointLayer}" from image.json`;
      } else if (unit.kind === 'image' || layerSets) {
        code = `second-${lower}`;
        message = `a second ${keyword}: only the last one takes effect`;
        fix = `keep one ${keyword} in this fragment`;
      } else {
        code = `${lower}-in-layer`;
        message =
          keyword === 'ENTRYPOINT'
            ? `ENTRYPOINT in layer "${unit.name}", which is not the entrypoint layer: only the image app, or the one layer with "entrypoint": true, decides what the container runs`
            : `CMD in layer "${unit.name}": only the image app decides what the container runs`;
        fix =
          keyword === 'ENTRYPOINT'
            ? "remove it, and set ENTRYPOINT in the image app's own fragment (image.Dockerfile), or add a hook to the entrypoint layer's /entrypoint.d"
            : "remove it, and set CMD in the image app's own fragment (image.Dockerfile)";
      }
      errors.push(
        new ImageLayersError({
          code,
          unit: unit.name,
          location: locationOf(unit, instruction),
          message,
          fix,
        }),
      );
    });
  }
  return errors;
}

function resolveDestination(
  destination: string,
  source: string,
  sourceCount: number,
  workdir: string,
): string {
  const absolute = destination.startsWith('/') ? destination : `${workdir.replace(/\/$/, '')}/${destination}`;
  const intoFolder = sourceCount > 1 || destination.endsWith('/') || destination === '.';
  const base = source.replace(/\/$/, '').split('/').pop() ?? source;
  return (intoFolder ? `${absolute.replace(/\/?\.?$/, '')}/${base}` : absolute).replace(/\/\.\//g, '/');
}

/**
 * The words of a COPY or ADD after its flags: JSON strings in the exec form (`COPY ["a b", "/c"]`, whose values
 * are read from the source text: dockerfile-ast's own values drop spaces), else the shell-form words.
 */
function copyArguments(text: string, instruction: DockerfileInstruction): CopyWord[] {
  const json =
    (instruction.node as unknown as { getJSONStrings?(): JSONArgument[] }).getJSONStrings?.() ?? [];
  if (json.length > 0) {
    const lines = text.split('\n');
    return json.map((string) => {
      const { start, end } = string.getRange();
      const raw =
        start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character) : '""';
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = string.getJSONValue();
      }
      return { value, range: { start: { line: start.line, character: start.character } } };
    });
  }
  return instruction.args.map((arg) => ({
    value: arg.value,
    range: { start: { line: arg.span.line, character: arg.span.column } },
  }));
}

/** COPY and ADD sources from the build context (not --from=stage, not URLs), with where they land. */
function copySources(
  unit: FragmentUnit,
  instructions: DockerfileInstruction[],
  copyWords: FragmentReading['copyWords'],
  workdirBefore: string,
): { sources: CopySource[]; workdirAfter: string; errors: ImageLayersError[] } {
  const sources: CopySource[] = [];
  const errors: ImageLayersError[] = [];
  let workdir = workdirBefore;
  for (const instruction of instructions) {
    const keyword = instruction.keyword;
    if (keyword === 'WORKDIR') {
      const path = instruction.argumentsText.trim();
      workdir = path.startsWith('/') ? path : `${workdir.replace(/\/$/, '')}/${path}`;
      continue;
    }
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    if (instruction.flags.some((flag) => flag.name === 'from')) continue;
    const args = copyWords[instruction.index] ?? [];
    const destination = args[args.length - 1]?.value ?? '';
    const sourceArgs = args.slice(0, -1);
    for (const arg of sourceArgs) {
      const path = arg.value;
      const location = locationOf(unit, instruction, arg.range.start.line, arg.range.start.character);
      if (/^[a-z]+:\/\//i.test(path)) continue;
      if (/[*?[]/.test(path) || path.startsWith('/') || path.split('/').includes('..')) {
        errors.push(
          new ImageLayersError({
            code: 'unsupported-copy-source',
            unit: unit.name,
            location,
            message: `COPY source "${path}" is a wildcard, absolute or leaves files/`,
            fix: "name each file or folder by its path under this unit's files/ folder",
          }),
        );
        continue;
      }
      sources.push({
        path: path.replace(/^\.\//, ''),
        destination: resolveDestination(destination, path, sourceArgs.length, workdir),
        location,
      });
    }
  }
  return { sources, workdirAfter: workdir, errors };
}

/** A word of a COPY or ADD after its flags (copyArguments), with its 0-based place. */
type CopyWord = { value: string; range: { start: { line: number; character: number } } };

/** What readFragment reads of a fragment's text alone, as JSON data. */
interface FragmentReading {
  instructions: PlainInstruction[];
  args: [name: string, arg: FragmentArg][];
  /** The words of each COPY and ADD, by the instruction's index. */
  copyWords: Record<number, CopyWord[]>;
}
const FRAGMENT_READINGS = jsonKind<FragmentReading>('fragment-reading', 2);

function readingOf(text: string, instructions: DockerfileInstruction[]): FragmentReading {
  const args = new Map<string, FragmentArg>();
  const copyWords: FragmentReading['copyWords'] = {};
  for (const instruction of instructions) {
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
      copyWords[instruction.index] = copyArguments(text, instruction);
    if (instruction.keyword !== 'ARG') continue;
    const at = (position: { line: number; character: number }) => ({
      line: position.line,
      character: position.character,
    });
    for (const property of (instruction.node as Arg).getProperties()) {
      const valueRange = property.getValueRange();
      args.set(property.getName(), {
        line: property.getRange().start.line,
        value: property.getValue() ?? null,
        nameEnd: at(property.getNameRange().end),
        valueEnd: valueRange ? at(valueRange.end) : null,
      });
    }
  }
  return { instructions: plainInstructions(instructions), args: [...args], copyWords };
}

/**
 * Reads a fragment (the Dockerfile model, manifest/dockerfile-model.ts) without judging it: its instructions, ARGs,
 * COPY sources and the WORKDIR it ends at, plus the COPY problems found on the way. What the linter needs of the
 * fragments of an image it lints from its provenance (the composer judged them when it wrote it): dockerfile-utils'
 * validation is most of a cold parse's cost.
 */
export function readFragment(
  unit: FragmentUnit,
  workdirBefore: string,
): { fragment: ParsedFragment; copyErrors: ImageLayersError[] } {
  // What the text alone gives is remembered between CLI starts (manifest/remembered.ts); the instructions'
  // dockerfile-ast nodes are then parsed only if something asks for one.
  let parsed: ReturnType<typeof parseDockerfile> | undefined;
  const model = () => (parsed ??= parseDockerfile(unit.text));
  const reading = remembered(FRAGMENT_READINGS, unit.text, () => readingOf(unit.text, model().instructions));
  const instructions = instructionsOf(reading.instructions, model);
  const copies = copySources(unit, instructions, reading.copyWords, workdirBefore);
  return {
    fragment: {
      unit,
      instructions,
      args: new Map(reading.args),
      copySources: copies.sources,
      workdirAfter: copies.workdirAfter,
    },
    copyErrors: copies.errors,
  };
}

/**
 * Parses a fragment (readFragment) and checks what the composer relies on: valid syntax (dockerfile-utils), FROM
 * only in the base layer, CMD only in the image's own fragment, ENTRYPOINT there or in the one entrypoint layer
 * (never both).
 * Returns every problem found, so a user sees them all at once.
 */
export function parseFragment(
  unit: FragmentUnit,
  workdirBefore: string,
): { fragment: ParsedFragment; errors: ImageLayersError[] } {
  const { fragment, copyErrors } = readFragment(unit, workdirBefore);
  return {
    fragment,
    errors: [
      ...carriageReturnErrors(unit),
      ...syntaxErrors(unit),
      ...structureErrors(unit, fragment.instructions),
      ...copyErrors,
    ],
  };
}
