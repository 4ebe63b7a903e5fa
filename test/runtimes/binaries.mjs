// Where the runtimes are: Deno and Bun from their npm packages (node_modules/.bin), else on PATH;
// Chromium from Debian (/usr/bin/chromium) or CHROMIUM_PATH.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './suites.mjs';

/** The npm package's binary, else one on PATH; `undefined` if neither answers `--version`. */
export function findBinary(name) {
  for (const candidate of [join(root, 'node_modules', '.bin', name), name]) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { bin: candidate, version: r.stdout.trim().split('\n')[0] };
  }
  return undefined;
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'];
export const hasChromium = () => existsSync(chromiumPath);
