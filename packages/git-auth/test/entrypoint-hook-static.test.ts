import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layerManifest, parseLayerFragment, shellcheckFindings } from '@image-layers/testing';
import { gitAuthHooks } from './git-auth-root';

describe("git-auth's entrypoint hooks as files", () => {
  it.for(Object.entries(gitAuthHooks))(
    '%s is POSIX sh in strict mode, mode 755, clean under shellcheck',
    ([, host]) => {
      const text = readFileSync(host, 'utf8');
      expect(text.split('\n')[0]).toBe('#!/bin/sh');
      expect(text).toMatch(/^set -eu$/m);
      expect(statSync(host).mode & 0o777).toBe(0o755); // the entrypoint refuses a hook that is not executable
      expect(shellcheckFindings(host)).toBe('');
    },
  );

  it("are COPYed into the entrypoint layer's hook folders, which the layer requires (entrypoint:hooks)", () => {
    expect(parseLayerFragment('git-auth').bodies('COPY')).toEqual(
      expect.arrayContaining([
        'entrypoint.d/root/60-git-credentials.sh /entrypoint.d/root/',
        'entrypoint.d/agent/60-gh-token-refresh.sh entrypoint.d/agent/61-gh-auth-login.sh /entrypoint.d/agent/',
      ]),
    );
    expect(layerManifest('git-auth').requires).toContain('entrypoint:hooks');
  });
});
