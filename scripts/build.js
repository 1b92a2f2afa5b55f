#!/usr/bin/env node
/**
 * Compiles the bot to dist/ (the card templates copied beside it) and runs it:
 *   node scripts/build.js            build when dist/ is missing or older than the sources
 *   node scripts/build.js --force    always build, type-checked by tsc (`npm run build`)
 *   node scripts/build.js --run ...  build if needed, then run dist/src/main.js in this process
 * The build a start does on its own transpiles with esbuild (about a second, where tsc takes half a
 * minute): types are checked by `npm test` and `npm run build`, a start only needs the JavaScript.
 * Plain JavaScript so it runs on a fresh clone before anything is compiled. Concurrent starts share
 * one build through a lock directory.
 */
'use strict';
const { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const lock = join(root, '.build-lock');
const INPUTS = ['src', 'cards', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const LOCK_WAIT_MS = 180_000;

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function isStale() {
  if (!existsSync(stamp) || !existsSync(join(dist, 'src', 'main.js'))) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(root, p)) > built);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One builder at a time; a lock older than the wait is from a killed build and is taken over. */
function withLock(fn) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (Date.now() > deadline || age > LOCK_WAIT_MS) { rmSync(lock, { recursive: true, force: true }); continue; }
      sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function typeCheckedBuild() {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    process.stderr.write('The TypeScript build failed (see above).\n');
    process.exit(tsc.status ?? 1);
  }
}

function quickBuild() {
  require('esbuild').buildSync({
    entryPoints: sources(join(root, 'src')), outdir: join(dist, 'src'), outbase: join(root, 'src'),
    format: 'cjs', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning',
  });
}

/**
 * Plain JavaScript modules under src/ (the chart worker runs outside TypeScript) go beside the
 * compiled files. The chart worker goes as one bundle with vega and vega-lite inside: one file to
 * read and compile instead of some 160 modules, about a third less CPU before its first chart.
 * resvg stays outside (a native addon); under jest the worker runs from its source.
 */
const BUNDLED = { [join('adapters', 'charts', 'render-worker.mjs')]: ['@resvg/resvg-js'] };

function copyModules(dir = join(root, 'src')) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = path.slice(join(root, 'src').length + 1);
    if (entry.isDirectory()) copyModules(path);
    else if (BUNDLED[rel]) bundleWorker(path, join(dist, 'src', rel), BUNDLED[rel]);
    else if (entry.name.endsWith('.mjs')) cpSync(path, join(dist, 'src', rel));
  }
}

function bundleWorker(entry, outfile, external) {
  require('esbuild').buildSync({
    entryPoints: [entry], outfile, bundle: true, external, format: 'esm', platform: 'node', target: 'node20',
    sourcemap: true, logLevel: 'warning',
  });
}

function build(force) {
  withLock(() => {
    if (!force && !isStale()) return;
    process.stderr.write(`Compiling MLOps Bot to dist/ (${force ? 'tsc' : 'esbuild'}) …\n`);
    const started = Date.now();
    rmSync(join(dist, 'src'), { recursive: true, force: true });
    if (force) typeCheckedBuild();
    else quickBuild();
    copyModules();
    rmSync(join(dist, 'cards'), { recursive: true, force: true });
    cpSync(join(root, 'cards'), join(dist, 'cards'), { recursive: true });
    writeFileSync(stamp, new Date().toISOString());
    process.stderr.write(`Compiled in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  });
}

const args = process.argv.slice(2);
if (args[0] === '--run') {
  if (isStale()) build(false);
  // main.js reads process.argv.slice(2): drop `--run` so it sees the bot's own arguments.
  process.argv.splice(2, 1);
  // Node 22.1+ keeps compiled module code between starts (most of a start is compiling modules);
  // older Node has no such cache and simply starts without it.
  const nodeModule = require('node:module');
  if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache(join(dist, '.compile-cache'));
  require(join(dist, 'src', 'main.js'));
} else {
  build(args.includes('--force'));
}
