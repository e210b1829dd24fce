import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, parseDockerfileText, shellcheckFindings } from '@image-layers/testing';
import { claudeHomeHook } from './claude-home-root';

const app = appDir('claude-code-image');

describe("the app's entrypoint hook as a file, and the entrypoint it is run by", () => {
  const text = readFileSync(claudeHomeHook, 'utf8');

  it('is a POSIX sh script in strict mode, clean under shellcheck', () => {
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
    expect(text).toMatch(/^set -eu$/m);
    expect(shellcheckFindings(claudeHomeHook)).toBe('');
  });

  it('is executable (mode 755): the entrypoint refuses a hook that is not', () => {
    expect(statSync(claudeHomeHook).mode & 0o777).toBe(0o755);
  });

  it("is copied into the root hooks folder by the image's fragment, which sets no ENTRYPOINT of its own", () => {
    const fragment = parseDockerfileText(readFileSync(join(app, 'image.Dockerfile'), 'utf8'));

    expect(fragment.bodies('COPY')).toContain('entrypoint.d/root/50-claude-home.sh /entrypoint.d/root/');
    expect(fragment.bodies('ENTRYPOINT')).toEqual([]);
  });

  it('gets its ENTRYPOINT ["/entrypoint.sh"] from the entrypoint layer, listed before git-auth (whose hooks need it)', () => {
    const composed = composeImage(app);
    const layers = composed.layers.map((layer) => layer.name);

    expect(parseDockerfileText(composed.dockerfile).bodies('ENTRYPOINT')).toEqual(['["/entrypoint.sh"]']);
    expect(layers.indexOf('entrypoint')).toBeGreaterThan(-1);
    expect(layers.indexOf('entrypoint')).toBeLessThan(layers.indexOf('git-auth'));
    const shipped = composed.contextFiles.find((file) => file.destination === '/entrypoint.sh');
    expect(shipped?.unit).toBe('entrypoint');
  });
});
