#!/usr/bin/env node
// Bundles the test suites for Deno, Bun and Chromium: one ESM file per suite and runtime under
// build/runtimes/, with uvu, the helpers and test-only dependencies inlined. Every import of the package
// (`src/index.js`, `src/node.js`) is rewritten to the BUILT `dist/index.mjs` / `dist/node.mjs` and left
// external, so each runtime loads the real ESM build as a user would, with no bundler shims in between.
// TypeScript is only stripped here (ts.transpileModule); `npm test` type-checks separately.
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import ts from 'typescript';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { root, universalFiles, nodeFiles } from './suites.mjs';
import { skips } from './skips.mjs';

export const outDir = join(root, 'build', 'runtimes');
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

function plugin({ suite, files, runtime }) {
  const index = new Map(files.map((f, i) => [join(root, f), i]));
  const internals = new Set();
  return {
    name: 'runtime-tests',
    internals,
    resolveId(source, importer) {
      if (source === '\0runtime-entry' || source === '\0runtime-setup') return source;
      if (source === 'uvu' && importer !== SHIM) return SHIM;
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
      if (abs.startsWith(join(root, 'src') + sep)) internals.add(`${posix(relative(root, importer))} -> ${posix(relative(root, abs))}`);
      for (const ext of ['.ts', '.mts', '.js', '.mjs']) if (existsSync(abs + ext)) return { id: abs + ext, moduleSideEffects: true };
      return null;
    },
    load(id) {
      if (id === '\0runtime-setup') {
        const mine = skips.filter((k) => k.runtime === runtime && !k.file);
        return [
          // Must run before uvu's module body: uvu reads UVU_DEFER once, when it is evaluated.
          'globalThis.UVU_DEFER = 1;',
          'globalThis.UVU_QUEUE = [];',
          "globalThis.__TEST_ROOT__ = new URL('../../', import.meta.url).href;",
          `globalThis.__RUNTIME_STATE__ = { runtime: ${JSON.stringify(runtime)}, skips: ${JSON.stringify(mine)}, used: new Set(), skipped: [], failed: [] };`,
        ].join('\n');
      }
      if (id === '\0runtime-entry') {
        return [
          "import '\0runtime-setup';",
          ...files.map((f) => `import ${JSON.stringify(join(root, f))};`),
          `import { main } from ${JSON.stringify(HARNESS)};`,
          `await main(${JSON.stringify(`${suite} suite`)}, ${TIMEOUT_MS});`,
        ].join('\n');
      }
      return null;
    },
    transform(code, id) {
      if (!/\.m?ts$/.test(id)) return null;
      let js = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false },
      }).outputText;
      if (id.startsWith(join(root, 'test') + sep)) {
        // Each test file keeps its own URL for fixtures next to it (the bundle lives elsewhere).
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
  };
}

/** Builds every bundle; runtimes whose file lists are equal share one build. Returns what was written. */
export async function buildAll({ quiet = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  let cache;
  for (const target of targets) {
    const all = target.files();
    const builds = new Map(); // file list key -> runtimes
    for (const runtime of target.runtimes) {
      const excluded = new Set(skips.filter((k) => k.runtime === runtime && k.file).map((k) => k.file));
      for (const f of excluded) if (!all.includes(f)) throw new Error(`skips.mjs: ${runtime} excludes ${f}, which is not in the ${target.suite} suite`);
      const files = all.filter((f) => !excluded.has(f));
      const key = files.join('\n');
      if (!builds.has(key)) builds.set(key, { files, runtimes: [] });
      builds.get(key).runtimes.push(runtime);
    }
    for (const { files, runtimes } of builds.values()) {
      for (const runtime of runtimes) {
        const p = plugin({ suite: target.suite, files, runtime });
        const bundle = await rollup({
          input: '\0runtime-entry',
          cache,
          treeshake: { moduleSideEffects: true },
          plugins: [p, nodeResolve({ exportConditions: ['import', 'module', 'default'], preferBuiltins: true, extensions: ['.mjs', '.js', '.ts'] })],
          onwarn(warning, warn) {
            if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
            warn(warning);
          },
        });
        cache = bundle.cache;
        const file = bundlePath(target.suite, runtime);
        const { output } = await bundle.generate({
          format: 'es',
          paths: (id) => (id.startsWith(join(root, 'dist') + sep) ? posix(relative(outDir, id)) : id), inlineDynamicImports: true, sourcemap: false });
        await bundle.close();
        writeFileSync(file, output[0].code);
        written.push({ suite: target.suite, runtime, file, files: files.length });
        if (!quiet && p.internals.size > 0) {
          console.log(`note (${target.suite}/${runtime}): these test imports reach past the package entries, so they ` +
            `are bundled from src/ rather than loaded from dist/:\n  ${[...p.internals].join('\n  ')}`);
        }
      }
    }
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const written = await buildAll();
  for (const w of written) console.log(`${posix(relative(root, w.file))}: ${w.files} test files`);
  console.log(`bundled in ${Date.now() - t0} ms`);
}
