import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDockerfile } from '@image-layers/manifest/dockerfile-model';
import { ImageLayersError, throwIfAny } from '@image-layers/manifest/errors';
import { composeImage, type ComposedImage } from '@image-layers/compose/compose';
import { writeComposedImage } from '@image-layers/compose/write';
import {
  IMAGE_MANIFEST,
  LAYERS_FOLDER,
  loadImage,
  loadLayer,
  validate,
  type LoadedLayer,
} from '@image-layers/manifest/load';
import { readJsonSource } from '@image-layers/manifest/json-source';
import { peekWorkspaceLayers } from '@image-layers/manifest/lenient';
import { resolveTestChain } from '@image-layers/compose/layer-chain';
import { fragmentsOf, legacyBuilderErrors } from './legacy-builder';
import { leaveOutSteps, planOffline, reachableHosts, type OfflineUnit, type StepNotRun } from './offline';
import {
  IMAGE_TEST_FILE,
  imageTestSchema,
  type ImageTestSpec,
} from '@image-layers/manifest/image-test-schema';

/** Where test builds are staged: the project's git-ignored image-test folder. */
export const IMAGE_TEST_WORK = join('.image-test', 'work');

/** What one image test builds: a composed Dockerfile and context, the build arguments, what it does not run. */
export interface TestBuildPlan {
  project: string;
  kind: 'layer' | 'image';
  spec: ImageTestSpec;
  specFile: string;
  /** The layers built, in order (for an image, its own list). */
  layers: string[];
  contextDir: string;
  buildArgs: Record<string, string>;
  notRun: StepNotRun[];
  /** Files mounted into the test's containers: host path -> path inside. */
  standIns: { hostPath: string; path: string; why: string }[];
}

/** A unit's test/image-test.json, validated, or undefined when it has none. */
export function loadImageTestSpec(
  unitDir: string,
  unit: string,
): { file: string; value: ImageTestSpec } | undefined {
  const file = join(unitDir, IMAGE_TEST_FILE);
  if (!existsSync(file)) return undefined;
  return { file, value: validate(imageTestSchema, readJsonSource(file, unit), unit) };
}

/** The ARG the base layer's FROM names, which the test sets to the local base. */
function baseImageArg(base: LoadedLayer): string {
  const from = parseDockerfile(base.fragmentText).all('FROM')[0];
  const image = from?.args.find((arg) => !arg.value.startsWith('--'))?.value ?? '';
  const match = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(image);
  if (!match) {
    throw new ImageLayersError({
      code: 'fixed-base-image',
      unit: base.name,
      location: { file: base.fragmentFile, line: (from?.line ?? 0) + 1 },
      message: `the base layer's FROM names a fixed image, so the image test cannot build it on the local base`,
      fix: 'declare `ARG BASE_IMAGE=<image>` before FROM and write `FROM ${BASE_IMAGE}`',
    });
  }
  return match[1]!;
}

