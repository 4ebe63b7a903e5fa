/**
 * The end of every runtime bundle: runs the queued uvu suites, prints the skip list with reasons, and
 * ends the process with a code that reflects failures, hangs and stale skip entries. In Chromium it
 * publishes the result on `globalThis.__RUNTIME_RESULT__` for test/runtimes/chromium.mjs.
 */
import { exec, state } from './uvu-shim.js';

type Exit = (code: number) => void;

function exitFn(): Exit | undefined {
  const g = globalThis as unknown as { Deno?: { exit: Exit }; process?: { exit: Exit } };
  if (g.Deno) return (code) => g.Deno!.exit(code);
  if (g.process && typeof g.process.exit === 'function') return (code) => g.process!.exit(code);
  return undefined;
}

function finish(code: number): void {
  (globalThis as unknown as { __RUNTIME_RESULT__: { code: number } }).__RUNTIME_RESULT__ = { code };
  const exit = exitFn();
  // A macrotask later, so stdout has flushed; explicit, so a handle a test leaked cannot keep us alive.
  if (exit) setTimeout(() => exit(code), 10);
}

export async function main(bundle: string, timeoutMs: number): Promise<void> {
  const s = state();
  const watchdog = setTimeout(() => {
    console.error(`\n[${s.runtime}] ${bundle}: the run exceeded ${timeoutMs} ms: a test is hung (an unresolved promise).`);
    finish(1);
  }, timeoutMs);
  try {
    await exec();
  } catch (error) {
    console.error(`[${s.runtime}] uvu crashed:`, error);
    s.failed.push('(uvu crashed)');
  }
  clearTimeout(watchdog);
  let code = s.failed.length > 0 ? 1 : 0;
  const mine = s.skips.filter((k) => k.runtime === s.runtime);
  if (mine.length > 0) {
    console.log(`Skipped on ${s.runtime} (explicit list in test/runtimes/skips.mjs), by reason:`);
    const byReason = new Map<string, string[]>();
    for (const { test, reason } of s.skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), test]);
    for (const k of mine) if (k.suite === undefined) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), `whole file ${k.file}`]);
    for (const [reason, tests] of byReason) console.log(`  ${reason}\n${tests.map((t) => `    - ${t}`).join('\n')}`);
  }
  const stale = mine.filter((k) => k.suite !== undefined && !s.used.has(k));
  for (const k of stale) {
    console.error(`[${s.runtime}] stale skip entry (matches no test): ${k.suite} > ${k.test ?? '*'}`);
    code = 1;
  }
  if (s.nowPassing.length > 0) {
    console.log(`RUNTIME_RUN_SKIPPED: these listed tests PASS on ${s.runtime} now; remove their skips.mjs entries:\n` +
      s.nowPassing.map((n) => `  - ${n}`).join('\n'));
  }
  if (s.failed.length > 0) console.error(`[${s.runtime}] ${bundle}: ${s.failed.length} failed: ${s.failed.join('; ')}`);
  finish(code);
}
