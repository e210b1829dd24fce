import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { requireTool } from '@image-layers/testing';
import { emptyConfig } from './config';
import { lintPath } from './targets';

let cleanup = () => {};
afterEach(() => cleanup());

const lintTools = async (files: Record<string, string | { text: string; mode: number }>) => {
  requireTool('shellcheck');
  const fixture = makeFixtureWorkspace(files);
  cleanup = fixture.cleanup;
  const findings = await lintPath(join(fixture.root, 'packages/tools'), emptyConfig());
  return findings.map(
    (f) => `${f.file.slice(fixture.root.length + 1)}:${f.line}:${f.column} ${f.code} ${f.severity}`,
  );
};

describe("a layer's files in the same report", () => {
  test("shellcheck's findings on a layer script join the fragment's, under shellcheck's codes and levels", async () => {
    const script = { text: '#!/bin/sh\nname=$1\necho $name\n[[ -n "$name" ]] && echo yes\n', mode: 0o755 };
    expect(await lintTools({ 'packages/tools/files/bin/hello': script })).toEqual([
      'packages/tools/files/bin/hello:3:6 SC2086 info',
      'packages/tools/files/bin/hello:4:1 SC3010 warning',
    ]);
  });
  test('a clean script and a fragment without findings give an empty report', async () => {
    expect(await lintTools({})).toEqual([]);
  });
  test('a credential in any file the layer copies is reported at its line', async () => {
    expect(
      await lintTools({
        'packages/tools/files/conf/tools.conf': `answer=42\ntoken = ghs_${'x1Y2z3'.repeat(7)}\n`,
      }),
    ).toEqual(['packages/tools/files/conf/tools.conf:2:9 IL1007 error']);
  });
});
