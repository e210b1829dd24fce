#!/usr/bin/env node
// `npm test` (see src/test-runner/run-all.ts). Extra arguments go to `nx run-many`, e.g. --skip-nx-cache.
'use strict';
const { join } = require('node:path');
require('./register-typescript');
process.exitCode = require('../src/test-runner/run-all.ts').runAllTests(
  join(__dirname, '..', '..', '..'),
  process.argv.slice(2),
);
