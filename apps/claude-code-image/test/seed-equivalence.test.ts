import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, test } from 'vitest';
import { composeImage } from '@image-layers/compose/compose';
import {
  appDir,
  fragmentsOnly,
  layerFile,
  makeTempDir,
  parseDockerfileText,
  runScript,
} from '@image-layers/testing';

// The composed Dockerfile must do everything the hand-written original (fixtures/seed.Dockerfile, a
// verbatim copy) does. Each test compares one effect; the deliberate differences are the ones the
// app's README lists, and the last test holds the README to that list.

const app = appDir('claude-code-image');
const seed = parseDockerfileText(readFileSync(join(app, 'test/fixtures/seed.Dockerfile'), 'utf8'));
const composedImage = composeImage(app);
const composed = parseDockerfileText(composedImage.dockerfile);

const argDefault = (fragment: typeof composed, name: string) => fragment.argDefault(name);
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

  // Intended since base-os 2.0.0: the platform package set in a first apt step shared by every image, then the
  // rest of APT_PACKAGES (and gh) in a second; the seed's packages are all in the set or in APT_PACKAGES.
  test("the same Debian packages, in base-os's two apt steps, plus gh from the same repository and key", () => {
    const seedApt = seed.bodies('RUN')[0]!;
    const [composedPlatform, composedApt] = [composed.bodies('RUN')[0]!, composed.bodies('RUN')[1]!];
    expect(installedPackages(composedPlatform)).toEqual([
      'curl',
      'ca-certificates',
      'gosu',
      'util-linux',
      'git',
    ]);
    expect(installedPackages(composedApt)).toEqual(['${extra};', 'fi']);
    expect(normalise(composedApt)).toContain('for package in ${APT_PACKAGES}; do');
    // Plus docker-cli: since trixie (python:3.11-slim's Debian), docker.io no longer brings the docker CLI (README 14).
    expect(argDefault(composed, 'APT_PACKAGES')!.split(' ').sort()).toEqual(
      [...installedPackages(seedApt), 'docker-cli'].sort(),
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
    // The base layer's two are the only RUNs that run apt-get update. node-runtime's holds one only in
    // its fallback for an image composed for NodeSource and built without it (no node, NODESOURCE_FALLBACK=debian),
    // which cannot run here: nodejs and npm are in the base layer's APT_PACKAGES (README: differences).
    const aptUpdates = composed
      .bodies('RUN')
      .map(normalise)
      .filter((body) => body.includes('apt-get update'));
    expect(aptUpdates).toHaveLength(3);
    expect(aptUpdates.slice(0, 2)).toEqual([normalise(composedPlatform), normalise(composedApt)]);
    expect(aptUpdates[2]).toMatch(
      /elif ! command -v node >\/dev\/null|else echo "[^"]*installing Debian's nodejs and npm"; apt-get update; apt-get install -y --no-install-recommends nodejs npm; rm -rf \/var\/lib\/apt\/lists\/\*; fi; rm -rf \/tmp\/node-runtime; node --version; npm --version$/,
    );
    expect(argDefault(composed, 'INSTALL_NODESOURCE')).toBe('false');
    expect(argDefault(composed, 'APT_PACKAGES')!.split(' ')).toEqual(
      expect.arrayContaining(['nodejs', 'npm']),
    );
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
    // The drop-in enters through /tmp/ as the RUN's input and is installed 0440 there (README 8).
    expect(
      composedImage.contextFiles.find((file) => file.destination === '/tmp/t4-escalation/agent-t4'),
    ).toBeDefined();
    expect(seedT4).toContain('chmod 0440 /etc/sudoers.d/agent-t4');
    expect(composedT4).toContain(
      'install -D -m 0440 -o root -g root /tmp/t4-escalation/agent-t4 /etc/sudoers.d/agent-t4',
    );
    for (const step of [
      'visudo -cf /etc/sudoers.d/agent-t4',
      'groupadd -f docker',
      'usermod -aG docker agent',
      'id agent',
    ]) {
      expect(seedT4).toContain(step);
      expect(composedT4).toContain(step);
    }
  });

  test('the same WORKDIR, ARG RUNTIME_VERSION and requirements.txt, the agent SDK passed beside it', () => {
    // The fragments' own WORKDIRs are the seed's; the composer writes WORKDIR back where cache order moved a part
    // that runs commands (compose/cache-order.ts), each under a `# image-layers:` comment, and the image ends in
    // the seed's folder.
    const fragmentWorkdirs = fragmentsOnly(composedImage.dockerfile, composedImage.provenance).bodies(
      'WORKDIR',
    );
    expect(fragmentWorkdirs).toEqual(seed.bodies('WORKDIR'));
    expect(composed.bodies('WORKDIR').at(-1)).toBe(seed.bodies('WORKDIR').at(-1));
    expect(argDefault(composed, 'RUNTIME_VERSION')).toBe(argDefault(seed, 'RUNTIME_VERSION'));
    // The seed's requirements.txt named the runtime and the SDK; here requirements.txt is the runtime's
    // and the adapter declares the SDK, which the composer hands to the same pip command (README: differences).
    expect(argDefault(composed, 'PYTHON_PACKAGES')).toBe('claude-agent-sdk>=0.1.58');
    expect(composed.bodies('RUN').join('\n')).toContain('-r requirements.txt ${PYTHON_PACKAGES}');
    // The runtime's name and floor are python-runtime options now (README: differences); their defaults are the
    // seed's requirement, and no other image option changes how the runtime arrives.
    expect(argDefault(composed, 'RUNTIME_DISTRIBUTION')).toBe('molecule-ai-workspace-runtime');
    expect(argDefault(composed, 'RUNTIME_MIN_VERSION')).toBe('0.1.22');
    expect(argDefault(composed, 'RUNTIME_SOURCE')).toBe('index');
    expect(argDefault(composed, 'PIP_TOOLING_UPGRADE')).toBe('false');
  });

  // The pip steps are compared by what they do: each RUN body that mentions pip, of the seed and of the composed
  // Dockerfile (and the one that writes requirements.txt), run by a real shell with the composed ARG defaults and a stand-in pip that records its arguments.
  // python-runtime's step has a branch per RUNTIME_SOURCE now, so its text differs from the seed's one command;
  // with the defaults it must make exactly the seed's pip calls, in order (PYTHON_PACKAGES appended, as above).
  describe('the same pip calls, run by a real shell with the default build arguments', () => {
    const temp = makeTempDir();
    afterAll(temp.cleanup);
    const calls = join(temp.path, 'pip-calls');
    writeFileSync(join(temp.path, 'pip'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${calls}"\n`);
    chmodSync(join(temp.path, 'pip'), 0o755);
    const defaults = Object.fromEntries(
      composed.argDeclarations.map((declaration) => [declaration.name, declaration.value ?? '']),
    );
    const pipCalls = async (fragment: typeof seed, runtimeVersion: string) => {
      writeFileSync(calls, '');
      for (const body of fragment
        .bodies('RUN')
        .filter((text) => /\bpip (install|download)\b|> requirements\.txt/.test(text))) {
        const result = await runScript('/bin/sh', ['-c', body], {
          cwd: temp.path,
          env: { PATH: `${temp.path}:/usr/bin:/bin`, ...defaults, RUNTIME_VERSION: runtimeVersion },
        });
        expect(result.exitCode, result.stderr).toBe(0);
      }
      return readFileSync(calls, 'utf8').replaceAll(' claude-agent-sdk>=0.1.58', '');
    };

    for (const runtimeVersion of ['', '0.1.30']) {
      test(`RUNTIME_VERSION=${runtimeVersion || '(empty)'}`, async () => {
        const seedCalls = await pipCalls(seed, runtimeVersion);
        expect(seedCalls).toBe(
          runtimeVersion
            ? `install --no-cache-dir -r requirements.txt\ninstall --no-cache-dir --upgrade molecule-ai-workspace-runtime==${runtimeVersion}\n`
            : 'install --no-cache-dir -r requirements.txt\n',
        );
        expect(await pipCalls(composed, runtimeVersion)).toBe(seedCalls);
        // The composed steps wrote the requirements.txt they installed: the seed's runtime requirement.
        expect(readFileSync(join(temp.path, 'requirements.txt'), 'utf8')).toBe(
          'molecule-ai-workspace-runtime>=0.1.22\n',
        );
      });
    }
  });

  test('every file at the same path, executable where the original makes it so', () => {
    // /app/requirements.txt is written by python-runtime's RUN from its options (README 10), not copied. Beside the
    // seed's files: the sudoers drop-in (a file the RUN installs from /tmp/, README 8), the entrypoint's helpers and the hooks that replaced
    // the seed's entrypoint.sh steps (README 11), and node-runtime's registry install script, removed by the RUN
    // after its COPY (README 15).
    expect(copyDestinations(composed.instructions)).toEqual(
      copyDestinations(seed.instructions)
        .filter((path) => path !== '/app/requirements.txt')
        .concat(
          '/tmp/t4-escalation/agent-t4',
          '/app/molecule_adapter_core.py',
          '/entrypoint.d/lib.sh',
          '/entrypoint.d/root/50-claude-home.sh',
          '/entrypoint.d/root/60-git-credentials.sh',
          '/entrypoint.d/agent/60-gh-token-refresh.sh',
          '/entrypoint.d/agent/61-gh-auth-login.sh',
          '/tmp/node-runtime/install-node-from-registry.sh',
        )
        .sort(),
    );
    expect(copyDestinations(seed.instructions)).toContain('/app/requirements.txt');
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

  test('the same ENV and ENTRYPOINT, set once (the entrypoint layer sets it; where it stands changes nothing)', () => {
    expect(composed.bodies('ENV').map(normalise)).toContain('ADAPTER_MODULE=adapter PYTHONPATH=/app');
    expect(seed.bodies('ENV')).toEqual(['ADAPTER_MODULE=adapter']);
    expect(composed.bodies('ENTRYPOINT')).toEqual(seed.bodies('ENTRYPOINT'));
    expect(seed.instructions.at(-1)!.getKeyword()).toBe('ENTRYPOINT');
  });

  test('the claude-code CLI installed globally with npm, pinned and failing loudly', () => {
    // The install moved to the agent-cli layer: the package, version and command are its options, set in image.json.
    const install = normalise(composed.bodies('RUN').find((body) => body.includes('npm install -g'))!);
    expect(seed.bodies('RUN').find((body) => body.includes('@anthropic-ai/claude-code'))).toContain(
      '|| true',
    );
    // "$@" is empty unless a test build sets AGENT_CLI_RUN=false (then --ignore-scripts); this image keeps the default.
    expect(install).toContain('npm install -g "$@" "${AGENT_CLI_PACKAGE}@${AGENT_CLI_VERSION}";');
    expect(install).toMatch(/^set -eu;/);
    expect(install).toMatch(
      /if \[ "\$\{AGENT_CLI_RUN\}" = true \]; then "\$\{AGENT_CLI_COMMAND\}" --version; fi$/,
    );
    expect(argDefault(composed, 'AGENT_CLI_RUN')).toBe('true');
    expect(install).not.toMatch(/\|\|\s*true|2>\/dev\/null/);
    expect(argDefault(composed, 'AGENT_CLI_PACKAGE')).toBe('@anthropic-ai/claude-code');
    expect(argDefault(composed, 'AGENT_CLI_VERSION')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(argDefault(composed, 'AGENT_CLI_COMMAND')).toBe('claude');
  });

  test('the effects come in the original order, but for the files: after every install step (cache order, README 2 and 13)', () => {
    const effects: [string, (instruction: Instruction) => boolean][] = [
      ['base', (i) => i.getKeyword() === 'FROM'],
      ['packages', (i) => i.getKeyword() === 'RUN' && !!i.getArgumentsContent()?.includes('apt-get install')],
      ['user', (i) => !!i.getArgumentsContent()?.includes('useradd')],
      ['sudo', (i) => i.getKeyword() === 'RUN' && !!i.getArgumentsContent()?.includes('visudo')],
      ['workdir', (i) => i.getKeyword() === 'WORKDIR'],
      ['pip', (i) => !!i.getArgumentsContent()?.includes('pip install')],
      ['adapter', (i) => i.getKeyword() === 'COPY' && !!i.getArgumentsContent()?.includes('adapter.py')],
      ['env', (i) => i.getKeyword() === 'ENV' && !!i.getArgumentsContent()?.includes('ADAPTER_MODULE')],
      [
        'scripts',
        (i) => i.getKeyword() === 'COPY' && !!i.getArgumentsContent()?.includes('molecule-askpass'),
      ],
    ];
    // ENTRYPOINT is left out: it is the image's whatever its place, and now comes with the entrypoint layer,
    // before git-auth, whose hooks it runs (README 11).
    const order = (fragment: typeof seed) =>
      effects
        .map(([name, matches]) => ({ name, at: fragment.instructions.findIndex(matches) }))
        .sort((a, b) => a.at - b.at)
        .map((effect) => effect.name);
    expect(order(seed)).toEqual(effects.map(([name]) => name));
    // Cache order (README 2): every layer's files come after every layer's install steps, and the image config
    // before the files, so the adapter's ENV comes before its COPY. No step reads what another of these puts in
    // place, so no effect changes.
    expect(order(composed)).toEqual([
      'base',
      'packages',
      'user',
      'sudo',
      'workdir',
      'pip',
      'env',
      'adapter',
      'scripts',
    ]);
  });

  test("every deliberate difference is listed in the app's README", () => {
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    for (const difference of [
      'AGENT_CLI_VERSION',
      'PYTHONPATH=/app',
      'chmod',
      'APT_PACKAGES',
      'BASE_IMAGE',
      'keyring',
      'sudoers.d/agent-t4',
      'single COPY',
      'after the layers',
      'PYTHON_PACKAGES',
      'RUNTIME_DISTRIBUTION',
      'entrypoint.d',
      'MOLECULE_ENTRYPOINT_',
      'molecule_adapter_core.py',
    ]) {
      expect(readme).toContain(difference);
    }
  });
});
