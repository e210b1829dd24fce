#!/usr/bin/env node
// Runs the CLI from its bundle (see cli-bundle.js): compiled once by esbuild, and rebuilt first whenever a file it
// was built from changed, so a start never transpiles and never runs a stale bundle.
'use strict';
const { BundleError, freshBundle, loadBundle } = require('./cli-bundle');

// IMAGE_LAYERS_DEBUG=1 runs the ES module chunks, whose source maps name the sources in stack traces; else their
// CommonJS forms, which start faster with V8's code cache (cli-bundle.js, loadBundle).
const debug = process.env.IMAGE_LAYERS_DEBUG === '1';
if (debug) process.setSourceMapsEnabled(true);
freshBundle()
  .then((entry) => (debug ? import(entry) : loadBundle(entry)))
  .then(
    ({ start }) => start(process.argv),
    (error) => {
      // No esbuild, or sources esbuild cannot read: one message that says what to do, no stack trace.
      process.stderr.write(`${error instanceof BundleError ? error.message : `image-layers: ${error}`}\n`);
      process.exitCode = 2;
    },
  );
