import type { DockerfileInstruction, DockerfileModel } from './dockerfile-model';

// What only BuildKit reads, defined once on the Dockerfile model. Image tests build on Debian's docker.io 20.10,
// whose only builder is the legacy one: it knows no BuildKit syntax, and a fragment using it fails deep inside
// `docker build` with "unknown instruction" or "unknown flag". The linter reports each use (IL1009) and the image
// test refuses them before building (image-test/legacy-builder.ts); both read this list.

/** The flags the legacy builder accepts on each instruction; any other is BuildKit syntax. */
export const LEGACY_FLAGS: Readonly<Record<string, readonly string[]>> = {
  COPY: ['chown', 'from'],
  ADD: ['chown'],
  RUN: [],
  FROM: ['platform'],
};

const FIX_FOR_FLAG: Record<string, string> = {
  chmod:
    'commit the mode in git (`git add --chmod=+x`; the composer keeps it), or chmod in a RUN of the same layer',
  mount: 'drop the mount: copy what the step needs with COPY, and clean caches in the same RUN',
  link: 'drop --link: the legacy builder copies into the layer as before',
};

const ENGINE = "the image-test engine (Debian's docker.io 20.10) has only the legacy builder";

/** One use of BuildKit-only syntax, at its instruction's line. */
export interface BuildkitOnlyUse {
  instruction: DockerfileInstruction;
  /** `--chmod` or `heredoc`. */
  construct: string;
  /** 0-based place of the flag or `<<`. */
  line: number;
  column: number;
  message: string;
  fix: string;
}

/** Every BuildKit-only construct of the Dockerfile, ONBUILD triggers included (they run in a later build). */
export function buildkitOnlyUses(model: DockerfileModel): BuildkitOnlyUse[] {
  const uses: BuildkitOnlyUse[] = [];
  for (const instruction of model.withTriggers()) {
    const keyword = instruction.keyword;
    for (const flag of instruction.flags) {
      if (LEGACY_FLAGS[keyword]?.includes(flag.name) ?? true) continue;
      uses.push({
        instruction,
        construct: `--${flag.name}`,
        line: flag.span.line,
        column: flag.span.column,
        message: `${keyword} --${flag.name} is BuildKit syntax; ${ENGINE}, which refuses it`,
        fix: FIX_FOR_FLAG[flag.name] ?? `write the step without --${flag.name}`,
      });
    }
    const heredoc = instruction.heredocs[0];
    if (heredoc) {
      uses.push({
        instruction,
        construct: 'heredoc',
        line: heredoc.line,
        column: heredoc.column,
        message: `a heredoc in ${keyword} is BuildKit syntax; ${ENGINE}, which reads its body as instructions`,
        fix: "put the script or file in the layer's files/ and COPY it, or write the RUN with `\\` continuations",
      });
    }
  }
  return uses;
}
