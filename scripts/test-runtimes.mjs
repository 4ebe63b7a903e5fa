// The runtime and packaging steps of `npm test` (imported by scripts/test.mjs, which runs them after the
// build and sums their uvu summaries into the final `N passed, N failed` line). See test/runtimes/.
//   universal suite (test/**/*.test.ts outside test/node, not *.node.test.ts): Deno, Bun, Chromium
//   Node suite (test/node/**, *.node.test.ts): Deno and Bun through their Node compatibility
//   examples: examples/deno.ts, examples/bun.ts and examples/browser.html, run against dist/
//   packaging: npm pack contents, exports map, publint, attw, TypeScript consumers (node16, bundler)
// Run one of them alone with e.g. `npm test -- deno` or `npm test -- chromium packaging`.
import { nodeFiles } from '../test/runtimes/suites.mjs';

const node = process.execPath;
const launch = (runtime, suite) => [node, 'test/runtimes/launch.mjs', runtime, suite];

/** @type {{ name: string, cmd: string[], kind: 'uvu' | 'check', env?: Record<string, string> }[]} */
export const steps = [
  { name: 'runtimes:bundle', cmd: [node, 'test/runtimes/bundle.mjs'], kind: 'check' },
  { name: 'deno', cmd: launch('deno', 'universal'), kind: 'uvu' },
  { name: 'bun', cmd: launch('bun', 'universal'), kind: 'uvu' },
  { name: 'chromium', cmd: [node, 'test/runtimes/chromium.mjs', 'universal'], kind: 'uvu' },
  ...(nodeFiles().length > 0
    ? [
        { name: 'deno:node', cmd: launch('deno', 'node'), kind: 'uvu' },
        { name: 'bun:node', cmd: launch('bun', 'node'), kind: 'uvu' },
      ]
    : []),
  { name: 'examples', cmd: [node, '--import', 'tsx', 'test/runtimes/examples.test.ts'], kind: 'uvu' },
  { name: 'packaging', cmd: [node, '--import', 'tsx', 'test/runtimes/packaging.test.ts'], kind: 'uvu' },
];
