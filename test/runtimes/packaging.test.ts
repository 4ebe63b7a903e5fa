/**
 * The package as users get it: `npm pack`'s file list, the exports map, publint, @arethetypeswrong/cli,
 * and TypeScript consumers (moduleResolution node16 and bundler) that compile against the PACKED tarball,
 * installed into a temporary project. Node-only, runs after the build:
 * `node --import tsx test/runtimes/packaging.test.ts`. Offline: nothing here talks to a registry.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import ts from 'typescript';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = { '.': 'io-pipelines', './node': 'io-pipelines/node' } as const;

const t = suite('packaging');
const work = mkdtempSync(join(tmpdir(), 'io-pipelines-pack-'));
const consumer = join(work, 'consumer');
let tarball = '';
let packedFiles: string[] = [];

function run(cmd: string, args: string[], cwd = root): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

interface ExportInfo { name: string; isValue: boolean; typeArgs: string }

/** The exports TypeScript sees for `specifier` from the consumer project (resolved like a user would). */
const declared = new Map<string, ExportInfo[]>();
function declaredExports(specifier: string, options: ts.CompilerOptions): ExportInfo[] {
  const key = `${specifier} ${JSON.stringify(options)}`;
  if (!declared.has(key)) declared.set(key, resolveExports(specifier, options));
  return declared.get(key)!;
}
function resolveExports(specifier: string, options: ts.CompilerOptions): ExportInfo[] {
  const probe = join(consumer, `probe-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(probe, `import * as m from '${specifier}';\nexport { m };\n`);
  try {
    const program = ts.createProgram([probe], { ...options, noEmit: true, types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(probe)!;
    const decl = source.statements[0] as ts.ImportDeclaration;
    const module = checker.getSymbolAtLocation(decl.moduleSpecifier);
    assert.ok(module, `TypeScript cannot resolve "${specifier}"`);
    return checker.getExportsOfModule(module).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      // A generic type needs its required type arguments to be referenced: `ReadResult` vs `Foo<any>`.
      const decl = target.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d)) as
        ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | undefined;
      const required = decl?.typeParameters?.filter((p) => !p.default).length ?? 0;
      return { name: s.name, isValue: (target.flags & ts.SymbolFlags.Value) !== 0, typeArgs: required ? `<${Array(required).fill('any').join(', ')}>` : '' };
    }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } finally {
    rmSync(probe, { force: true });
  }
}
const node16: ts.CompilerOptions = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };

t.before(() => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  tarball = join(work, packed[0].filename);
  packedFiles = packed[0].files.map((f: { path: string }) => f.path).sort();
  // "Install" the tarball the way npm would for a package without dependencies: unpack it into node_modules.
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(consumer, 'node_modules')]);
  renameSync(join(consumer, 'node_modules', 'package'), join(consumer, 'node_modules', 'io-pipelines'));
  symlinkSync(join(root, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');
  for (const f of readdirSync(join(root, 'test', 'runtimes', 'consumer'))) {
    copyFileSync(join(root, 'test', 'runtimes', 'consumer', f), join(consumer, f));
  }
});

t.after(() => rmSync(work, { recursive: true, force: true }));

t('npm pack holds dist/, README.md, LICENSE and package.json, and nothing else', () => {
  for (const required of ['README.md', 'LICENSE', 'package.json']) assert.ok(packedFiles.includes(required), `${required} is not packed`);
  const stray = packedFiles.filter((f) => !['README.md', 'LICENSE', 'package.json'].includes(f) && !f.startsWith('dist/'));
  assert.equal(stray, [], 'files outside dist/ in the package');
  const dist = packedFiles.filter((f) => f.startsWith('dist/'));
  const unexpected = dist.filter((f) => !/^dist\/(index|node|shared-[\w-]+)\.(mjs|cjs|d\.ts|d\.cts)$/.test(f));
  assert.equal(unexpected, [], 'unexpected files in dist/ (tests, sources, maps, stale builds?)');
});

t('no source map, and no file points outside the package', () => {
  for (const f of packedFiles.filter((p) => p.startsWith('dist/'))) {
    const text = readFileSync(join(consumer, 'node_modules', 'io-pipelines', f), 'utf8');
    assert.not.match(text, /sourceMappingURL/, `${f} references a source map`);
    assert.not.match(text, /from ['"]\.\.\/(src|test)\//, `${f} imports from outside the package`);
    assert.not.match(text, /\/work\/|file:\/\//, `${f} contains an absolute path`);
  }
});

t('exports: types/import/require for "." and "./node", plus "./package.json"; every target is packed', () => {
  assert.equal(Object.keys(pkg.exports).sort(), ['.', './node', './package.json']);
  assert.is(pkg.exports['./package.json'], './package.json');
  for (const [key, name] of [['.', 'index'], ['./node', 'node']] as const) {
    assert.equal(pkg.exports[key], {
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.mjs` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    }, `exports["${key}"]`);
  }
  const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.typesVersions['*']).flat()] as string[];
  for (const key of ['.', './node']) for (const cond of ['import', 'require']) targets.push(...Object.values(pkg.exports[key][cond]) as string[]);
  for (const target of targets) assert.ok(packedFiles.includes(target.replace(/^\.\//, '')), `${target} is not in the package`);
  assert.is(pkg.type, 'module');
  assert.is(pkg.sideEffects, false);
});

t('publint: clean (strict: warnings fail too)', () => {
  const { code, out } = run(bin('publint'), ['run', '--strict', '--pack', 'npm', root]);
  assert.is(code, 0, out);
  assert.match(out, /All good/, out);
});

t('@arethetypeswrong/cli: no problem for ".", "./node" and "./package.json" in any resolution mode', () => {
  const { code, out } = run(bin('attw'), [tarball, '--format', 'json']);
  const report = JSON.parse(out.slice(out.indexOf('{')));
  const problems = report.analysis?.problems ?? report.problems ?? [];
  assert.equal(problems, [], JSON.stringify(problems, null, 2));
  assert.is(code, 0, out.slice(0, 2000));
  const entrypoints = Object.keys(report.analysis.entrypoints).sort();
  assert.equal(entrypoints, ['.', './node', './package.json']);
});

t('the ESM and CJS builds export the same names, and exactly the declared values', () => {
  for (const specifier of Object.values(entries)) {
    const script = `
      const esm = Object.keys(await import('${specifier}')).sort();
      const { createRequire } = await import('node:module');
      const cjs = Object.keys(createRequire(import.meta.url)('${specifier}')).filter((k) => k !== '__esModule').sort();
      console.log(JSON.stringify({ esm, cjs }));`;
    const { code, out } = run(process.execPath, ['--input-type=module', '-e', script], consumer);
    assert.is(code, 0, out);
    const { esm, cjs } = JSON.parse(out);
    assert.equal(cjs, esm, `${specifier}: the CJS build's exports differ from the ESM build's`);
    const values = declaredExports(specifier, node16).filter((e) => e.isValue).map((e) => e.name);
    assert.equal(esm, values, `${specifier}: runtime exports differ from the .d.ts value exports`);
  }
});

/** Writes a file that imports every declared export of both entries (ESM and, for node16, CJS). */
function writeAllExports(): string[] {
  const names = new Set<string>();
  const esm: string[] = ['// Generated by packaging.test.ts: every public export must resolve and type-check.'];
  const cjs: string[] = [...esm];
  const uses: string[] = [];
  for (const [i, specifier] of Object.values(entries).entries()) {
    const list = declaredExports(specifier, node16);
    for (const e of list) names.add(e.name);
    esm.push(`import { ${list.map((e) => (e.isValue ? `${e.name} as v${i}_${e.name}` : `type ${e.name} as t${i}_${e.name}`)).join(', ')} } from '${specifier}';`);
    cjs.push(`import m${i} = require('${specifier}');`);
    for (const e of list) {
      uses.push(e.isValue ? `typeof v${i}_${e.name}` : `t${i}_${e.name}${e.typeArgs}`);
      cjs.push(e.isValue ? `export const c${i}_${e.name} = m${i}.${e.name};` : `export type c${i}_${e.name} = m${i}.${e.name}${e.typeArgs};`);
    }
  }
  esm.push(`export type Everything = [\n  ${uses.join(',\n  ')},\n];`);
  writeFileSync(join(consumer, 'all-exports.ts'), esm.join('\n') + '\n');
  writeFileSync(join(consumer, 'all-exports.cts'), cjs.join('\n') + '\n');
  return [...names].sort();
}

function typecheck(config: string): void {
  const { code, out } = run(bin('tsc'), ['-p', join(consumer, config)], consumer);
  assert.is(code, 0, `tsc -p ${config} failed:\n${out}`);
}

t('a node16 consumer (module node16) type-checks the example and every export, as ESM and as CJS', () => {
  writeAllExports();
  typecheck('tsconfig.node16.json');
});

t('a bundler consumer (moduleResolution bundler) type-checks the example and every export', () => {
  writeAllExports();
  typecheck('tsconfig.bundler.json');
});

t('the consumer example uses every public export of both entries', () => {
  const names = writeAllExports();
  const example = readFileSync(join(consumer, 'example.ts'), 'utf8') + readFileSync(join(consumer, 'example.cts'), 'utf8');
  const unused = names.filter((n) => !new RegExp(`\\b${n}\\b`).test(example));
  assert.equal(unused, [], `test/runtimes/consumer/example.ts does not use: ${unused.join(', ')} (add a use of each)`);
});

t.run();
