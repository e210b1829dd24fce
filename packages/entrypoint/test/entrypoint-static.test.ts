import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  entrypointEnv,
  entrypointScript,
  layerManifest,
  layerFile,
  makeTempDir,
  runScript,
  parseLayerFragment,
  shellcheckFindings,
} from '@image-layers/testing';

const lib = layerFile('entrypoint', 'entrypoint.d/lib.sh');

describe('entrypoint.sh and its helpers as files', () => {
  const text = readFileSync(entrypointScript, 'utf8');

  it('is a POSIX sh script in strict mode', () => {
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
    expect(text).toMatch(/^set -eu$/m);
  });

  it('are clean under shellcheck, held to POSIX sh (the script follows its source of lib.sh)', () => {
    expect(shellcheckFindings(entrypointScript)).toBe('');
    expect(shellcheckFindings(lib)).toBe('');
  });

  it('the script is executable (mode 755) and lib.sh is not (644: it is sourced, never run)', () => {
    expect(statSync(entrypointScript).mode & 0o777).toBe(0o755);
    expect(statSync(lib).mode & 0o777).toBe(0o644);
  });

  it('have LF line endings only and end with a newline', () => {
    for (const file of [entrypointScript, lib]) {
      const content = readFileSync(file, 'utf8');
      expect(content, file).not.toContain('\r');
      expect(content.endsWith('\n'), file).toBe(true);
    }
  });
});

describe("the entrypoint layer's fragment and manifest", () => {
  const fragment = parseLayerFragment('entrypoint');
  const manifest = layerManifest('entrypoint');

  it('is the entrypoint layer ("entrypoint": true) and sets ENTRYPOINT ["/entrypoint.sh"], once', () => {
    expect(manifest.entrypoint).toBe(true);
    expect(fragment.bodies('ENTRYPOINT')).toEqual(['["/entrypoint.sh"]']);
  });

  it('copies the script to /entrypoint.sh and the helpers into the hooks folder', () => {
    expect(fragment.bodies('COPY')).toEqual([
      'entrypoint.d/lib.sh /entrypoint.d/lib.sh',
      'entrypoint.sh /entrypoint.sh',
    ]);
  });

  it('makes /entrypoint.d, root/ and agent/ mode 0755 before anything is copied into them', () => {
    expect(fragment.bodies('RUN')).toEqual([
      'mkdir -m 0755 /entrypoint.d /entrypoint.d/root /entrypoint.d/agent',
    ]);
    const keywords = fragment.instructions.map((instruction) => instruction.getKeyword());
    expect(keywords.indexOf('RUN')).toBeLessThan(keywords.indexOf('COPY'));
  });

  it("hands every option to the script through ENV, and by default reproduces claude-code's entrypoint", () => {
    expect(Object.keys(manifest.options).sort()).toEqual([
      'AUTH_VARIABLES',
      'RUNTIME_COMMAND',
      'SECRETS_LOADER',
    ]);
    expect(entrypointEnv()).toEqual({
      MOLECULE_ENTRYPOINT_RUNTIME: 'molecule-runtime',
      MOLECULE_ENTRYPOINT_AUTH_VARIABLES:
        'CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN ANTHROPIC_BASE_URL MINIMAX_API_KEY GLM_API_KEY KIMI_API_KEY DEEPSEEK_API_KEY',
      MOLECULE_ENTRYPOINT_SECRETS_LOADER: 'false',
    });
  });

  it('installs gosu, which the drop needs, through the base layer (aptPackages)', () => {
    expect(manifest.aptPackages).toEqual(['gosu']);
  });
});

describe("lib.sh's own_folder, where its caller tests it", () => {
  // `if ! own_folder ...` puts it in a tested context, where sh applies no set -e: a failed command must stop the
  // start by itself, never pass for "a plain file, left as it is".
  const ownFolder = (setup: string, name: string) =>
    runScript('sh', [
      '-c',
      `set -eu; . "$0"; ${setup}; if ! own_folder "$1/${name}"; then echo went-on; fi`,
      lib,
      temp.path,
    ]);
  const temp = makeTempDir('own-folder-');
  afterAll(temp.cleanup);

  it('a chown that fails stops the start, naming the folder', async () => {
    const run = await ownFolder('molecule_agent=no-such-user-of-this-host', 'x');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain('went-on');
    expect(run.stderr).toContain(
      `[entrypoint] error: could not give ${temp.path}/x to no-such-user-of-this-host`,
    );
  });

  it('a plain file in the way is reported and left, and the caller goes on', async () => {
    writeFileSync(join(temp.path, 'y'), "the agent's own file\n");
    const run = await ownFolder(`molecule_agent=$(id -un)`, 'y');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`[entrypoint] ${temp.path}/y is not a folder; left as it is\nwent-on\n`);
  });
});
