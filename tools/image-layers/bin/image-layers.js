#!/usr/bin/env node
// Runs the TypeScript sources directly (compiled in memory by swc, see register-typescript.js): no build step to forget.
'use strict';
require('./register-typescript');
const { main } = require('../src/cli/main.ts');
const { reportFailure } = require('../src/cli/failure.ts');
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main reports its own failures; this catches what escapes it, so a user never sees a stack trace.
    process.exitCode = reportFailure(error);
  },
);
