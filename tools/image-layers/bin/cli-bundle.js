'use strict';
// The CLI's bundle: src/cli/start.ts and everything it loads, compiled once by esbuild into
// tools/image-layers/dist/cli/<key>/ (gitignored), so a start neither transpiles nor resolves hundreds of files.
// The CLI runs once per Nx task: compiling the sources with swc on every start cost ~0.25 s of a compose.
//
// - ESM with code splitting: each command's `await import(...)` stays a chunk of its own, loaded when that command
//   runs (compose never loads the linter, dockerfile-utils or the Docker driver). zod is tree-shaken (its locales
//   drop out) because the manifest imports it as `import * as z`.
// - Never stale: beside the bundle, current.json lists every file esbuild read (sources and node_modules files, from
//   its metafile) and the files that steer the build (this file, package.json files, tsconfigs, npm's lock of
//   node_modules) with their size and mtime. A start stats them all and compares each with its listed size and
//   mtime (~3 ms for ~500 files; node:crypto, ~5 ms to load, only when it builds); when one differs, is gone, or
//   there is no bundle, it builds a new one first. The sources stay the truth: Nx hashes them, never dist/.
// - Races: parallel Nx tasks may build at once. Each builds into a temporary folder, renamed to the key (a hash of
//   the inputs' stats, so two builds of the same sources agree on it); current.json is written by a rename too.
//   Bundles that are no longer current are removed after an hour, never while a process may still load their chunks.
// - Run as CommonJS with a V8 code cache: beside each chunk X.mjs, X.cjs holds its code as a function body, which
//   loadBundle() compiles with the code cache a first start left beside it (see writeCommonJsForms). The .mjs
//   chunks are what IMAGE_LAYERS_DEBUG=1 runs, with their source maps.
// - results/ beside the chunks: what the CLI remembers between starts of what it computed from texts (fragments,
//   manifests, shell scripts; tools/manifest/src/remembered.ts). Inside the bundle's folder, so a bundle built
//   from other inputs never reads them, and they go when the bundle goes.
// - web-tree-sitter stays external: it finds its WASM runtime beside its own file; its files and the bash grammar
//   are steering files, since what results/ holds of shell parses is theirs.
// - Without esbuild (a workspace installed without its devDependencies) the CLI fails with one line naming what
//   to run, rather than fall back to the slow path unnoticed.
// Only node: built-ins are loaded to check the bundle; esbuild is loaded when a build is needed.
const fs = require('node:fs');
const { basename, dirname, join, relative, resolve, sep } = require('node:path');

const ROOT = resolve(__dirname, '..', '..', '..');
const ENTRY = 'tools/image-layers/src/cli/start.ts';
/** Where bundles are kept; `dir` lets a test build a copy elsewhere. */
const defaultDist = () => join(ROOT, 'tools', 'image-layers', 'dist', 'cli');
const FORMAT = 2;
/** Each chunk's first line: what its __dirname/__filename (nodePathsPlugin) and bundled require() calls use. */
const BANNER = [
  "import { createRequire as __ilCreateRequire } from 'node:module';",
  "import { dirname as __ilDirname } from 'node:path';",
  "import { fileURLToPath as __ilPath } from 'node:url';",
  'const __ilBase = import.meta.url;',
  // What the bundled CommonJS packages require() of Node's own modules.
  'const require = __ilCreateRequire(__ilBase);',
].join(' ');
const KEEP_OLD_MS = 60 * 60 * 1000;

/** The files that steer a build without being bundled: changed, they change the bundle too. */
function steeringFiles(root) {
  const files = [
    __filename,
    'package.json',
    'tsconfig.json',
    'tsconfig.base.json',
    'node_modules/.package-lock.json',
    // The shell parser lint loads beside the bundle (external): what the bundle remembers of its parses
    // (results/, manifest/remembered.ts) is from this parser, so another one is another bundle.
    'node_modules/web-tree-sitter/package.json',
    'node_modules/web-tree-sitter/web-tree-sitter.cjs',
    'node_modules/web-tree-sitter/web-tree-sitter.wasm',
    'node_modules/tree-sitter-bash/package.json',
    'node_modules/tree-sitter-bash/tree-sitter-bash.wasm',
  ];
  for (const dir of fs.readdirSync(join(root, 'tools')))
    files.push(`tools/${dir}/package.json`, `tools/${dir}/tsconfig.json`);
  return files
    .map((file) => relative(root, resolve(root, file)))
    .filter((file) => fs.existsSync(join(root, file)));
}

/** A listed file's path: path.join's normalizing cost a start ~5 ms over ~500 files, and they are relative already. */
const pathOf = (root, file) => root + sep + file;

