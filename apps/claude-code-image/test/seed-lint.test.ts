import { join } from 'node:path';
import { expect, test } from 'vitest';
import { emptyConfig } from '@image-layers/lint/config';
import { lintPath } from '@image-layers/lint/targets';

// What the linter finds in the hand-written Dockerfile this image replaces: the problems that made the layers
// necessary. (That the composed image and every layer lint clean is each project's own `lint` target.)
const app = join(__dirname, '..');
const seed = 'test/fixtures/seed.Dockerfile';

test("the seed Dockerfile's real problems are found: the keyring pipe without pipefail, the unpinned CLI install whose failure is swallowed", async () => {
  const findings = (await lintPath(join(app, seed), emptyConfig())).map(
    (finding) => `${finding.file.slice(app.length + 1)}:${finding.line} ${finding.code}`,
  );
  expect(findings).toEqual(
    expect.arrayContaining([
      `${seed}:25 DL4006`,
      `${seed}:31 IL1001`,
      `${seed}:31 DL3016`,
      `${seed}:110 IL1002`,
    ]),
  );
});
