import type { ComposedImage } from '@image-layers/compose/compose';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { buildkitOnlyUses } from '@image-layers/manifest/buildkit-syntax';
import { parseDockerfile } from '@image-layers/manifest/dockerfile-model';

// Image tests build on Debian's docker.io 20.10, whose only builder is the legacy one: it knows no BuildKit
// syntax. A fragment using it would fail deep inside `docker build` with "unknown instruction" or "unknown flag";
// said here instead, before the build, at the fragment's own line and with what to write instead. What counts as
// BuildKit-only is defined once (manifest/buildkit-syntax.ts), and the linter reports the same as IL1009.

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

/** Every BuildKit-only construct in the fragments, each an error at its instruction's line. */
export function legacyBuilderErrors(fragments: FragmentSource[]): ImageLayersError[] {
  return fragments.flatMap((fragment) =>
    buildkitOnlyUses(parseDockerfile(fragment.text)).map(
      (use) =>
        new ImageLayersError({
          code: 'buildkit-only',
          unit: fragment.unit,
          location: { file: fragment.file, line: use.instruction.line + 1 },
          message: use.message,
          fix: use.fix,
        }),
    ),
  );
}
