import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import { appDir, layerFile, parseDockerfileText } from '@image-layers/testing';

// The composed Dockerfile must do everything the hand-written original (fixtures/seed.Dockerfile, a
// verbatim copy) does. Each test compares one effect; the deliberate differences are the ones the
// app's README lists, and the last test holds the README to that list.

const app = appDir('claude-code-image');
const seed = parseDockerfileText(readFileSync(join(app, 'test/fixtures/seed.Dockerfile'), 'utf8'));
const composedImage = composeImage(app);
const composed = parseDockerfileText(composedImage.dockerfile);

const argDefault = (fragment: typeof composed, name: string) =>
  fragment
    .all('ARG')
    .map((arg) =>
      (arg as unknown as { getProperty(): { getName(): string; getValue(): string | null } }).getProperty(),
    )
    .find((p) => p.getName() === name)
    ?.getValue();
const words = (text: string) => text.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
const normalise = (text: string) => words(text).join(' ');

/** Packages of the first `apt-get install` in a RUN body, up to the next shell operator. */
function installedPackages(body: string): string[] {
  const all = words(body);
  const start = all.indexOf('--no-install-recommends') + 1;
  const end = all.findIndex((word, index) => index >= start && /^(&&|;|\|\|)$/.test(word));
  return all.slice(start, end);
}

/** Where each COPY puts each file, resolving relative destinations against WORKDIR as Docker does. */
function copyDestinations(instructions: Instruction[]): string[] {
  let workdir = '/';
  const destinations: string[] = [];
  for (const instruction of instructions) {
    const args = instruction.getArguments().map((arg) => arg.getValue());
    if (instruction.getKeyword() === 'WORKDIR') workdir = args[0]!;
    if (instruction.getKeyword() !== 'COPY') continue;
    const target = args.at(-1)!;
    const sources = args.slice(0, -1);
    const absolute = target.startsWith('/') ? target : `${workdir}/${target}`.replace(/\/\.$/, '/');
    for (const source of sources) {
      const intoFolder = sources.length > 1 || absolute.endsWith('/');
      destinations.push(intoFolder ? `${absolute.replace(/\/$/, '')}/${source.split('/').pop()}` : absolute);
    }
  }
  return destinations.sort();
}