/** [path relative to the root, size, mtime in ms] for each file, or undefined when one is gone. */
function statsOf(root, files) {
  const stats = [];
  for (const file of files) {
    let stat;
    try {
      stat = fs.statSync(pathOf(root, file));
    } catch {
      return undefined;
    }
    stats.push([file, stat.size, stat.mtimeMs]);
  }
  return stats;
}

const keyOf = (stats) =>
  require('node:crypto').createHash('sha256').update(JSON.stringify(stats)).digest('hex').slice(0, 16);

/** The entry of the current bundle when every file it was built from is as it was, else undefined. */
function currentBundle({ root = ROOT, dist = defaultDist() } = {}) {
  let current;
  try {
    current = JSON.parse(fs.readFileSync(join(dist, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (current.format !== FORMAT || !Array.isArray(current.inputs) || typeof current.key !== 'string')
    return undefined;
  // The key is the hash of these stats (keyOf, when built): the same stats are the same key, compared unhashed.
  for (const [file, size, mtime] of current.inputs) {
    const stat = fs.statSync(pathOf(root, file), { throwIfNoEntry: false });
    if (!stat || stat.size !== size || stat.mtimeMs !== mtime) return undefined;
  }
  const entry = join(dist, current.key, 'main.mjs');
  return fs.existsSync(entry) ? entry : undefined;
}

/** One line naming what to run, when there is no esbuild to build the bundle with. */
class BundleError extends Error {}

function loadEsbuild() {
  try {
    return require('esbuild');
  } catch {
    throw new BundleError(
      "image-layers: cannot build the CLI's bundle: esbuild is not installed: run `npm ci` at the workspace root",
    );
  }
}

/**
 * Node's __dirname and __filename for each bundled file that uses them, as where the file is (the bundle may move
 * with the checkout, so they are found from the chunk's own URL at run time). `__ilBase` and `__ilPath` come from
 * each chunk's banner; nothing here uses import.meta, so esbuild still reads a CommonJS file as CommonJS.
 */
const nodePathsPlugin = (outdir) => ({
  name: 'image-layers-node-paths',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text) || /\b(const|let|var)\s+__(dirname|filename)\b/.test(text))
        return undefined;
      const url = relative(outdir, args.path).split(sep).join('/');
      const paths =
        `const __filename = __ilPath(new URL(${JSON.stringify(url)}, __ilBase));` +
        ' const __dirname = __ilDirname(__filename);';
      // On the file's first line, so every line of it keeps its number.
      return { contents: paths + text, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
});

/**
 * commander's node:child_process, loaded when first used: commander needs it only for executable subcommands,
 * which this CLI has none of, and loading it cost every start ~2 ms.
 */
const lazyChildProcessPlugin = {
  name: 'image-layers-lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'image-layers-lazy' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'image-layers-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/** Builds the bundle (into a temporary folder, then renamed into place) and returns its entry. */
async function buildBundle({ root = ROOT, dist = defaultDist() } = {}) {
  const esbuild = loadEsbuild();
  fs.mkdirSync(dist, { recursive: true });
  const started = Date.now();
  const temp = fs.mkdtempSync(join(dist, 'tmp-'));
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: { main: join(root, ENTRY) },
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // The ES module builds of the packages that have one (jsonc-parser's UMD one hides its require()s).
      mainFields: ['module', 'main'],
      external: ['web-tree-sitter'],
      banner: { js: BANNER },
      // IMAGE_LAYERS_DEBUG=1 turns them on, for stack traces that name the sources.
      sourcemap: 'linked',
      legalComments: 'none',
      metafile: true,
      logLevel: 'silent',
      plugins: [nodePathsPlugin(temp), lazyChildProcessPlugin],
    });
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    const messages = error.errors ? esbuild.formatMessagesSync(error.errors, { kind: 'error' }).join('') : '';
    throw new BundleError(`${messages}image-layers: cannot build the CLI's bundle from its sources (above)`);
  }
  // What went into which chunk, for the tests (bundle.test.ts) and anyone asking why a command loads a file.
  fs.writeFileSync(join(temp, 'meta.json'), JSON.stringify(result.metafile));
  writeCommonJsForms(esbuild, temp);
  // (Not the stand-ins plugins make: `namespace:path`, no file.)
  const read = Object.keys(result.metafile.inputs)
    .filter((file) => !file.startsWith('image-layers-lazy:'))
    .map((file) => relative(root, resolve(root, file)));
  const inputs = statsOf(root, [...new Set([...read, ...steeringFiles(root)])].sort());
  const key = inputs ? keyOf(inputs) : `unlisted-${basename(temp)}`;
  const final = join(dist, key);
  try {
    fs.renameSync(temp, final);
  } catch {
    // Another process built the same sources first: theirs is as good.
    fs.rmSync(temp, { recursive: true, force: true });
  }
  // A file edited while esbuild read it may be in the bundle as it was: then this run uses the bundle, and the next
  // one builds again.
  if (inputs && inputs.every(([, , mtime]) => mtime < started)) {
    const pointer = join(dist, `current.json.${process.pid}.${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(pointer, JSON.stringify({ format: FORMAT, key, inputs }));
    fs.renameSync(pointer, join(dist, 'current.json'));
  }
  removeOldBundles(dist, key);
  return join(final, 'main.mjs');
}

/**
 * Beside each chunk X.mjs, X.cjs: the same code as a CommonJS function body, which loadBundle() compiles with
 * vm.Script and a V8 code cache (Node 20 has none for ES modules): compiling and first calls cost a start
 * ~50 ms. Same chunks, same modules, same laziness: import statements become require() of the sibling chunk,
 * import() a require() in a promise; the ES banner gives way to the loader's arguments of the same names.
 */
function writeCommonJsForms(esbuild, dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.mjs')) continue;
    const text = fs.readFileSync(join(dir, name), 'utf8');
    if (!text.startsWith(BANNER))
      throw new Error(`image-layers: ${name} does not start with the bundle's banner`);
    const { code, warnings } = esbuild.transformSync(text.slice(BANNER.length), {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      supported: { 'dynamic-import': false },
      legalComments: 'none',
      logLevel: 'silent',
    });
    // A warning is code esbuild could not carry over as it is (import.meta, most likely): this form would differ.
    if (warnings.length > 0)
      throw new Error(`image-layers: ${name} as CommonJS: ${warnings.map((w) => w.text).join('; ')}`);
    fs.writeFileSync(join(dir, name.replace(/\.mjs$/, '.cjs')), code);
  }
}

function removeOldBundles(dist, keep) {
  for (const name of fs.readdirSync(dist)) {
    if (name === keep || name === 'current.json') continue;
    const path = join(dist, name);
    try {
      if (Date.now() - fs.statSync(path).mtimeMs > KEEP_OLD_MS)
        fs.rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * Runs a bundle's entry chunk from the CommonJS forms (writeCommonJsForms) and returns its exports. Each form is
 * compiled with the V8 code cache beside it (X.cjs.cache), made at the exit of the first start that loaded it, so it
 * holds the functions that start ran too. V8 refuses a cache of another V8, other flags or a source of another
 * length (then a new one is written); the forms never change after their build renamed the bundle into place, as
 * the bundle's folder is named after its inputs.
 */
function loadBundle(entry) {
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  const { fileURLToPath, pathToFileURL } = require('node:url');
  // lint's shell parser sets it (shell.ts) before it loads its WASM; set here first, so the flags V8 checks a cache
  // against are the same when a start makes the cache and when the next one reads it.
  require('node:v8').setFlagsFromString('--liftoff-only');
  const dir = dirname(entry);
  const loaded = new Map();
  const toWrite = [];
  const load = (name) => {
    const known = loaded.get(name);
    if (known) return known.exports;
    const chunk = join(dir, name);
    const file = chunk.replace(/\.mjs$/, '.cjs');
    const module = { exports: {} };
    loaded.set(name, module);
    let cachedData;
    try {
      cachedData = fs.readFileSync(`${file}.cache`);
    } catch {
      // None yet: made at exit.
    }
    const source = fs.readFileSync(file, 'utf8');
    const script = new vm.Script(
      `(function (exports, require, module, __ilBase, __ilDirname, __ilPath) {${source}\n})`,
      { filename: file, cachedData },
    );
    if (!cachedData || script.cachedDataRejected) toWrite.push([script, `${file}.cache`]);
    const nodeRequire = createRequire(chunk);
    const chunkRequire = (id) => (id.startsWith('./') ? load(id.slice(2)) : nodeRequire(id));
    chunkRequire.resolve = nodeRequire.resolve;
    script.runInThisContext()(
      module.exports,
      chunkRequire,
      module,
      pathToFileURL(chunk).href,
      dirname,
      fileURLToPath,
    );
    return module.exports;
  };
  process.once('exit', () => {
    for (const [script, cache] of toWrite) {
      const temp = `${cache}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      try {
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cache);
      } catch {
        // A read-only checkout, or a full disk: the next start compiles without a cache, as this one did.
        fs.rmSync(temp, { force: true });
      }
    }
  });
  return load(basename(entry));
}

/** The entry of a bundle built from the sources as they are now: the current one, or a new one. */
async function freshBundle(options) {
  return currentBundle(options) ?? (await buildBundle(options));
}

module.exports = { BundleError, ENTRY, buildBundle, currentBundle, freshBundle, loadBundle, ROOT };
