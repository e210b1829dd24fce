// Helpers shared by every layer's tests. Import them as `image-layers/testing`; add a helper here (one
// module a concern) instead of writing it again in a layer's test folder.
export * from '@image-layers/support/workspace';
export * from '@image-layers/support/tools';
export * from '@image-layers/support/processes';
export * from './http-server';
export * from './python-index';
export * from './shellcheck';
export * from './fragment';
export * from './chroot-root';
export * from '@image-layers/support/git-http-server';
export * from './background-process';
export * from './apply-fragment';
export * from './pip-base';
export * from './entrypoint-root';
