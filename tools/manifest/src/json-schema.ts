import * as z from 'zod';
import { imageTestSchema } from './image-test-schema';
import { manifestSchemas } from './schema';

/**
 * The JSON Schema files editors use through "$schema", generated from the zod schemas so the two can
 * never disagree. `image-layers docs` writes them; a test fails when the committed copies drift.
 */
export function jsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, title: string, description: string) =>
    `${JSON.stringify({ title, description, ...z.toJSONSchema(schema, { io: 'input' }) }, null, 2)}\n`;
  const { imageManifestSchema, layerManifestSchema } = manifestSchemas();
  return {
    'layer.schema.json': render(
      layerManifestSchema,
      'image-layers layer.json',
      'One image layer: what it is, needs, provides, installs and grants.',
    ),
    'image.schema.json': render(
      imageManifestSchema,
      'image-layers image.json',
      'An image app: its layers in build order, with their options.',
    ),
    'image-test.schema.json': render(
      imageTestSchema,
      'image-layers test/image-test.json',
      'What a layer or an image leaves in a built image: files, users, groups, commands, processes, containers.',
    ),
  };
}
