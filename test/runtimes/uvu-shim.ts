/**
 * Stands in for `uvu` inside the runtime bundles (Deno, Bun, Chromium): the same API, plus the explicit
 * skip list (skips.mjs) and a failure count the harness can trust on every runtime (uvu only sets an
 * exit code where `process` exists).
 */
import { suite as uvuSuite, exec } from 'uvu';
import type { Test, Context } from 'uvu';

export { exec };

export interface Skip { runtime: string; file?: string; suite?: string; test?: string; reason: string }
export interface RuntimeState {
  runtime: string;
  skips: Skip[];
  used: Set<Skip>;
  skipped: { test: string; reason: string }[];
  failed: string[];
}

export function state(): RuntimeState {
  return (globalThis as unknown as { __RUNTIME_STATE__: RuntimeState }).__RUNTIME_STATE__;
}

/** Records a failing test by name before uvu reports it. */
function counted<T>(suiteName: string, testName: string, handler: (ctx: T) => unknown): (ctx: T) => Promise<void> {
  return async (ctx: T) => {
    try {
      await handler(ctx);
    } catch (error) {
      state().failed.push(`${suiteName} > ${testName}`);
      throw error;
    }
  };
}

export function suite<T = Context>(name = '', context?: T): Test<T> {
  const real = context === undefined ? uvuSuite<T>(name) : uvuSuite<T>(name, context);
  const wrapped = ((testName: string, handler: (ctx: T) => unknown) => {
    const s = state();
    const skip = s.skips.find((k) => k.runtime === s.runtime && k.suite === name && (k.test === undefined || k.test === testName));
    if (skip) {
      s.used.add(skip);
      s.skipped.push({ test: `${name} > ${testName}`, reason: skip.reason });
      real.skip(testName);
      return;
    }
    real(testName, counted(name, testName, handler));
  }) as Test<T>;
  return Object.assign(wrapped, {
    before: real.before,
    after: real.after,
    only: (testName: string, handler: (ctx: T) => unknown) => real.only(testName, counted(name, testName, handler)),
    skip: real.skip,
    run: real.run,
  });
}

export const test = suite();
