import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile } from '@image-layers/manifest/dockerfile-model';
import { ImageLayersError } from '@image-layers/manifest/errors';
import type { ProvenanceBlock } from '@image-layers/compose/compose';
import type { JsonSource } from '@image-layers/manifest/json-source';
import type { LayerManifest } from '@image-layers/manifest/schema';
import type { ImageTestSpec } from '@image-layers/manifest/image-test-schema';

// What a test build does about the hosts the build reaches (layer.json / image.json "network") that this
// machine cannot reach: turn the step off through its option, or leave its RUN out as the layer's
// test/image-test.json says, and report either by name. A step with neither is an error, never a silent gap.

/** The hosts named by apt sources (one-line or deb822), commented lines left out. */
export function hostsOfAptSources(text: string): string[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  return [
    ...new Set(
      lines.flatMap((line) =>
        [...line.matchAll(/\b(?:https?|ftp):\/\/([^/\s:]+)/g)].map((match) => match[1]!),
      ),
    ),
  ];
}

/**
 * The package servers this machine is configured with, the only hosts a machine like CI's reaches: apt's
 * mirrors (/etc/apt/sources.list and sources.list.d) and npm's registry.
 */
export function configuredPackageServers(env: NodeJS.ProcessEnv = process.env): string[] {
  const folder = '/etc/apt/sources.list.d';
  const files = [
    '/etc/apt/sources.list',
    ...(existsSync(folder)
      ? readdirSync(folder)
          .filter((name) => /\.(list|sources)$/.test(name))
          .map((name) => join(folder, name))
      : []),
  ];
  const apt = files
    .filter((file) => existsSync(file))
    .flatMap((file) => hostsOfAptSources(readFileSync(file, 'utf8')));
  let registry = env.npm_config_registry;
  try {
    registry ??= execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  } catch {
    // No npm: no registry is reachable through it.
  }
  const npm = registry && URL.canParse(registry) ? [new URL(registry).hostname] : [];
  return [...new Set([...apt, ...npm])];
}

/** Hosts a test build may reach: IMAGE_TEST_REACHABLE_HOSTS (space or comma separated), else the configured package servers. */
export function reachableHosts(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const given = env.IMAGE_TEST_REACHABLE_HOSTS;
  return new Set(given !== undefined ? given.split(/[\s,]+/).filter(Boolean) : configuredPackageServers(env));
}

type NetworkEntry = LayerManifest['network'][number];

/** One unit of the test build as far as the network is concerned. */
export interface OfflineUnit {
  name: string;
  network: NetworkEntry[];
  options: LayerManifest['options'];
  source: JsonSource;
  /** The unit's image test data, for its "withoutHosts". */
  spec?: { file: string; value: ImageTestSpec };
  /** Its option values as the image sets them: a step whose option is false there is not in the image at all. */
  values?: Map<string, unknown>;
}

/** A step of the real build the test build does not run, said by name. */
export interface StepNotRun {
  unit: string;
  host: string;
  step: string;
  how: string;
  /** The text of the RUN left out for it, and the recipe's reason (steps turned off by an option have none). */
  leftOut?: string;
  why?: string;
}

export interface OfflinePlan {
  buildArgs: Record<string, string>;
  notRun: StepNotRun[];
  /** The RUN instructions to leave out, per unit. */
  leaveOut: { unit: string; host: string; text: string }[];
}

