// Builds dist/: ESM (.mjs) and CJS (.cjs) for each entry from one source, plus one .d.ts per entry
// and module kind. Node built-ins stay external; the universal entry must not reach any of them.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { builtinModules } from 'node:module';

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
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: "shared-[hash].cjs", exports: 'named' },
    ],
  },
  ...['mts', 'cts'].map((ext) => ({
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
    output: { dir: 'dist', format: 'es', entryFileNames: `[name].d.${ext}`, chunkFileNames: `shared-[hash].d.${ext}` },
  })),
];
