import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { ImageLayersError } from '@image-layers/manifest/errors';
import { readUnitFile } from '@image-layers/manifest/unit-file';
import { parseThreshold, SEVERITIES, type Severity, type Threshold } from './types';

/** What .hadolint.yaml says, in the keys this linter honours. */
export interface LintConfig {
  ignored: string[];
  override: Partial<Record<Severity, string[]>>;
  failureThreshold?: Threshold;
  trustedRegistries: string[];
  disableIgnorePragma: boolean;
  /** The file it came from, when one was found. */
  file?: string;
}

export const emptyConfig = (): LintConfig => ({
  ignored: [],
  override: {},
  trustedRegistries: [],
  disableIgnorePragma: false,
});

export class ConfigError extends Error {}

/** `file:line:column` of a key's value in the YAML (or of the key itself), for error messages. */
function locator(file: string, doc: Document, lines: LineCounter) {
  return (path: string[], of: 'value' | 'key' = 'value'): string => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const pair = isMap(parent)
      ? parent.items.find((item) => String((item.key as { value?: unknown } | null)?.value) === path.at(-1))
      : undefined;
    const node = (of === 'key' ? pair?.key : (pair?.value ?? pair?.key)) as { range?: [number] } | null;
    const offset = node?.range?.[0];
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
}

export function parseConfig(text: string, file: string): LintConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const at = locator(file, doc, lines);
  let value: unknown;
  try {
    // yaml refuses an alias expanding past 100 nodes ("billion laughs"): a few kilobytes would fill the memory.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot be read as a config: ${error instanceof Error ? error.message : String(error)}; write the lists out instead of nesting aliases`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(
      `${file}: must be a YAML mapping (ignored:, override:, failure-threshold:, trustedRegistries:)`,
    );
  const codes = (value: unknown, path: string[]): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((code) => typeof code !== 'string'))
      throw new ConfigError(
        `${at(path)}: "${path.join('.')}" must be a list of codes, e.g. [DL3008, IL1003]`,
      );
    return (value as string[]).map((code) => code.trim().toUpperCase());
  };
  const raw = value as Record<string, unknown>;
  const config = emptyConfig();
  config.file = file;
  config.ignored = codes(raw.ignored, ['ignored']);
  config.trustedRegistries = codes(raw.trustedRegistries, ['trustedRegistries']).map((registry) =>
    registry.toLowerCase(),
  );
  config.disableIgnorePragma = raw['disable-ignore-pragma'] === true;
  if (raw.override !== undefined && raw.override !== null) {
    if (typeof raw.override !== 'object' || Array.isArray(raw.override))
      throw new ConfigError(
        `${at(['override'])}: "override" must map a severity (error, warning, info, style) to a list of codes`,
      );
    for (const [severity, list] of Object.entries(raw.override as Record<string, unknown>)) {
      if (!(SEVERITIES as readonly string[]).includes(severity))
        throw new ConfigError(
          `${at(['override', severity], 'key')}: "override.${severity}" is not a severity; use error, warning, info or style`,
        );
      config.override[severity as Severity] = codes(list, ['override', severity]);
    }
  }
  if (raw['failure-threshold'] !== undefined) {
    const threshold = parseThreshold(String(raw['failure-threshold']));
    if (!threshold)
      throw new ConfigError(
        `${at(['failure-threshold'])}: "failure-threshold" must be error, warning, info, style or none`,
      );
    config.failureThreshold = threshold;
  }
  return config;
}

/** The nearest .hadolint.yaml (or .yml) from `from` upwards, as hadolint users keep it at a repository's root. */
export function findConfigFile(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    for (const name of ['.hadolint.yaml', '.hadolint.yml'])
      if (existsSync(join(dir, name))) return join(dir, name);
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'nx.json')) || dirname(dir) === dir)
      return undefined;
    dir = dirname(dir);
  }
}

export function loadConfig(file: string | undefined): LintConfig {
  if (!file) return emptyConfig();
  let text: string;
  try {
    // A regular file of at most 1 MiB: a FIFO named .hadolint.yaml would otherwise wait for a writer forever.
    text = readUnitFile(file, { what: 'the lint config' });
  } catch (error) {
    if (error instanceof ImageLayersError) throw new ConfigError(`${file}: ${error.message}; ${error.fix}`);
    throw error;
  }
  return parseConfig(text, file);
}