describe('the composed Dockerfile has every effect of the original', () => {
  test('the same base image by default', () => {
    expect(seed.bodies('FROM')).toEqual(['python:3.11-slim']);
    expect(composed.bodies('FROM')).toEqual(['${BASE_IMAGE}']);
    expect(argDefault(composed, 'BASE_IMAGE')).toBe('python:3.11-slim');
  });

  test('the same Debian packages, in one apt step, plus gh from the same repository and key', () => {
    const seedApt = seed.bodies('RUN')[0]!;
    const composedApt = composed.bodies('RUN')[0]!;
    expect(installedPackages(composedApt)).toEqual(['${APT_PACKAGES}']);
    expect(argDefault(composed, 'APT_PACKAGES')!.split(' ').sort()).toEqual(
      installedPackages(seedApt).sort(),
    );
    expect(argDefault(composed, 'INSTALL_GH_CLI')).toBe('true');
    for (const fact of [
      'https://cli.github.com/packages/githubcli-archive-keyring.gpg',
      'signed-by=/etc/apt/keyrings/githubcli-archive-keyring.gpg] https://cli.github.com/packages stable main" > /etc/apt/sources.list.d/github-cli.list',
      'chmod go+r /etc/apt/keyrings/githubcli-archive-keyring.gpg',
      'apt-get install -y --no-install-recommends gh',
      'rm -rf /var/lib/apt/lists/*',
    ]) {
      expect(normalise(seedApt)).toContain(fact);
      expect(normalise(composedApt)).toContain(fact);
    }
    expect(
      composed.all('RUN').filter((run) => run.getArgumentsContent()?.includes('apt-get update')),
    ).toHaveLength(1);
  });

  test('the same agent user', () => {
    const useradd = (fragment: typeof seed) =>
      fragment
        .bodies('RUN')
        .filter((body) => body.includes('useradd'))
        .map(normalise);
    expect(useradd(composed)).toEqual(useradd(seed));
    expect(useradd(seed)).toEqual(['useradd -u 1000 -m -s /bin/bash agent']);
  });

  test('the same sudoers drop-in, mode, validation and docker group', () => {
    const seedT4 = normalise(seed.bodies('RUN').find((body) => body.includes('agent-t4'))!);
    const composedT4 = normalise(composed.bodies('RUN').find((body) => body.includes('agent-t4'))!);
    expect(seedT4).toContain("printf 'agent ALL=(ALL) NOPASSWD:ALL\\n' > /etc/sudoers.d/agent-t4");
    expect(readFileSync(layerFile('t4-escalation', 'sudoers.d/agent-t4'), 'utf8')).toBe(
      'agent ALL=(ALL) NOPASSWD:ALL\n',
    );
    expect(
      composedImage.contextFiles.find((file) => file.destination === '/etc/sudoers.d/agent-t4'),
    ).toBeDefined();
    for (const step of [
      'chmod 0440 /etc/sudoers.d/agent-t4',
      'visudo -cf /etc/sudoers.d/agent-t4',
      'groupadd -f docker',
      'usermod -aG docker agent',
      'id agent',
    ]) {
      expect(seedT4).toContain(step);
      expect(composedT4).toContain(step);
    }
  });

  test('the same WORKDIR, ARG RUNTIME_VERSION and pip install, the agent SDK passed beside requirements.txt', () => {
    expect(composed.bodies('WORKDIR')).toEqual(seed.bodies('WORKDIR'));
    expect(argDefault(composed, 'RUNTIME_VERSION')).toBe(argDefault(seed, 'RUNTIME_VERSION'));
    // The seed's requirements.txt named the runtime and the SDK; here requirements.txt is the runtime's
    // and the adapter declares the SDK, which the composer hands to the same pip command (README: differences).
    expect(argDefault(composed, 'PYTHON_PACKAGES')).toBe('claude-agent-sdk>=0.1.58');
    const pip = (fragment: typeof seed) =>
      fragment
        .bodies('RUN')
        .filter((body) => body.includes('pip install'))
        .map((body) => normalise(body).replace(' ${PYTHON_PACKAGES}', ''));
    expect(pip(composed)).toEqual(pip(seed));
    expect(composed.bodies('RUN').join('\n')).toContain('-r requirements.txt ${PYTHON_PACKAGES}');
  });

  test('every file at the same path, executable where the original makes it so', () => {
    expect(copyDestinations(composed.instructions)).toEqual(
      copyDestinations(seed.instructions)
        .concat('/etc/sudoers.d/agent-t4', '/app/molecule_adapter_core.py')
        .sort(),
    );
    const madeExecutable = seed
      .bodies('RUN')
      .flatMap((body) => (/^chmod \+x /.test(normalise(body)) ? words(body).slice(2) : []));
    expect(madeExecutable).toHaveLength(4);
    for (const path of madeExecutable) {
      const file = composedImage.contextFiles.find((candidate) => candidate.destination === path);
      expect(file, path).toBeDefined();
      expect(file!.mode & 0o111, path).toBe(0o111);
    }
  });

  test('the same ENV and ENTRYPOINT, the entrypoint last', () => {
    expect(composed.bodies('ENV').map(normalise)).toContain('ADAPTER_MODULE=adapter PYTHONPATH=/app');
    expect(seed.bodies('ENV')).toEqual(['ADAPTER_MODULE=adapter']);
    expect(composed.bodies('ENTRYPOINT')).toEqual(seed.bodies('ENTRYPOINT'));
    expect(composed.instructions.at(-1)!.getKeyword()).toBe('ENTRYPOINT');
  });

  test('the claude-code CLI installed globally with npm, pinned and failing loudly', () => {
    const install = composed.bodies('RUN').find((body) => body.includes('@anthropic-ai/claude-code'))!;
    expect(seed.bodies('RUN').find((body) => body.includes('@anthropic-ai/claude-code'))).toContain(
      '|| true',
    );
    expect(normalise(install)).toBe(
      'npm install -g "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" && claude --version',
    );
    expect(argDefault(composed, 'CLAUDE_CODE_VERSION')).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('the effects come in the original order (the CLI install moved late, as the README says)', () => {
    const effects: [string, (instruction: Instruction) => boolean][] = [
      ['base', (i) => i.getKeyword() === 'FROM'],
      ['packages', (i) => i.getKeyword() === 'RUN' && !!i.getArgumentsContent()?.includes('apt-get install')],
      ['user', (i) => !!i.getArgumentsContent()?.includes('useradd')],
      ['sudo', (i) => i.getKeyword() === 'RUN' && !!i.getArgumentsContent()?.includes('visudo')],
      ['workdir', (i) => i.getKeyword() === 'WORKDIR'],
      ['pip', (i) => !!i.getArgumentsContent()?.includes('pip install')],
      ['adapter', (i) => i.getKeyword() === 'COPY' && !!i.getArgumentsContent()?.includes('adapter.py')],
      ['env', (i) => i.getKeyword() === 'ENV'],
      [
        'scripts',
        (i) => i.getKeyword() === 'COPY' && !!i.getArgumentsContent()?.includes('molecule-askpass'),
      ],
      ['entrypoint', (i) => i.getKeyword() === 'ENTRYPOINT'],
    ];
    const order = (fragment: typeof seed) =>
      effects
        .map(([name, matches]) => ({ name, at: fragment.instructions.findIndex(matches) }))
        .sort((a, b) => a.at - b.at)
        .map((effect) => effect.name);
    expect(order(seed)).toEqual(effects.map(([name]) => name));
    expect(order(composed)).toEqual(order(seed));
  });

  test("every deliberate difference is listed in the app's README", () => {
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    for (const difference of [
      'CLAUDE_CODE_VERSION',
      'PYTHONPATH=/app',
      'chmod',
      'APT_PACKAGES',
      'BASE_IMAGE',
      'keyring',
      'sudoers.d/agent-t4',
      'single COPY',
      'after the layers',
      'PYTHON_PACKAGES',
      'molecule_adapter_core.py',
    ]) {
      expect(readme).toContain(difference);
    }
  });
});
