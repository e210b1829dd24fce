#!/usr/bin/env node
// Runs the TypeScript sources directly (compiled in memory by swc, see register-typescript.js): no build step to forget.
'use strict';
require('./register-typescript');
require('../src/cli/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
