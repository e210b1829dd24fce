import { dirname, join } from 'node:path';
import { IMAGE_TEST_FILE, LAYER_MANIFEST, LAYERS_FOLDER, listLayerNames } from './layout';
import { readUnitFile } from './unit-file';

// The one lenient reader of manifests, for the Nx plugin (which must build a graph even while a manifest is
// broken) and for the image-test harness (which resolves a layer's chain from every layer in the workspace,
// without one broken neighbour stopping it). Strict reading, with file:line errors, is load.ts's: the target
// that owns a broken file reports it there. Reading still goes through readUnitFile, so a FIFO, a device or a
// huge file named layer.json is refused here as well, instead of hanging the plugin.

/** The fields of a layer.json that decide which layers it is built on; anything malformed is left out. */
export interface LayerSummary {
  name: string;
  base: boolean;
  requires: string[];
  provides: string[];
  aptPackages: string[];
}

/** What the plugin and harness need from test/image-test.json: the explicit chain and the stand-ins it mounts. */
export interface ImageTestSummary {
  layers?: string[];
  standIns: string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The parsed JSON object in `file`, or undefined when it is missing, unreadable, not JSON or not an object. */
function readObject(file: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(readUnitFile(file, { unitDir: dirname(file) }));
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A LayerSummary from an already parsed layer.json, or undefined when it has no name. */
export function summarizeLayer(manifest: unknown): LayerSummary | undefined {
  const json = (manifest ?? {}) as Record<string, unknown>;
  if (typeof json.name !== 'string') return undefined;
  return {
    name: json.name,
    base: json.base === true,
    requires: strings(json.requires),
    provides: strings(json.provides),
    aptPackages: strings(json.aptPackages),
  };
}

/** The "name" of a layer.json or image.json, or undefined when the file does not say one. */
export function peekManifestName(file: string): string | undefined {
  const name = readObject(file)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The layer names an image.json lists, whether written as "name" or { "layer": "name" }. */
export function peekImageLayers(file: string): string[] {
  const layers = readObject(file)?.layers;
  if (!Array.isArray(layers)) return [];
  return layers
    .map((entry) => (typeof entry === 'string' ? entry : (entry as { layer?: unknown } | null)?.layer))
    .filter((name): name is string => typeof name === 'string');
}

/** The layer in `layerDir`, summarised, or undefined when its layer.json is missing or broken. */
export function peekLayer(layerDir: string): LayerSummary | undefined {
  const json = readObject(join(layerDir, LAYER_MANIFEST));
  return json && summarizeLayer(json);
}

/** Every layer of the workspace that has a readable layer.json with a name. */
export function peekWorkspaceLayers(workspaceRoot: string): LayerSummary[] {
  return listLayerNames(workspaceRoot)
    .map((name) => peekLayer(join(workspaceRoot, LAYERS_FOLDER, name)))
    .filter((summary): summary is LayerSummary => summary !== undefined);
}

/** A project's test/image-test.json, summarised; an absent or broken file gives no layers and no stand-ins. */
export function peekImageTest(projectDir: string): ImageTestSummary {
  const json = readObject(join(projectDir, IMAGE_TEST_FILE));
  const standIns = (Array.isArray(json?.standIns) ? json.standIns : [])
    .map((standIn) => (standIn as { source?: unknown } | null)?.source)
    .filter((source): source is string => typeof source === 'string');
  return { layers: Array.isArray(json?.layers) ? strings(json.layers) : undefined, standIns };
}
