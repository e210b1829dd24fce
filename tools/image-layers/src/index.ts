// The public API of image-layers: load manifests, compose an image, check a layer.
export * from '@image-layers/manifest/errors';
export * from '@image-layers/manifest/schema';
export * from '@image-layers/manifest/load';
export * from '@image-layers/compose/compose';
export * from '@image-layers/compose/write';
export * from '@image-layers/compose/check-layer';