export function planOffline(
  units: OfflineUnit[],
  reachable: Set<string>,
): { plan: OfflinePlan; errors: ImageLayersError[] } {
  const plan: OfflinePlan = { buildArgs: {}, notRun: [], leaveOut: [] };
  const errors: ImageLayersError[] = [];
  for (const unit of units) {
    unit.network.forEach((entry, index) => {
      if (reachable.has(entry.host)) return;
      // Turned off by the image itself (a sibling without the GitHub CLI): the real build skips it too, so it is
      // neither a step this test leaves out nor one to count as skipped.
      if (entry.option && unit.values?.get(entry.option) === false) return;
      const why = `needs ${entry.host}, which this machine cannot reach`;
      if (entry.option) {
        const option = unit.options[entry.option];
        if (option?.type !== 'boolean') {
          errors.push(
            new ImageLayersError({
              code: 'network-option-not-boolean',
              unit: unit.name,
              location: unit.source.locate(['network', index, 'option']),
              message: `the step "${entry.step}" is turned off by ${entry.option}, which is not a boolean option of "${unit.name}"`,
              fix: `declare ${entry.option} in "options" as { "type": "boolean", ... }, bound to the ARG that guards the step`,
            }),
          );
          return;
        }
        plan.buildArgs[entry.option] = 'false';
        plan.notRun.push({
          unit: unit.name,
          host: entry.host,
          step: entry.step,
          how: `${why}; built with ${entry.option}=false`,
        });
        return;
      }
      // A recipe naming this entry's step wins; one without a step is for every step on its host.
      const recipes = unit.spec?.value.withoutHosts.filter((item) => item.host === entry.host) ?? [];
      const recipe =
        recipes.find((item) => item.step === entry.step) ?? recipes.find((item) => item.step === undefined);
      if (!recipe) {
        errors.push(
          new ImageLayersError({
            code: 'unreachable-step',
            unit: unit.name,
            location: unit.source.locate(['network', index]),
            message: `the step "${entry.step}" ${why}, and nothing says how to build "${unit.name}" without it`,
            fix: `give the step a boolean option ("option" here), or add to ${unit.name}'s test/image-test.json: "withoutHosts": [{ "host": "${entry.host}", "leaveOut": "<text of its RUN>", "why": "..." }] (with "step": "${entry.step}" where another recipe covers a different step on that host)`,
          }),
        );
        return;
      }
      // One RUN may reach two hosts (pip reads a private index and PyPI): it is left out, and counted, once,
      // naming both hosts.
      const same = plan.leaveOut.find((item) => item.unit === unit.name && item.text === recipe.leaveOut);
      if (same) {
        same.host = `${same.host}, ${entry.host}`;
        const step = plan.notRun.find((item) => item.unit === unit.name && item.leftOut === recipe.leaveOut)!;
        step.host = same.host;
        step.how = `needs ${same.host}, which this machine cannot reach; its RUN (${recipe.leaveOut}) left out: ${step.why}; ${recipe.why}`;
        return;
      }
      plan.leaveOut.push({ unit: unit.name, host: entry.host, text: recipe.leaveOut });
      plan.notRun.push({
        leftOut: recipe.leaveOut,
        why: recipe.why,
        unit: unit.name,
        host: entry.host,
        step: entry.step,
        how: `${why}; its RUN (${recipe.leaveOut}) left out: ${recipe.why}`,
      });
    });
  }
  return { plan, errors };
}

/**
 * The composed Dockerfile with each left-out RUN turned into comments, line for line (the provenance still
 * holds). Each must match exactly one RUN of its unit's block, or the build would silently differ.
 */
export function leaveOutSteps(
  dockerfile: string,
  provenance: ProvenanceBlock[],
  leaveOut: OfflinePlan['leaveOut'],
  imageFile: string,
): { dockerfile: string; errors: ImageLayersError[] } {
  const lines = dockerfile.split('\n');
  const errors: ImageLayersError[] = [];
  for (const item of leaveOut) {
    // A unit has up to two blocks (its install steps and its files, compose/cache-order.ts): the RUN is in one.
    const blocks = provenance.filter((candidate) => candidate.unit === item.unit);
    if (blocks.length === 0) continue;
    const runs = blocks.flatMap((block) =>
      parseDockerfile(lines.slice(block.firstLine, block.firstLine + block.lineCount).join('\n'))
        .all('RUN')
        .filter((instruction) => instruction.argumentsText.includes(item.text))
        .map((instruction) => ({ block, instruction })),
    );
    if (runs.length !== 1) {
      errors.push(
        new ImageLayersError({
          code: 'leave-out-mismatch',
          unit: item.unit,
          location: { file: imageFile },
          message: `"leaveOut": "${item.text}" matches ${runs.length} RUN instructions of ${blocks[0]!.source}, not one`,
          fix: `make "leaveOut" in ${item.unit}'s test/image-test.json a piece of text of exactly the RUN that reaches ${item.host}`,
        }),
      );
      continue;
    }
    const { block, instruction: run } = runs[0]!;
    for (let line = run.line; line <= run.endLine; line++) {
      const at = block.firstLine + line;
      lines[at] = `# [image-test: left out, needs ${item.host}] ${lines[at]}`;
    }
  }
  return { dockerfile: lines.join('\n'), errors };
}
