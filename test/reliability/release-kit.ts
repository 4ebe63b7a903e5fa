/**
 * The (wait × releaser) tables: a wait is started, checked to be pending, released, and must then settle
 * — within the test's own time limit — the way the releaser says. Universal.
 */
import * as assert from 'uvu/assert';
import { isPending, within } from '../helpers.js';

/** How a released wait must end. */
export type Outcome =
  | { resolves: (value: unknown) => boolean; what: string }
  | { rejects: (error: unknown) => boolean; what: string };

export const resolvesWith = (fields: Record<string, unknown>): Outcome => ({
  resolves: (v) => Object.entries(fields).every(([k, want]) => (v as Record<string, unknown>)[k] === want),
  what: JSON.stringify(fields),
});
export const rejectsWith = (test: (e: unknown) => boolean, what: string): Outcome => ({ rejects: test, what });
export const rejectsExactly = (error: unknown, what = 'the error'): Outcome => ({ rejects: (e) => e === error, what });

/** A pending wait, boxed: an async function returning the promise itself would adopt it. */
export interface Started {
  wait: Promise<unknown>;
}

/**
 * Asserts `started.wait` is pending, runs `release`, and asserts it then settles as `outcome` says within
 * `ms` (a hang fails the test with a clear message instead of stalling the run).
 */
export async function assertReleased(started: Started, release: () => unknown, outcome: Outcome, what: string, ms = 3000): Promise<void> {
  const { wait } = started;
  wait.catch(() => {}); // observed below; no unhandled rejection meanwhile
  assert.ok(await isPending(wait), `${what}: the wait is pending before it is released`);
  await release();
  let settled: { value: unknown } | { error: unknown };
  try {
    settled = { value: await within(wait, ms, what) };
  } catch (error) {
    settled = { error };
  }
  if ('error' in settled && settled.error instanceof Error && /did not settle within/.test(settled.error.message)) {
    assert.unreachable(`${what}: hung after it was released`);
  }
  if ('resolves' in outcome) {
    assert.ok('value' in settled, `${what}: should resolve ${outcome.what}, but rejected with ${'error' in settled ? String(settled.error) : ''}`);
    if (!outcome.resolves(settled.value)) assert.unreachable(`${what}: resolved ${show(settled.value)}, expected ${outcome.what}`);
  } else {
    assert.ok('error' in settled, `${what}: should reject with ${outcome.what}, but resolved`);
    if (!outcome.rejects(settled.error)) assert.unreachable(`${what}: rejected with ${String(settled.error)}, expected ${outcome.what}`);
  }
}

/** A short description of a settled value (a connection object must not be serialised whole). */
function show(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v !== 'object' || v === null);
  return `{ ${fields.map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;
}

/** A promise with its resolve/reject functions outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
