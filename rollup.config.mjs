// Builds dist/: ESM (.mjs) and CJS (.cjs) for each entry from one source, plus one rolled-up declaration
// file per entry: `[entry].d.ts` (ESM, as the package is "type": "module") and its CommonJS twin
// `[entry].d.cts` for the `require` condition. The twin is needed: TypeScript decides a declaration file's
// module kind from its extension / package type, so a single `.d.ts` served to `require` is reported by
// @arethetypeswrong as "Masquerading as ESM". Node built-ins stay external; the universal entry must not
// reach any of them. No source maps are emitted, so nothing in the package points outside it.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, rmSync } from 'node:fs';

// No stale file from an older layout or build may end up in `npm pack`: remove everything in dist/ but
// the entry files, which are rewritten in place (so a concurrent test run never finds them missing).
const keep = /^(index|node)\.(mjs|cjs|d\.ts|d\.cts)$/;
if (existsSync('dist')) for (const f of readdirSync('dist')) if (!keep.test(f)) rmSync(`dist/${f}`, { recursive: true, force: true });

const entries = { index: 'src/index.ts', node: 'src/node.ts' };
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Fails the build if the universal entry's graph imports a Node built-in. */
const universalGuard = {
  name: 'universal-guard',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || !chunk.isEntry || chunk.name !== 'index') continue;
      const seen = new Set();
      const visit = (file) => {
        if (seen.has(file)) return;
        seen.add(file);
        const c = bundle[file];
        if (!c || c.type !== 'chunk') return;
        for (const imp of c.imports) {
          if (external.includes(imp)) this.error(`universal entry imports Node built-in "${imp}" via ${file}`);
          visit(imp);
        }
      };
      visit(chunk.fileName);
    }
  },
};

const tsPlugin = () =>
  typescript({
    tsconfig: './tsconfig.json',
    compilerOptions: { declaration: false, sourceMap: false, declarationMap: false, outDir: 'dist', rootDir: 'src', noEmit: false },
  });

export default [
  {
    input: entries,
    external,
    plugins: [tsPlugin(), universalGuard],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'shared-[hash].mjs', sourcemap: false },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'shared-[hash].cjs', exports: 'named', sourcemap: false },
    ],
  },
  ...['d.ts', 'd.cts'].map((ext) => ({
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { declarationMap: false, sourceMap: false } })],
    output: { dir: 'dist', format: 'es', entryFileNames: `[name].${ext}`, chunkFileNames: `shared-[hash].${ext}` },
  })),
];
