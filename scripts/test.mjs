#!/usr/bin/env node
// `npm test`: typecheck, build, then every suite on every runtime. Each step's output streams through;
// the totals are parsed from uvu's summary, and the last line is `N passed, N failed` over all of them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2); // e.g. `npm test -- node deno`
const npx = (bin) => `node_modules/.bin/${bin}`;

/** A step either is a check (passes or fails as one) or runs uvu and reports its counts. */
const steps = [
  { name: 'typecheck', cmd: [npx('tsc'), '-p', 'tsconfig.json', '--noEmit'], kind: 'check' },
  { name: 'build', cmd: [npx('rollup'), '-c', '--silent'], kind: 'check' },
  {
    name: 'node',
    cmd: [npx('c8'), '--check-coverage', '--lines', '95', '--branches', '90', '--include', 'src/**',
      '--reporter', 'text-summary', 'node', '--import', 'tsx', 'test/run.ts'],
    kind: 'uvu',
  },
];
for (const extra of ['scripts/test-runtimes.mjs']) {
  if (existsSync(extra)) steps.push(...(await import(`../${extra}`)).steps);
}

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...step.env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code, out }));
    child.on('error', (err) => resolve({ code: 1, out: String(err) }));
  });
}

// uvu prints "Total: N / Passed: N / Skipped: N", possibly with ANSI colours.
function uvuCounts(out) {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = [...plain.matchAll(/Total:\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const passed = [...plain.matchAll(/Passed:\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const skipped = [...plain.matchAll(/Skipped:\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  return { total, passed, skipped };
}

let passed = 0, failed = 0;
const rows = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name) && step.kind !== 'check') continue;
  console.log(`\n=== ${step.name} ===`);
  const { code, out } = await run(step);
  if (step.kind === 'check') {
    code === 0 ? passed++ : failed++;
    rows.push(`${step.name}: ${code === 0 ? 'ok' : 'FAILED'}`);
    if (code !== 0 && step.name === 'build') break; // nothing after this can run
    continue;
  }
  const c = uvuCounts(out);
  // uvu's Total counts only the tests that ran (skipped ones are not in it), so failed = Total - Passed.
  let f = c.total - c.passed;
  // A step that exits non-zero with no failing test still failed (coverage gate, crash, missing runtime).
  if (code !== 0 && f === 0) f = 1;
  if (c.total === 0 && c.skipped === 0 && code === 0) { f = 1; console.error(`${step.name}: ran no test`); }
  passed += c.passed; failed += f;
  rows.push(`${step.name}: ${c.passed} passed, ${f} failed${c.skipped ? `, ${c.skipped} skipped` : ''}${code !== 0 ? ` (exit ${code})` : ''}`);
}
console.log('\n' + rows.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
