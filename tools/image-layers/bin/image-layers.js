#!/usr/bin/env node
// Runs the CLI from its bundle (see cli-bundle.js): compiled once by esbuild, and rebuilt first whenever a file it
// was built from changed, so a start never transpiles and never runs a stale bundle.
'use strict';
const { dirname, join } = require('node:path');
const { BundleError, freshBundle, loadBundle } = require('./cli-bundle');

// IMAGE_LAYERS_DEBUG=1 runs the ES module chunks, whose source maps name the sources in stack traces; else their
// CommonJS forms, which start faster with V8's code cache (cli-bundle.js, loadBundle).
const debug = process.env.IMAGE_LAYERS_DEBUG === '1';
if (debug) process.setSourceMapsEnabled(true);
freshBundle()
  .then(async (entry) => {
    const { start } = debug ? await import(entry) : loadBundle(entry);
    // What the CLI remembers between starts lives beside the code that computed it (manifest/remembered.ts).
    return start(process.argv, { results: join(dirname(entry), 'results') });
  })
  .then(
    () => undefined,
    (error) => {
      // No esbuild, or sources esbuild cannot read: one message that says what to do, no stack trace.
      process.stderr.write(`${error instanceof BundleError ? error.message : `image-layers: ${error}`}\n`);
      process.exitCode = 2;
    },
  );
