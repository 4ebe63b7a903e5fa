#!/usr/bin/env node
// Bundles the test suites for Deno, Bun and Chromium: one ESM file per suite and runtime under
// build/runtimes/, with uvu, the helpers and test-only dependencies inlined. Every import of the package
// (`src/index.js`, `src/node.js`) is rewritten to the BUILT `dist/index.mjs` / `dist/node.mjs` and left
// external, so each runtime loads the real ESM build as a user would, with no bundler shims in between.
// TypeScript is only stripped here (ts.transpileModule); `npm test` type-checks separately.
//
// The Node suite's child processes: tests start fixtures as `spawn(process.execPath, ['--import', 'tsx',
// fixture.ts, ...])`. Inside these bundles `node:child_process` is wrapped so that such a call runs the
// fixture's own bundle (build/runtimes/fixtures/*.mjs, also loading dist/) with the current runtime:
// `deno run -A <bundle>` or `bun <bundle>`. Nothing else about child processes changes.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import ts from 'typescript';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { root, universalFiles, nodeFiles } from './suites.mjs';
import { skips } from './skips.mjs';

export const outDir = join(root, 'build', 'runtimes');
const fixturesOut = join(outDir, 'fixtures');
const posix = (p) => p.split(sep).join('/');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const packageEntries = new Map([
  [join(root, 'src', 'index'), join(root, 'dist', 'index.mjs')],
  [join(root, 'src', 'node'), join(root, 'dist', 'node.mjs')],
]);
const SHIM = join(root, 'test', 'runtimes', 'uvu-shim.ts');
const HARNESS = join(root, 'test', 'runtimes', 'harness.ts');
const TIMEOUT_MS = 300_000;

/** The suites and the runtimes that run them. */
export const targets = [
  { suite: 'universal', files: universalFiles, runtimes: ['deno', 'bun', 'chromium'] },
  { suite: 'node', files: nodeFiles, runtimes: ['deno', 'bun'] },
];

export const bundlePath = (suite, runtime) => join(outDir, `${suite}.${runtime}.mjs`);

/**
 * Programs the Node tests start as child processes: test/fixtures/**\/*.ts and the examples (except the
 * Deno and Bun ones, which are not Node programs).
 */
function fixtureFiles() {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.m?ts$/.test(name)) out.push(full);
    }
  };
  walk(join(root, 'test', 'fixtures'));
  for (const name of existsSync(join(root, 'examples')) ? readdirSync(join(root, 'examples')).sort() : []) {
    if (/\.m?ts$/.test(name) && name !== 'deno.ts' && name !== 'bun.ts') out.push(join(root, 'examples', name));
  }
  return out;
}
const fixtureBundle = (file) => join(fixturesOut, relative(root, file).replace(/\.m?ts$/, '.mjs'));

// Wraps node:child_process: a call that starts `process.execPath --import tsx <fixture.ts>` runs the
// fixture's bundle with this runtime instead (see the header). Other calls pass through untouched.
const childProcessShim = `
import * as cp from 'node:child_process';
export * from 'node:child_process';
function map(command, args) {
  const r = Array.isArray(args) && globalThis.__RUNTIME_SPAWN__ ? globalThis.__RUNTIME_SPAWN__(command, args) : null;
  return r ?? [command, args];
}
export function spawn(command, args, ...rest) { return cp.spawn(...map(command, args), ...rest); }
export function spawnSync(command, args, ...rest) { return cp.spawnSync(...map(command, args), ...rest); }
export function execFile(command, args, ...rest) { return cp.execFile(...map(command, args), ...rest); }
export function execFileSync(command, args, ...rest) { return cp.execFileSync(...map(command, args), ...rest); }
export default { ...cp, spawn, spawnSync, execFile, execFileSync };
`;

