import { buildkitOnlyUses } from '@image-layers/manifest/buildkit-syntax';
import { defineRule, hit } from '../rule';

// On by default, as an error, for layers and images: every one of them is built by its image test on Debian's
// docker.io 20.10, whose legacy builder refuses BuildKit syntax (and the image test refuses it before building,
// from the same definition). A plain Dockerfile is left alone: `docker build` with BuildKit reads it.
// Off or lower with .hadolint.yaml (`ignored: [IL1009]`, `override:`) where layers are built with BuildKit only.
export const IL1009 = defineRule({
  code: 'IL1009',
  severity: 'error',
  doc: "A layer or image uses no BuildKit-only syntax (COPY --chmod/--link, RUN --mount, heredocs ...): image tests build on the legacy builder of Debian's docker.io 20.10.",
  message: 'BuildKit-only syntax, which the legacy builder refuses',
  *check({ doc, unitAt }) {
    for (const use of buildkitOnlyUses(doc.model)) {
      if (!unitAt(use.instruction.line)) continue;
      yield hit({ line: use.line, column: use.column }, `${use.message}: ${use.fix}`);
    }
  },
});
