import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberResultsIn } from '@image-layers/manifest/remembered';
import { makeTempDir } from '@image-layers/support/workspace';
import { makeFixtureWorkspace } from '@image-layers/testing/fixture-workspace';
import { composeImage } from './compose';

// The CLI remembers what it reads of fragments and manifests between starts (manifest/remembered.ts): a compose
// must still follow the sources, whatever the results folder holds.

describe('a compose with remembered results', () => {
  let workspace: ReturnType<typeof makeFixtureWorkspace>;
  let results: ReturnType<typeof makeTempDir>;
  const compose = () => {
    // Each compose as a start of its own: only the folder carries results over.
    rememberResultsIn(results.path);
    try {
      return composeImage(join(workspace.root, 'apps/img')).dockerfile;
    } catch (error) {
      return `error: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      rememberResultsIn(undefined);
    }
  };
  const fresh = () => composeImage(join(workspace.root, 'apps/img')).dockerfile;

  beforeEach(() => {
    workspace = makeFixtureWorkspace();
    results = makeTempDir('image-layers-results-');
  });
  afterEach(() => {
    workspace.cleanup();
    results.cleanup();
  });

  it('gives what composing without them gives, before and after they are kept', () => {
    expect(compose()).toBe(fresh());
    expect(readdirSync(results.path).length).toBeGreaterThan(0);
    expect(compose()).toBe(fresh());
  });

  it('follows an edited fragment, an edited option default and an edited manifest', () => {
    compose();
    workspace.write('packages/user/layer.Dockerfile', 'RUN useradd -u 1001 -m agent\nWORKDIR /home/agent\n');
    expect(compose()).toContain('RUN useradd -u 1001 -m agent');
    expect(compose()).toBe(fresh());
    workspace.write(
      'packages/base/layer.Dockerfile',
      'FROM debian:12\nARG PACKAGES=curl\nARG FLAVOUR=mint\nRUN apt-get install -y ${PACKAGES}\n',
    );
    // The ARG's default no longer matches layer.json: an error now, as without remembered results.
    expect(compose()).toMatch(/^error: .*FLAVOUR/s);
    expect(compose()).toBe(
      `error: ${(() => {
        try {
          return fresh();
        } catch (error) {
          return (error as Error).message;
        }
      })()}`,
    );
    const manifest = JSON.parse(readFileSync(join(workspace.root, 'packages/base/layer.json'), 'utf8'));
    manifest.options.FLAVOUR.default = 'mint';
    workspace.write('packages/base/layer.json', JSON.stringify(manifest, null, 2));
    expect(compose()).toContain('FROM debian:12');
    expect(compose()).toBe(fresh());
  });

  it('ignores poisoned entries: every kept result swapped for another or damaged', () => {
    compose();
    const files = readdirSync(results.path).map((name) => join(results.path, name));
    // Another entry's content under each name (foreign), then results changed under a kept check (poisoned).
    const contents = files.map((file) => readFileSync(file, 'utf8'));
    files.forEach((file, index) => writeFileSync(file, contents[(index + 1) % contents.length]!));
    expect(compose()).toBe(fresh());
    for (const file of files) {
      const entry = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...entry, result: '[]' }));
    }
    expect(compose()).toBe(fresh());
  });
});
