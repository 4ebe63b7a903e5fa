/**
 * Shared by the adapter tests: universal (no node: imports), so the WHATWG/iterable suites run in Deno,
 * Bun and Chromium too.
 */
import * as assert from 'uvu/assert';
import type { PipeReader } from '../../src/index.js';
import { concat, randomBytes } from '../helpers.js';

/** Deterministic chunk sizes in [1, max] (xorshift), so a failure reproduces. */
export function randomSizes(count: number, max: number, seed: number): number[] {
  const raw = randomBytes(count * 2, seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(1 + (((raw[2 * i]! << 8) | raw[2 * i + 1]!) % max));
  return out;
}

/**
 * Random data cut into chunks of random sizes. The chunks are views into one larger buffer at non-zero
 * offsets, so a zero-copy check (same ArrayBuffer, same byteOffset) means something.
 */
export function randomChunks(length: number, seed: number, maxChunk = 5000): { data: Uint8Array; chunks: Uint8Array[] } {
  const backing = randomBytes(length + 16, seed);
  const data = backing.subarray(7, 7 + length);
  const chunks: Uint8Array[] = [];
  const sizes = randomSizes(Math.max(1, Math.ceil(length / 16)), maxChunk, seed + 1);
  for (let o = 0, k = 0; o < length; k++) {
    const n = sizes[k % sizes.length]!;
    chunks.push(data.subarray(o, Math.min(length, o + n)));
    o += n;
  }
  return { data, chunks };
}

/**
 * Reads `reader` to its end, consuming a varying part of each buffer (and examining all of it), and returns
 * every byte. Copies before advancing, as a user must.
 */
export async function readAll(reader: PipeReader, seed = 3): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  const sizes = randomSizes(64, 3000, seed);
  for (let k = 0; ; k++) {
    const result = await reader.read();
    const buffer = result.buffer;
    // Take a random prefix, or everything once the writer is done (so the loop ends).
    const take = result.isCompleted ? buffer.length : Math.min(buffer.length, sizes[k % sizes.length]!);
    out.push(buffer.slice(0, take).toUint8Array().slice());
    reader.advanceTo(buffer.getPosition(take), buffer.end);
    if (result.isCompleted) break;
  }
  return concat(out);
}

/** The internal core of a reader from `PipeReader.create()` (tests assert on its counters). */
export function coreOf(reader: PipeReader): { buffered: number } {
  return (reader as unknown as { _core: { buffered: number } })._core;
}

/** Lets the event loop turn `n` times (macrotasks), giving any producer the chance to run ahead. */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Asserts the view `view` is the chunk itself: same memory, same offset, same length. */
export function sameMemory(view: Uint8Array, chunk: Uint8Array, what = 'segment'): void {
  assert.ok(view.buffer === chunk.buffer, `${what}: a different ArrayBuffer (the bytes were copied)`);
  assert.is(view.byteOffset, chunk.byteOffset, `${what}: byteOffset`);
  assert.is(view.byteLength, chunk.byteLength, `${what}: byteLength`);
}

/** An error class of the tests, so an assertion can tell it from anything the library throws. */
export class Boom extends Error {
  override name = 'Boom';
}
