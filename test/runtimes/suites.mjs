// Which test files run where. Picked up automatically, so new test files need no registration:
// - UNIVERSAL: every test/**/*.test.ts outside test/node and test/runtimes, not named *.node.test.ts.
//   Runs on Node (test/run.ts), Deno, Bun and headless Chromium.
// - NODE: test/node/**/*.test.ts and every *.node.test.ts. Runs on Node, and on Deno and Bun through their
//   Node compatibility (minus the explicit list in skips.mjs).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const testDir = join(root, 'test');

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'fixtures' && name !== 'node_modules') walk(full, out);
    } else if (name.endsWith('.test.ts')) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

const isNodeOnly = (f) => f.startsWith('test/node/') || f.endsWith('.node.test.ts');

/** Repo-relative paths (`test/buffers/sequence.test.ts`) of the universal suite. */
export function universalFiles() {
  return walk(testDir).filter((f) => !f.startsWith('test/runtimes/') && !isNodeOnly(f));
}

/** Repo-relative paths of the Node-only suite (`io-pipelines/node` and Node streams). */
export function nodeFiles() {
  return walk(testDir).filter((f) => !f.startsWith('test/runtimes/') && isNodeOnly(f));
}
