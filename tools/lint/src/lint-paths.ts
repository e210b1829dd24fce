import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, findConfigFile, loadConfig, type LintConfig } from './config';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatTty } from './format/tty';
import { RULES } from './rules/index';
import { ToolMissingError } from './scripts';
import { LintUsageError, lintPath } from './targets';
import { parseThreshold, reaches, type Finding, type Threshold } from './types';

export interface LintOptions {
  format: 'tty' | 'json' | 'sarif';
  failureThreshold?: string;
  config?: string;
  listRules?: boolean;
}

/** `image-layers lint`: exit 0 when nothing reaches the failure threshold, 1 when something does, 2 on a usage error. */
export async function runLint(
  paths: string[],
  options: LintOptions,
  cwd = process.cwd(),
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  if (options.listRules) {
    return {
      exitCode: 0,
      stdout: RULES.map((rule) => `${rule.code}  ${rule.severity.padEnd(7)}  ${rule.doc}`).join('\n') + '\n',
      stderr: '',
    };
  }
  if (paths.length === 0)
    return {
      exitCode: 2,
      stdout: '',
      stderr: 'error: lint needs at least one Dockerfile, layer folder or image folder\n',
    };
  const findings: Finding[] = [];
  let threshold: Threshold | undefined =
    options.failureThreshold === undefined ? undefined : parseThreshold(options.failureThreshold);
  try {
    const configs = new Map<string, LintConfig>();
    for (const path of paths) {
      const full = resolve(cwd, path);
      const configFile = options.config
        ? resolve(cwd, options.config)
        : findConfigFile(existsSync(full) && statSync(full).isDirectory() ? full : dirname(full));
      const key = configFile ?? '';
      if (!configs.has(key)) configs.set(key, loadConfig(configFile));
      const config = configs.get(key)!;
      threshold ??= config.failureThreshold;
      findings.push(...(await lintPath(full, config)));
    }
  } catch (error) {
    if (
      error instanceof LintUsageError ||
      error instanceof ConfigError ||
      error instanceof ToolMissingError
    ) {
      return { exitCode: 2, stdout: '', stderr: `error: ${error.message}\n` };
    }
    throw error;
  }
  const failAt = threshold ?? 'info';
  const color = options.format === 'tty' && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const stdout =
    options.format === 'json'
      ? formatJson(findings, cwd)
      : options.format === 'sarif'
        ? formatSarif(findings, cwd)
        : formatTty(findings, cwd, color);
  return {
    exitCode: findings.some((finding) => reaches(finding.severity, failAt)) ? 1 : 0,
    stdout,
    stderr: '',
  };
}
