'use strict';
// Lets Node 20 require the CLI's TypeScript sources directly, compiled in memory by swc.
// @swc-node/register does the same but loads the TypeScript compiler to read tsconfig (~0.5 s a start);
// the CLI runs once per Nx task, so that would be paid dozens of times per `npm test`.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const swcOptions = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// require.extensions is deprecated but is still the synchronous hook CommonJS offers on Node 20.
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};
