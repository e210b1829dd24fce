import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { workspaceRoot } from '@image-layers/testing';
import { emptyConfig } from './config';
import { lintPath } from './targets';

// What the `lint` targets of this workspace assert, and what the linter finds in the Dockerfile the layers replaced.
const shown = (findings: { file: string; line: number; code: string }[]) =>
  findings.map((f) => `${f.file.slice(workspaceRoot.length + 1)}:${f.line} ${f.code}`);

describe("this workspace's layers and image", () => {
  const layers = readdirSync(join(workspaceRoot, 'packages')).map((name) => join('packages', name));
  test.each([...layers, 'apps/claude-code-image'])(
    '%s lints clean (its ignores carry reasons)',
    async (project) => {
      expect(shown(await lintPath(join(workspaceRoot, project), emptyConfig()))).toEqual([]);
    },
  );
  test("the seed Dockerfile's real problems are found: the keyring pipe without pipefail, the unpinned CLI install whose failure is swallowed", async () => {
    const findings = shown(
      await lintPath(
        join(workspaceRoot, 'apps/claude-code-image/test/fixtures/seed.Dockerfile'),
        emptyConfig(),
      ),
    );
    const seed = 'apps/claude-code-image/test/fixtures/seed.Dockerfile';
    expect(findings).toEqual(
      expect.arrayContaining([
        `${seed}:25 DL4006`,
        `${seed}:31 IL1001`,
        `${seed}:31 DL3016`,
        `${seed}:110 IL1002`,
      ]),
    );
  });
});
