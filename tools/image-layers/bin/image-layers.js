#!/usr/bin/env node
// Runs the TypeScript sources directly (compiled in memory by swc), so there is no build step to forget.
'use strict';
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
