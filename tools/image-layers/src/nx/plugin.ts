import { filesUnder } from '@image-layers/support/walk';
import { dirname, join } from 'node:path';
import {
  createNodesFromFiles,
  DependencyType,
  type CreateDependencies,
  type CreateNodes,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';
import { testReportPath } from '@image-layers/test-runner/report-path';
import { offers } from '@image-layers/compose/capabilities';
import { resolveTestChain } from '@image-layers/compose/layer-chain';
import {
  peekImageLayers,
  peekImageTest,
  peekLayer,
  peekManifestName,
  type LayerSummary,
} from '@image-layers/manifest/lenient';
import { IMAGE_TAG, LAYER_TAG } from './module-boundaries';

// The Nx plugin: every folder with a layer.json or image.json becomes a project whose targets are
// inferred here, so no layer needs a project.json. Project names are the manifests' names, which the
// loader forces to equal the folder names: an image's layer list, the graph and the composer agree.

const CLI = 'node tools/image-layers/bin/image-layers.js';

/** The project of the CLI every layer and image target runs: each depends on it (see createDependencies). */
const CLI_PROJECT = 'image-layers';

/**
 * The machinery a layer or image target runs on: the production files of every project its graph reaches, so
 * the CLI and everything it imports (edges Nx reads from the imports themselves), and the layers it requires.
 */
const machinery = ['^production'];
const testRunner = ['{workspaceRoot}/vitest.config.mts', '{workspaceRoot}/tsconfig.base.json'];

/**
 * Builds the project into an image on the local base and asserts its test/image-test.json inside it. Layers wait
 * for the image tests of the layers they build on, so those layers' steps come from the engine's cache.
 */
function imageTestTarget(projectDir: string, dependsOn: string[]): TargetConfiguration {
  const standIns = peekImageTest(projectDir).standIns.flatMap((source) => [
    `{projectRoot}/test/${source}`,
    `{projectRoot}/test/${source}/**/*`,
  ]);
  return {
    command: `${CLI} image-test {projectRoot} --report ${testReportPath('{projectName}.image-test')}`,
    metadata: {
      description:
        'Build it on the Docker engine (a layer on the local base with the layers it requires) and assert test/image-test.json inside',
      technologies: ['docker'],
    },
    cache: true,
    dependsOn,
    inputs: [
      'definition',
      '^definition',
      'imageTestData',
      '^imageTestData',
      // A stand-in may come from a layer it is built on (the runtime doubles in adapter-core's test/support).
      '^testSupport',
      ...standIns,
      ...machinery,
      { env: 'IMAGE_TEST_REACHABLE_HOSTS' },
    ],
    outputs: [`{workspaceRoot}/${testReportPath('{projectName}.image-test')}`],
  };
}

/** `image-layers lint`: a layer's fragment and scripts, or an image composed in memory and reported at its fragments. */
function lintTarget(extraInputs: string[]): TargetConfiguration {
  return {
    command: `${CLI} lint {projectRoot}`,
    metadata: {
      description:
        'Lint the fragment (an image: composed in memory, reported at each fragment) with the DL and IL rules, and its scripts with shellcheck',
      technologies: ['docker', 'shellcheck'],
    },
    cache: true,
    inputs: [
      'definition',
      ...extraInputs,
      '{workspaceRoot}/.hadolint.y*ml',
      '{workspaceRoot}/{packages,apps}/.hadolint.y*ml',
      '{projectRoot}/.hadolint.y*ml',
      ...machinery,
      { externalDependencies: ['dockerfile-ast', 'web-tree-sitter', 'tree-sitter-bash', 'yaml'] },
      { runtime: 'shellcheck --version' },
    ],
    outputs: [],
  };
}

/** `image-layers test`: a project's vitest and Python tests, their counts written for `npm test` to add up. */
function testTarget(inputs: TargetConfiguration['inputs']): TargetConfiguration {
  return {
    command: `${CLI} test {projectRoot} --report ${testReportPath('{projectName}')}`,
    metadata: {
      description: 'Run its tests (vitest *.test.ts, Python test_*.py) and write their counts for npm test',
      technologies: ['vitest', 'python'],
    },
    cache: true,
    inputs: [...(inputs ?? []), ...testRunner],
    outputs: [`{workspaceRoot}/${testReportPath('{projectName}')}`],
  };
}

/**
 * A layer's or image's tests: its definition and tests, the test support of the layers it is built with (Python
 * tests import their doubles and kits from there), and the machinery and layers it is built with.
 */
const unitTestTarget = (extraInputs: string[]) =>
  testTarget(['definition', '{projectRoot}/test/**/*', '^testSupport', ...extraInputs, ...machinery]);

/**
 * A machinery project's tests (tools/<name>, an npm workspace package): its own files and the production files of
 * every project it imports (Nx reads the edges from the imports). They never read the workspace's layers or
 * images (tests that need a workspace build a fixture one), so no layer is an input: cache-replay.test.ts holds
 * both halves of that.
 */
const machineryTestTarget = () => testTarget(['default', '^production']);

/** Whether a machinery project's src/ holds a vitest file (the walker's: links not followed, node_modules skipped). */
const hasTests = (dir: string): boolean =>
  filesUnder(dir, (name) => name.endsWith('.test.ts'), ['node_modules']).length > 0;

export const createNodes: CreateNodes = [
  '{{packages,apps}/*/{layer,image}.json,tools/*/package.json}',
  (configFiles, options, context) =>
    createNodesFromFiles(
      (file) => {
        const root = dirname(file);
        if (file.endsWith('package.json')) {
          // The package.json itself makes the project (Nx's own plugin); this adds its test target.
          if (!hasTests(join(context.workspaceRoot, root, 'src'))) return {};
          return { projects: { [root]: { targets: { test: machineryTestTarget() } } } };
        }
        const isImage = file.endsWith('image.json');
        // A broken manifest still gets a project (named after its folder); its build target reports the error.
        const name = peekManifestName(join(context.workspaceRoot, file)) ?? root.split('/').pop()!;
        if (!isImage) {
          return {
            projects: {
              [root]: {
                name,
                projectType: 'library',
                tags: [LAYER_TAG],
                namedInputs: {
                  // What the layer puts into an image; its tests are deliberately not part of it.
                  definition: [
                    '{projectRoot}/layer.json',
                    '{projectRoot}/layer.Dockerfile',
                    '{projectRoot}/files/**/*',
                  ],
                  // What its image test asserts, and how a layer built on it does without unreachable hosts.
                  // Its stand-ins (test/image-test/) too: images built on it mount them (the entrypoint's runtime
                  // stand-in), so a change to one re-runs their image tests.
                  imageTestData: ['{projectRoot}/test/image-test.json', '{projectRoot}/test/image-test/**/*'],
                  // What other projects' tests may import from its tests (test doubles, a shared test kit): only
                  // test/support/, so a change to its own test cases reruns no one else's.
                  testSupport: ['{projectRoot}/test/support/**/*'],
                },
                targets: {
                  build: {
                    command: `${CLI} check {projectRoot}`,
                    metadata: {
                      description:
                        'Check the layer: layer.json against its schema, the fragment, the files it COPYs, its generated README',
                      technologies: ['docker'],
                    },
                    cache: true,
                    // The generated README is checked too, so it is an input (but not part of the image).
                    inputs: ['definition', '{projectRoot}/README.md', ...machinery],
                    outputs: [],
                  },
                  // A layer's tests may build it on the layers it requires (python-runtime's pip test does), so
                  // their definitions are inputs too.
                  test: unitTestTarget(['^definition']),
                  lint: lintTarget([]),
                  'image-test': imageTestTarget(join(context.workspaceRoot, root), ['^image-test']),
                },
              },
            },
          };
        }
        return {
          projects: {
            [root]: {
              name,
              projectType: 'application',
              tags: [IMAGE_TAG],
              namedInputs: {
                definition: [
                  '{projectRoot}/image.json',
                  '{projectRoot}/*.Dockerfile',
                  '{projectRoot}/files/**/*',
                ],
                imageTestData: ['{projectRoot}/test/image-test.json'],
              },
              targets: {
                build: {
                  command: `${CLI} compose {projectRoot} --out dist/{projectRoot}`,
                  metadata: {
                    description:
                      'Compose the image from its layers into dist/{projectRoot}: Dockerfile, build context, provenance',
                    technologies: ['docker'],
                  },
                  cache: true,
                  dependsOn: ['^build'],
                  inputs: ['definition', '^definition', ...machinery],
                  outputs: ['{workspaceRoot}/dist/{projectRoot}'],
                },
                // An image's tests read the composed result of its layers, so layer changes rerun them.
                test: unitTestTarget(['^definition']),
                // The composed Dockerfile is linted in memory, so it needs no build first.
                lint: lintTarget(['^definition']),
                // Its apt step differs from every layer's, so it shares no build with them: it runs alongside.
                'image-test': imageTestTarget(join(context.workspaceRoot, root), []),
                // For users: docker build of the composed context; never cached (the result lives in the engine).
                image: {
                  command: `${CLI} image {projectRoot} --context dist/{projectRoot}`,
                  metadata: {
                    description:
                      'docker build of the composed image (pass --tag, --build-arg, --cache-from, --cache-to, --platform)',
                    technologies: ['docker'],
                  },
                  cache: false,
                  dependsOn: ['build'],
                },
              },
            },
          },
        };
      },
      configFiles,
      options,
      context,
    ),
];

/**
 * Edges image -> layer for every layer image.json lists, so `nx affected` follows a layer change to its images;
 * and layer -> layer for the layers its image test builds it on (the base, what `requires` resolves to).
 */
export const createDependencies: CreateDependencies = (_options, context) => {
  const rootOf = new Map(
    Object.entries(context.projects).map(([key, project]) => [project.name ?? key, project.root]),
  );
  const dependencies: RawProjectGraphDependency[] = [];
  // Every layer and image target runs the CLI, so each depends on its project (and, through it, on the machinery).
  for (const [key, project] of Object.entries(context.projects)) {
    const name = project.name ?? key;
    const unit = ['layer.json', 'image.json'].some((manifest) =>
      context.fileMap.projectFileMap[name]?.some((file) => file.file === `${project.root}/${manifest}`),
    );
    if (unit && rootOf.has(CLI_PROJECT))
      dependencies.push({ source: name, target: CLI_PROJECT, type: DependencyType.implicit });
  }
  for (const [key, project] of Object.entries(context.projects)) {
    const manifest = `${project.root}/image.json`;
    if (!context.fileMap.projectFileMap[project.name ?? key]?.some((file) => file.file === manifest))
      continue;
    // A broken manifest lists what can be read of it; its build target reports the rest with its line.
    for (const layer of peekImageLayers(join(context.workspaceRoot, manifest))) {
      if (!rootOf.has(layer)) continue;
      dependencies.push({ source: project.name ?? key, target: layer, type: DependencyType.implicit });
    }
  }
  const layers = new Map<string, { summary: LayerSummary; root: string }>();
  for (const project of Object.values(context.projects)) {
    // Not a layer, or a broken manifest its build target reports, when there is no summary.
    const summary = peekLayer(join(context.workspaceRoot, project.root));
    if (summary && rootOf.get(summary.name) === project.root)
      layers.set(summary.name, { summary, root: project.root });
  }
  const summaries = [...layers.values()].map((layer) => layer.summary);
  for (const [name, { root }] of layers) {
    const chain = resolveTestChain(summaries, name, peekImageTest(join(context.workspaceRoot, root)).layers);
    // An unresolvable chain (a requirement nobody or several offer) is reported by the image-test target; its
    // edges then go to every layer that offers one of the requirements, so a new rival provider changes the
    // target's hash and the cache cannot replay the green from before it.
    const builtOn =
      'error' in chain
        ? summaries
            .filter((other) => other.name !== name)
            .filter((other) =>
              layers.get(name)!.summary.requires.some((requirement) => offers(other, requirement)),
            )
            .map((other) => other.name)
        : chain.layers;
    for (const target of builtOn.filter((layer) => layer !== name)) {
      dependencies.push({
        source: name,
        target,
        type: DependencyType.implicit,
      });
    }
  }
  return dependencies;
};
