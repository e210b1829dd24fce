// Helpers shared by every layer's tests. Import them as `image-layers/testing`; add a helper here (one
// module a concern) instead of writing it again in a layer's test folder.
export * from './workspace';
export * from './tools';
export * from './processes';
export * from './http-server';
export * from './shellcheck';
export * from './fragment';
export * from './chroot-root';
export * from './git-http-server';
export * from './background-process';
export * from './apply-fragment';
