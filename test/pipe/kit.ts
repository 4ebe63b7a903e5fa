/**
 * Small helpers for the pipe suites (universal: no node: imports). Each test gets a pipe on a private
 * pool so leak checks (`pool.rentedBytes`) see only that test's memory.
 */
import * as assert from 'uvu/assert';
import { BufferPool, Pipe, type PipeOptions, type PipeReader } from '../../src/index.js';
import { concat, within } from '../helpers.js';

export interface Setup {
  pool: BufferPool;
  pipe: Pipe;
  reader: Pipe['reader'];
  writer: Pipe['writer'];
}

/** A pipe on its own pool. */
export function setup(options?: PipeOptions): Setup {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, ...options });
  return { pool, pipe, reader: pipe.reader, writer: pipe.writer };
}

/** Reads until the writer completes, consuming everything; returns the bytes (copied). */
export async function drain(reader: PipeReader): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for (;;) {
    const r = await within(reader.read(), 2000, 'drain read');
    out.push(r.buffer.toUint8Array().slice());
    reader.advanceTo(r.buffer.end);
    if (r.isCompleted) return concat(out);
  }
}

/** Completes both sides and asserts every rented byte went back to the pool. */
export async function finish(s: Setup): Promise<void> {
  await s.writer.complete();
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0, 'every rented block was returned');
}

/** Latin-1-ish text of a read buffer, for short assertions. */
export function str(buffer: { toString(): string }): string {
  return buffer.toString();
}

/** A pool that counts the blocks a pipe rents from it (pipes rent through the internal `_rent()`). */
export class RentCountingPool extends BufferPool {
  rents = 0;
  override _rent(minimumSize: number): Uint8Array {
    this.rents++;
    return super._rent(minimumSize);
  }
}
