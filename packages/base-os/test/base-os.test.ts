import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { layerDir, parseLayerFragment } from '@image-layers/testing';

const fragment = parseLayerFragment('base-os');
const manifest = JSON.parse(readFileSync(join(layerDir('base-os'), 'layer.json'), 'utf8'));
const keywords = fragment.instructions.map((instruction) => instruction.getKeyword());
const runs = fragment.bodies('RUN').map((body) => body.replace(/\\\n/g, ' ').replace(/\s+/g, ' '));
const [platform, install] = [runs[0]!, runs[1]!];

describe('the base-os fragment', () => {
  test('takes BASE_IMAGE before its one FROM, defaulting to python:3.11-slim', () => {
    expect(keywords.slice(0, 2)).toEqual(['ARG', 'FROM']);
    expect(fragment.bodies('ARG')[0]).toBe('BASE_IMAGE=python:3.11-slim');
    expect(fragment.bodies('FROM')).toEqual(['${BASE_IMAGE}']);
  });

  test('is the base layer and declares the hosts its build reaches', () => {
    expect(manifest.base).toBe(true);
    expect(manifest.network.map((entry: { host: string }) => entry.host)).toEqual([
      'cli.github.com',
      'deb.debian.org',
    ]);
    expect(manifest.network[0].option).toBe('INSTALL_GH_CLI');
  });

  test('installs the platform package set first, in a RUN with no ARG before it, so every image shares it', () => {
    expect(keywords.slice(0, 3)).toEqual(['ARG', 'FROM', 'RUN']);
    expect(platform).toBe(
      'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gosu util-linux git && rm -rf /var/lib/apt/lists/*',
    );
  });

  test("then installs the image's other packages through APT_PACKAGES, without recommends, in one apt step", () => {
    expect(manifest.options.APT_PACKAGES.collects).toBe('aptPackages');
    expect(runs).toHaveLength(2);
    expect(install).toContain(
      'for package in ${APT_PACKAGES}; do dpkg -s "${package}" >/dev/null 2>&1 || extra=',
    );
    expect(install).toContain(
      'if [ -n "${extra}" ]; then apt-get update && apt-get install -y --no-install-recommends ${extra}; fi',
    );
    expect(install.match(/apt-get update/g)).toHaveLength(2); // the second one only after adding gh's repository
  });

  test('installs gh from its signed repository only when INSTALL_GH_CLI is true', () => {
    expect(install).toContain('if [ "${INSTALL_GH_CLI}" = true ]; then install -m 0755 -d /etc/apt/keyrings');
    expect(install).toContain('signed-by=/etc/apt/keyrings/githubcli-archive-keyring.gpg');
    expect(install).toMatch(/apt-get install -y --no-install-recommends gh; fi/);
  });

  test('downloads the keyring to a file, so a failed download fails the build (no unchecked pipe)', () => {
    expect(install).toContain(
      'curl -fsSLo /etc/apt/keyrings/githubcli-archive-keyring.gpg https://cli.github.com/',
    );
    expect(install).not.toMatch(/[^|]\|[^|]/);
  });

  test('cleans the package lists in the same step, and never swallows a failure', () => {
    for (const run of runs) {
      expect(run).toMatch(/&& rm -rf \/var\/lib\/apt\/lists\/\*$/);
      expect(run).not.toMatch(/\|\|\s*true/);
    }
  });

  test('leaves USER, WORKDIR, SHELL, ENTRYPOINT and CMD to others', () => {
    for (const keyword of ['USER', 'WORKDIR', 'SHELL', 'ENTRYPOINT', 'CMD'])
      expect(keywords).not.toContain(keyword);
  });
});