function spawnRewrite() {
  const table = Object.fromEntries(fixtureFiles().map((f) => [f, fixtureBundle(f)]));
  return `
const fixtureBundles = ${JSON.stringify(table)};
globalThis.__RUNTIME_SPAWN__ = (command, args) => {
  if (command !== process.execPath) return null;
  let rest = args;
  if (rest[0] === '--import' && rest[1] === 'tsx') rest = rest.slice(2);
  else if (rest[0] === '--import=tsx') rest = rest.slice(1);
  const file = rest[0];
  if (typeof file !== 'string' || file.startsWith('-')) return null;
  const target = fixtureBundles[file] ?? file;
  return globalThis.Deno ? [command, ['run', '-A', '--no-lock', target, ...rest.slice(1)]] : [command, [target, ...rest.slice(1)]];
};`;
}

function plugin({ suite, files, allFiles = files, outFile, entry }) {
  const index = new Map(files.map((f, i) => [join(root, f), i]));
  const internals = new Set();
  return {
    name: 'runtime-tests',
    internals,
    resolveId(source, importer) {
      if (source.startsWith('\0runtime-') || source === '\0child-process') return source;
      if (source === 'uvu' && importer !== SHIM) return SHIM;
      if ((source === 'node:child_process' || source === 'child_process') &&
        (importer?.startsWith(join(root, 'test') + sep) || importer?.startsWith(join(root, 'examples') + sep))) {
        return '\0child-process';
      }
      if (builtins.has(source)) {
        if (suite === 'universal') {
          this.error(`${importer ? posix(relative(root, importer)) : '?'} imports "${source}": a universal test must not ` +
            'use Node built-ins (move it to test/node/ or name it *.node.test.ts)');
        }
        return { id: source.startsWith('node:') ? source : `node:${source}`, external: true };
      }
      // Our own files are resolved here, never by node-resolve: it would apply the package's
      // `"sideEffects": false` and drop the test files (they are imported only for their side effects).
      if (source.startsWith('/') && existsSync(source)) return { id: source, moduleSideEffects: true };
      if (!importer || !source.startsWith('.')) return null;
      const abs = resolve(dirname(importer), source).replace(/\.(js|ts|mjs)$/, '');
      const dist = packageEntries.get(abs);
      if (dist) return { id: dist, external: true };
      if (abs.startsWith(join(root, 'src') + sep) && !importer.startsWith(join(root, 'src') + sep)) internals.add(`${posix(relative(root, importer))} -> ${posix(relative(root, abs))}`);
      for (const ext of ['.ts', '.mts', '.js', '.mjs']) if (existsSync(abs + ext)) return { id: abs + ext, moduleSideEffects: true };
      return null;
    },
    load(id) {
      if (id === '\0child-process') return childProcessShim;
      if (id === '\0runtime-spawn') return spawnRewrite();
      if (id === '\0runtime-setup') {
        return [
          // Must run before uvu's module body: uvu reads UVU_DEFER once, when it is evaluated.
          'globalThis.UVU_DEFER = 1;',
          'globalThis.UVU_QUEUE = [];',
          "const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : typeof window === 'object' ? 'chromium' : 'node';",
          `const skips = ${JSON.stringify(skips.filter((k) => allFiles.includes(k.file)))}.filter((k) => k.runtime === runtime);`,
          'globalThis.__RUNTIME_STATE__ = { runtime, skips, used: new Set(), skipped: [], failed: [], nowPassing: [] };',
          suite === 'node' ? "import '\\0runtime-spawn';" : '',
        ].join('\n');
      }
      if (id === '\0runtime-entry') return entry;
      return null;
    },
    transform(code, id) {
      if (!/\.m?ts$/.test(id)) return null;
      let js = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false },
      }).outputText;
      if (id.startsWith(join(root, 'test') + sep) || id.startsWith(join(root, 'examples') + sep)) {
        // Each file keeps its own URL, for fixtures next to it (the bundle lives elsewhere).
        const rel = posix(relative(root, id));
        js = js.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, globalThis.__TEST_ROOT__).href`);
      }
      const i = index.get(id);
      if (i !== undefined) {
        // Group this file's suites under its name, as test/run.ts does on Node.
        const name = posix(relative(join(root, 'test'), id));
        js = `globalThis.UVU_INDEX = ${i}; globalThis.UVU_QUEUE.push([${JSON.stringify(name)}]);\n${js}`;
      }
      return { code: js, map: null };
    },
    // Where the repository root is, seen from the bundle (a file: URL, or http: in Chromium).
    banner: `globalThis.__TEST_ROOT__ ??= new URL(${JSON.stringify(posix(relative(dirname(outFile), root)) + '/')}, import.meta.url).href;`,
  };
}

let cache;
async function bundle(options) {
  const p = plugin(options);
  const build = await rollup({
    input: '\0runtime-entry',
    cache,
    treeshake: { moduleSideEffects: true },
    plugins: [p, nodeResolve({ exportConditions: ['import', 'module', 'default'], preferBuiltins: true, extensions: ['.mjs', '.js', '.ts'] })],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
      warn(warning);
    },
  });
  cache = build.cache;
  const { output } = await build.generate({
    format: 'es',
    // The package is imported by a path relative to the bundle, so it resolves in every runtime.
    paths: (id) => (id.startsWith(join(root, 'dist') + sep) ? posix(relative(dirname(options.outFile), id)) : id),
    inlineDynamicImports: true,
    sourcemap: false,
  });
  await build.close();
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, output[0].code);
  return p.internals;
}

/** Builds every bundle; returns what was written. `filters`: only test files whose path contains one. */
export async function buildAll({ quiet = false, filters = [] } = {}) {
  const written = [];
  const notes = new Set();
  for (const k of skips) {
    if (!k.file || !k.reason || !['deno', 'bun', 'chromium'].includes(k.runtime)) throw new Error(`skips.mjs: bad entry ${JSON.stringify(k)}`);
    if (!universalFiles().includes(k.file) && !nodeFiles().includes(k.file)) throw new Error(`skips.mjs: ${k.file} is not a test file (renamed?)`);
  }
  for (const target of targets) {
    const all = target.files().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
    if (all.length === 0) continue;
    // One build serves every runtime with the same file list (only a file-level skip makes them differ).
    const groups = new Map();
    for (const runtime of target.runtimes) {
      const excluded = new Set(skips.filter((k) => k.runtime === runtime && k.suite === undefined).map((k) => k.file));
      for (const f of excluded) if (!all.includes(f)) throw new Error(`skips.mjs: ${runtime} excludes ${f}, which is not in the ${target.suite} suite`);
      const files = all.filter((f) => !excluded.has(f));
      const key = files.join('\n');
      if (!groups.has(key)) groups.set(key, { files, runtimes: [] });
      groups.get(key).runtimes.push(runtime);
    }
    for (const { files, runtimes } of groups.values()) {
      const outFile = bundlePath(target.suite, runtimes[0]);
      const entry = [
        "import '\0runtime-setup';",
        ...files.map((f) => `import ${JSON.stringify(join(root, f))};`),
        `import { main } from ${JSON.stringify(HARNESS)};`,
        `await main(${JSON.stringify(`${target.suite} suite`)}, ${TIMEOUT_MS});`,
      ].join('\n');
      for (const n of await bundle({ suite: target.suite, files, allFiles: all, outFile, entry })) notes.add(n);
      for (const runtime of runtimes) {
        if (runtime !== runtimes[0]) copyFileSync(outFile, bundlePath(target.suite, runtime));
        written.push({ file: bundlePath(target.suite, runtime), files: files.length });
      }
    }
  }
  if (nodeFiles().length > 0) {
    for (const fixture of fixtureFiles()) {
      const outFile = fixtureBundle(fixture);
      await bundle({ suite: 'fixture', files: [], outFile, entry: `import '\0runtime-spawn';\nimport ${JSON.stringify(fixture)};` });
      written.push({ file: outFile, files: 1 });
    }
  }
  if (!quiet && notes.size > 0) {
    console.log('note: these test imports reach past the package entries, so they are bundled from src/ rather than ' +
      `loaded from dist/:\n  ${[...notes].join('\n  ')}`);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  // Arguments narrow the suites to matching test files, for debugging: `bundle.mjs duplex fifo`.
  const written = await buildAll({ filters: process.argv.slice(2) });
  for (const w of written) console.log(`${posix(relative(root, w.file))}: ${w.files} test file${w.files === 1 ? '' : 's'}`);
  console.log(`bundled in ${Date.now() - t0} ms`);
}
