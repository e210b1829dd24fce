#!/usr/bin/env node
// `npm test` (see tools/test-runner/src/npm-test.ts). Extra arguments go to `nx run-many`, e.g. --skip-nx-cache.
'use strict';
const { join } = require('node:path');
require('./register-typescript');
process.exitCode = require('@image-layers/test-runner/npm-test').runAllTests(
  join(__dirname, '..', '..', '..'),
  process.argv.slice(2),
);
