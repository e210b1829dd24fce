// The public API of image-layers: load manifests, compose an image, check a layer.
export * from './errors';
export * from './manifest/schema';
export * from './manifest/load';
export * from './compose/compose';
export * from './compose/write';
export * from './compose/check-layer';
