import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { ComposedImage } from '@image-layers/compose/compose';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { HEREDOC } from '@image-layers/compose/dockerfile-syntax';

// Image tests build on Debian's docker.io 20.10, whose only builder is the legacy one: it knows no BuildKit
// syntax. A fragment using it would fail deep inside `docker build` with "unknown instruction" or "unknown flag";
// said here instead, before the build, at the fragment's own line and with what to write instead.

/** The flags the legacy builder accepts on each instruction; any other is BuildKit syntax. */
const LEGACY_FLAGS: Record<string, string[]> = {
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

/** A unit's fragment as the composer loaded it. */
export interface FragmentSource {
  unit: string;
  file: string;
  text: string;
}

/** Every fragment a composed image is made of: its layers', then its own. */
export function fragmentsOf(composed: ComposedImage): FragmentSource[] {
  return [...composed.layers, composed.image].map((unit) => ({
    unit: unit.name,
    file: unit.fragmentFile,
    text: unit.fragmentText,
  }));
}

function flagsOf(instruction: Instruction): string[] {
  const withFlags = instruction as unknown as { getFlags?(): { getName(): string }[] };
  return withFlags.getFlags?.().map((flag) => flag.getName()) ?? [];
}

/** Every BuildKit-only construct in the fragments, each an error at its line. */
export function legacyBuilderErrors(fragments: FragmentSource[]): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  for (const fragment of fragments) {
    const lines = fragment.text.split('\n');
    for (const instruction of DockerfileParser.parse(fragment.text).getInstructions()) {
      const keyword = instruction.getKeyword().toUpperCase();
      const line = instruction.getRange().start.line;
      const location = { file: fragment.file, line: line + 1 };
      for (const flag of flagsOf(instruction)) {
        if (LEGACY_FLAGS[keyword]?.includes(flag) ?? true) continue;
        errors.push(
          new ImageLayersError({
            code: 'buildkit-only',
            unit: fragment.unit,
            location,
            message: `${keyword} --${flag} is BuildKit syntax; the image-test engine (Debian's docker.io 20.10) has only the legacy builder, which refuses it`,
            fix: FIX_FOR_FLAG[flag] ?? `write the step without --${flag}`,
          }),
        );
      }
      if (
        (keyword === 'RUN' || keyword === 'COPY') &&
        [...(lines[line] ?? '').matchAll(HEREDOC)].length > 0
      ) {
        errors.push(
          new ImageLayersError({
            code: 'buildkit-only',
            unit: fragment.unit,
            location,
            message: `a heredoc in ${keyword} is BuildKit syntax; the image-test engine (Debian's docker.io 20.10) has only the legacy builder, which reads its body as instructions`,
            fix: "put the script or file in the layer's files/ and COPY it, or write the RUN with `\\` continuations",
          }),
        );
      }
    }
  }
  return errors;
}
