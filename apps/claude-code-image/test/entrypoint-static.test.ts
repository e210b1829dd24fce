import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDir, parseDockerfileText, shellcheckFindings } from '@image-layers/testing';
import { entrypointSource } from './image-root';

describe('entrypoint.sh as a file', () => {
  const text = readFileSync(entrypointSource, 'utf8');

  it('is a POSIX sh script in strict mode', () => {
    expect(text.split('\n')[0]).toBe('#!/bin/sh');
    expect(text).toMatch(/^set -eu$/m);
  });

  it('is clean under shellcheck, held to POSIX sh', () => {
    expect(shellcheckFindings(entrypointSource)).toBe('');
  });

  it('is executable (mode 755), since the image COPYs it with its mode and runs it directly', () => {
    expect(statSync(entrypointSource).mode & 0o777).toBe(0o755);
  });

  it('has LF line endings only and ends with a newline', () => {
    expect(text).not.toContain('\r');
    expect(text.endsWith('\n')).toBe(true);
  });

  it("is the image fragment's ENTRYPOINT, copied to /entrypoint.sh", () => {
    const fragment = parseDockerfileText(
      readFileSync(join(appDir('claude-code-image'), 'image.Dockerfile'), 'utf8'),
    );

    expect(fragment.bodies('COPY')).toContain('entrypoint.sh /entrypoint.sh');
    expect(fragment.bodies('ENTRYPOINT')).toEqual(['["/entrypoint.sh"]']);
  });
});
