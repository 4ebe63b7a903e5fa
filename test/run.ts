/**
 * Runs every `*.test.ts` under test/ (except test/runtimes) in one process with uvu, so that c8 can
 * measure coverage of src/ in one go. Pass file filters as arguments: `node --import tsx test/run.ts pipe`;
 * add `--bail` to stop at the first failing suite.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
// `--bail` stops at the first failing suite (the mutation run uses it: a killed mutant ends early).
const bail = process.argv.includes('--bail');
const filters = process.argv.slice(2).filter((a) => a !== '--bail');

function collect(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'runtimes' && name !== 'fixtures') collect(full, out);
    } else if (name.endsWith('.test.ts')) {
      out.push(full);
    }
  }
  return out;
}

const files = collect(root, []).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const g = globalThis as { UVU_DEFER?: number; UVU_INDEX?: number; UVU_QUEUE?: unknown[][] };
g.UVU_DEFER = 1;
g.UVU_QUEUE = [];
for (const [i, file] of files.entries()) {
  g.UVU_INDEX = i;
  g.UVU_QUEUE.push([relative(root, file)]);
  await import(pathToFileURL(file).href);
}
const { exec } = await import('uvu');
// A watchdog: a hung test fails the run instead of hanging CI. unref'd so it never holds the process.
const watchdog = setTimeout(() => {
  console.error('\nTest run exceeded its time limit: a test is hung (an unresolved promise).');
  process.exit(1);
}, Number(process.env.TEST_TIMEOUT_MS ?? 600_000));
watchdog.unref();
await exec(bail);