/** A layer alone cannot be built: it is composed into a throwaway image of its chain, inside the workspace. */
function composeLayerChain(
  root: string,
  layer: string,
  spec: ImageTestSpec | undefined,
  workDir: string,
): ComposedImage {
  const chain = resolveTestChain(peekWorkspaceLayers(root), layer, spec?.layers);
  if ('error' in chain) {
    throw new ImageLayersError({
      code: 'test-chain',
      unit: layer,
      location: { file: join(root, LAYERS_FOLDER, layer, IMAGE_TEST_FILE) },
      message: chain.error,
      fix: chain.fix,
    });
  }
  const imageDir = join(workDir, 'image');
  mkdirSync(imageDir, { recursive: true });
  // The layer under test gets the options its image test sets; the composer checks them as an image's.
  const manifest = {
    name: `${layer}-image-test`,
    description: `the ${layer} layer on the layers it requires, for its image test`,
    layers: chain.layers.map((name) =>
      name === layer && spec?.options ? { layer: name, options: spec.options } : name,
    ),
  };
  writeFileSync(join(imageDir, IMAGE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(imageDir, 'image.Dockerfile'), '');
  return composeImage(imageDir);
}

/** What a test driving the harness itself (not `image-layers image-test`) changes in the plan. */
export interface PlanOptions {
  /**
   * Where the throwaway image and the build context are written, instead of .image-test/work/<project>: a test
   * that builds a project its own way must not stage into the folder the project's image-test target uses.
   */
  workDir?: string;
  /**
   * The hosts the build may reach, instead of reachableHosts(): e.g. those plus a host whose step the test points
   * at a server of its own (python-runtime's pip step at a local package index), so that the step is run.
   */
  reachable?: Set<string>;
}

/**
 * Plans the image test of a layer (built on the base with the layers it requires) or of an image app (composed
 * as it is): the Dockerfile with unreachable steps left out, the build arguments (the local base, steps turned
 * off), the stand-ins to mount. Writes the build context under .image-test/work/<project>/context.
 */
export function planTestBuild(
  root: string,
  projectDir: string,
  baseImage: string,
  options: PlanOptions = {},
): TestBuildPlan {
  const kind = existsSync(join(projectDir, IMAGE_MANIFEST)) ? 'image' : 'layer';
  const unit = kind === 'image' ? loadImage(projectDir).name : loadLayer(projectDir).name;
  const spec = loadImageTestSpec(projectDir, unit);
  if (!spec) {
    throw new ImageLayersError({
      code: 'no-image-test',
      unit,
      location: { file: join(projectDir, IMAGE_TEST_FILE) },
      message: `${relative(root, projectDir)} has no ${IMAGE_TEST_FILE}: nothing says what it leaves in an image`,
      fix: `write ${IMAGE_TEST_FILE} (files, users, commands...; see tools/image-layers/schema/image-test.schema.json)`,
    });
  }
  if (kind === 'image' && spec.value.options) {
    throw new ImageLayersError({
      code: 'image-test-options',
      unit,
      location: readJsonSource(spec.file, unit).locate(['options']),
      message: `"options" in ${IMAGE_TEST_FILE} is for a layer's image test; an image is tested as image.json composes it`,
      fix: `set the options in ${relative(root, join(projectDir, IMAGE_MANIFEST))} ("layers": [{ "layer": ..., "options": {...} }]), or remove "options"`,
    });
  }
  const workDir = options.workDir ?? join(root, IMAGE_TEST_WORK, unit);
  const composed =
    kind === 'image' ? composeImage(projectDir) : composeLayerChain(root, unit, spec.value, workDir);

  const units: OfflineUnit[] = composed.layers.map((layer, index) => ({
    name: layer.name,
    network: layer.manifest.network,
    options: layer.manifest.options,
    source: layer.source,
    spec: layer.name === unit ? spec : loadImageTestSpec(layer.dir, layer.name),
    values: composed.optionValues[index],
  }));
  if (kind === 'image') {
    const image = composed.image;
    units.push({
      name: image.name,
      network: image.manifest.network,
      // A step of the image that needs a host may be one a layer runs (openclaw-image: agent-cli running the
      // openclaw CLI needs NodeSource's Node 22): image.json's "option" then names that layer's boolean option,
      // which the test build sets with --build-arg like any other, and the run names the step as not run.
      options: Object.assign({}, ...composed.layers.map((layer) => layer.manifest.options)),
      source: image.source,
      spec,
    });
  }
  const { plan, errors } = planOffline(units, options.reachable ?? reachableHosts());
  errors.push(...legacyBuilderErrors(fragmentsOf(composed)));
  const left = leaveOutSteps(composed.dockerfile, composed.provenance, plan.leaveOut, spec.file);
  errors.push(...left.errors);
  throwIfAny(errors);

  const base = composed.layers.find((layer) => layer.manifest.base)!;
  const contextDir = join(workDir, 'context');
  writeComposedImage({ ...composed, dockerfile: left.dockerfile }, contextDir);
  return {
    project: unit,
    kind,
    spec: spec.value,
    specFile: spec.file,
    layers: composed.layers.map((layer) => layer.name),
    contextDir,
    buildArgs: { [baseImageArg(base)]: baseImage, ...plan.buildArgs },
    notRun: plan.notRun,
    standIns: spec.value.standIns.map((standIn) => ({
      hostPath: join(projectDir, 'test', standIn.source),
      path: standIn.path,
      why: standIn.why,
    })),
  };
}
