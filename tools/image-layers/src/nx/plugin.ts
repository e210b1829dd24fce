import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createNodesFromFiles,
  DependencyType,
  type CreateDependencies,
  type CreateNodes,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';

// The Nx plugin: every folder with a layer.json or image.json becomes a project whose targets are
// inferred here, so no layer needs a project.json. Project names are the manifests' names, which the
// loader forces to equal the folder names: an image's layer list, the graph and the composer agree.

const CLI = 'node tools/image-layers/bin/image-layers.js';

/** The image-layers machinery: a change to it reruns every target that uses it. */
const machinery = [
  '{workspaceRoot}/tools/image-layers/src/**/*',
  '!{workspaceRoot}/tools/image-layers/src/**/*.test.ts',
  '{workspaceRoot}/tools/image-layers/bin/*',
];
const testRunner = ['{workspaceRoot}/vitest.config.ts', '{workspaceRoot}/tsconfig.base.json'];

/** Report of a project's test run, read by `npm test` to count every test across runners. */
export const testReportPath = (project: string) => `dist/test-reports/${project}.json`;

function readName(file: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined; // A broken manifest still gets a project; its build target reports the error.
  }
}

function testTarget(extraInputs: string[]): TargetConfiguration {
  return {
    command: `${CLI} test {projectRoot} --report ${testReportPath('{projectName}')}`,
    cache: true,
    inputs: ['definition', '{projectRoot}/test/**/*', ...extraInputs, ...machinery, ...testRunner],
    outputs: [`{workspaceRoot}/${testReportPath('{projectName}')}`],
  };
}

export const createNodes: CreateNodes = [
  '{packages,apps}/*/{layer,image}.json',
  (configFiles, options, context) =>
    createNodesFromFiles(
      (file) => {
        const root = dirname(file);
        const isImage = file.endsWith('image.json');
        const name = readName(join(context.workspaceRoot, file)) ?? root.split('/').pop()!;
        if (!isImage) {
          return {
            projects: {
              [root]: {
                name,
                projectType: 'library',
                tags: ['type:image-layer'],
                namedInputs: {
                  // What the layer puts into an image; its tests are deliberately not part of it.
                  definition: ['{projectRoot}/layer.json', '{projectRoot}/layer.Dockerfile', '{projectRoot}/files/**/*'],
                },
                targets: {
                  build: {
                    command: `${CLI} check {projectRoot}`,
                    cache: true,
                    // The generated README is checked too, so it is an input (but not part of the image).
                    inputs: ['definition', '{projectRoot}/README.md', ...machinery],
                    outputs: [],
                  },
                  test: testTarget([]),
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
              tags: ['type:image'],
              namedInputs: {
                definition: ['{projectRoot}/image.json', '{projectRoot}/*.Dockerfile', '{projectRoot}/files/**/*'],
              },
              targets: {
                build: {
                  command: `${CLI} compose {projectRoot} --out dist/{projectRoot}`,
                  cache: true,
                  dependsOn: ['^build'],
                  inputs: ['definition', '^definition', ...machinery],
                  outputs: ['{workspaceRoot}/dist/{projectRoot}'],
                },
                // An image's tests read the composed result of its layers, so layer changes rerun them.
                test: testTarget(['^definition']),
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

/** Edges image -> layer for every layer image.json lists, so `nx affected` follows a layer change to its images. */
export const createDependencies: CreateDependencies = (_options, context) => {
  const rootOf = new Map(Object.entries(context.projects).map(([key, project]) => [project.name ?? key, project.root]));
  const dependencies: RawProjectGraphDependency[] = [];
  for (const [key, project] of Object.entries(context.projects)) {
    const manifest = `${project.root}/image.json`;
    if (!context.fileMap.projectFileMap[project.name ?? key]?.some((file) => file.file === manifest)) continue;
    let layers: unknown;
    try {
      layers = (JSON.parse(readFileSync(join(context.workspaceRoot, manifest), 'utf8')) as { layers?: unknown }).layers;
    } catch {
      continue; // The image's build target reports the broken manifest with its line.
    }
    if (!Array.isArray(layers)) continue;
    for (const entry of layers) {
      const layer = typeof entry === 'string' ? entry : (entry as { layer?: unknown })?.layer;
      if (typeof layer !== 'string' || !rootOf.has(layer)) continue;
      dependencies.push({ source: project.name ?? key, target: layer, type: DependencyType.static, sourceFile: manifest });
    }
  }
  return dependencies;
};
