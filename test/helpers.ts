/**
 * Small helpers shared by the tests. Universal: no `node:` imports, so the universal suites can run in
 * Deno, Bun and browsers too.
 */
import * as assert from 'uvu/assert';
import type { PipeWriter } from '../src/index.js';

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** UTF-8 bytes of a string, or the given byte values. */
export function bytes(value: string | number[]): Uint8Array {
  return typeof value === 'string' ? enc.encode(value) : Uint8Array.from(value);
}

/** Joins chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function randomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Splits `data` into chunks of the given sizes (cycled). Chunks are views, not copies. */
export function chunked(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0, k = 0; o < data.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    out.push(data.subarray(o, Math.min(data.length, o + n)));
    o += n;
  }
  return out;
}

/**
 * Rejects if `promise` does not settle within `ms`: a hang becomes a clear test failure instead of a
 * stuck run. The timer is cleared either way.
 */
export async function within<T>(promise: Promise<T>, ms = 2000, what = 'operation'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (hung)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True if `promise` is still pending after the current macrotask queue drains a few times. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  return !settled;
}

/** Asserts that `fn` throws (or rejects with) an error of class `type` whose message matches `message`. */
export async function rejects(
  fn: () => unknown,
  type: abstract new (...args: never[]) => unknown,
  message?: RegExp,
): Promise<unknown> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `expected ${type.name} but nothing was thrown`);
  assert.instance(error, type);
  if (message) assert.match((error as Error).message, message);
  return error;
}

/** Asserts two byte arrays are equal, with a short diff hint instead of dumping megabytes. */
export function equalBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length !== expected.length) {
    assert.unreachable(`${what}: length ${actual.length} !== expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) assert.unreachable(`${what}: first difference at byte ${i}: ${actual[i]} !== ${expected[i]}`);
  }
}

/**
 * The fast producer of the bounded-memory tests: `total` bytes into `writer` as `chunk`-sized
 * getMemory/advance/flush steps, without filling the memory (the counters do not look at the values,
 * copying them would cost), then complete(). Stops early when a flush reports isCompleted (the reader
 * went away). `afterFlush` runs after every flush, e.g. to sample a peak. Returns the bytes advanced.
 */
export async function produce(writer: PipeWriter, total: number, chunk: number, afterFlush?: () => void): Promise<number> {
  let n = 0;
  while (n < total) {
    writer.getMemory(chunk);
    writer.advance(chunk);
    n += chunk;
    const { isCompleted } = await writer.flush();
    afterFlush?.();
    if (isCompleted) break;
  }
  await writer.complete();
  return n;
}
