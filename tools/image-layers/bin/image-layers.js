#!/usr/bin/env node
// Runs the CLI from its bundle (see cli-bundle.js): compiled once by esbuild, and rebuilt first whenever a file it
// was built from changed, so a start never transpiles and never runs a stale bundle.
'use strict';
const { BundleError, freshBundle } = require('./cli-bundle');

if (process.env.IMAGE_LAYERS_DEBUG === '1') process.setSourceMapsEnabled(true);
freshBundle()
  .then((entry) => import(entry))
  .then(
    ({ start }) => start(process.argv),
    (error) => {
      // No esbuild, or sources esbuild cannot read: one message that says what to do, no stack trace.
      process.stderr.write(`${error instanceof BundleError ? error.message : `image-layers: ${error}`}\n`);
      process.exitCode = 2;
    },
  );
