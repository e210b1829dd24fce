import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberResultsIn } from '@image-layers/manifest/remembered';
import { lintText } from './engine';
import { loadShellParser, parseShell, shellParserNeeded } from './shell';

// A lint reads each RUN's parse from what an earlier CLI start remembered (manifest/remembered.ts), and loads the
// WASM grammar only when one is not: the parse read back must be the parse, fallbacks' commands included.

const SCRIPT =
  'apt-get update && apt-get install -y curl || echo "no curl" | tee /log; x=$(id -u) && echo $x';
const DOCKERFILE = `FROM debian:12\nRUN ${SCRIPT}\nONBUILD RUN pip install foo || true\n`;

describe('remembered shell parses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-layers-shell-results-'));
  beforeAll(loadShellParser);
  afterAll(() => {
    rememberResultsIn(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back as parsed, each fallback naming the same command objects', () => {
    rememberResultsIn(undefined);
    const fresh = parseShell(SCRIPT);
    rememberResultsIn(dir);
    parseShell(SCRIPT);
    expect(readdirSync(dir).length).toBe(1);
    rememberResultsIn(dir);
    const read = parseShell(SCRIPT);
    expect(read).toEqual(fresh);
    expect(read.fallbacks[0]!.guarded.every((command) => read.commands.includes(command))).toBe(true);
  });

  it('lints alike, and needs no parser once every script is remembered', async () => {
    rememberResultsIn(undefined);
    const fresh = await lintText({ text: DOCKERFILE, file: 'Dockerfile' });
    rememberResultsIn(dir);
    expect(await lintText({ text: DOCKERFILE, file: 'Dockerfile' })).toEqual(fresh);
    rememberResultsIn(dir);
    expect(shellParserNeeded(['pip install foo || true', SCRIPT])).toBe(false);
    expect(shellParserNeeded(['echo another script'])).toBe(false); // the parser is loaded in this process
    expect(await lintText({ text: DOCKERFILE, file: 'Dockerfile' })).toEqual(fresh);
    expect(fresh.length).toBeGreaterThan(0);
  });
});
