#!/usr/bin/env node
// Runs a bundled suite (see bundle.mjs) under Deno or Bun from the npm `deno` / `bun` packages:
//   node test/runtimes/launch.mjs deno universal
// Deno: `deno run -A --no-lock build/runtimes/<suite>.deno.mjs`; Bun: `bun build/runtimes/<suite>.bun.mjs`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { root } from './suites.mjs';
import { bundlePath } from './bundle.mjs';
import { runtimeMissing } from './missing.mjs';
import { findBinary } from './binaries.mjs';

const [runtime, suite] = process.argv.slice(2);
const bins = { deno: ['run', '-A', '--no-lock'], bun: [] };
if (!(runtime in bins) || !suite) {
  console.error('usage: launch.mjs deno|bun universal|node');
  process.exit(2);
}

const found = findBinary(runtime);
if (!found) runtimeMissing(runtime, `neither node_modules/.bin/${runtime} (npm package "${runtime}") nor "${runtime}" on PATH runs. ` +
  `Reinstall with \`npm ci\` (its postinstall must be allowed: package.json "allowScripts").`);
const bundle = bundlePath(suite, runtime);
if (!existsSync(bundle)) {
  console.error(`${relative(root, bundle)} is missing: run \`node test/runtimes/bundle.mjs\` first`);
  process.exit(1);
}
console.log(`${runtime} ${found.version} (${relative(root, found.bin) || found.bin}) running ${relative(root, bundle)}`);
const child = spawn(found.bin, [...bins[runtime], bundle], {
  cwd: root,
  stdio: 'inherit',
  // Colours would only be stripped again by scripts/test.mjs; NO_COLOR keeps logs readable.
  env: { ...process.env, NO_COLOR: '1' },
});
child.on('exit', (code, signal) => {
  if (signal) console.error(`${runtime} was killed by ${signal}`);
  process.exit(code ?? 1);
});
