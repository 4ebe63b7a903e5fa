/**
 * Property: random writes (getMemory/advance and write(), random sizes), random flush points and random
 * advance positions (consume a random prefix, examine at least that and at least what was examined
 * before) deliver exactly the bytes written, in order; and all memory goes back to the pool. The pool
 * poisons every block returned to it, so a view that outlived its memory would show up as wrong bytes.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BufferPool, Pipe, type ReadResult } from '../../src/index.js';
import { concat, equalBytes, within } from '../helpers.js';

const t = suite('pipe property');
const RUNS = Number((globalThis as any).process?.env?.FUZZ_RUNS ?? 0) || 500;

/**
 * A pool that scribbles over every block given back, so use-after-return cannot go unnoticed. Pipes
 * give blocks back through the internal `_return()` (no loan record), so that is what it overrides.
 */
class PoisoningPool extends BufferPool {
  poisoned = 0;
  override _return(block: Uint8Array): void {
    block.fill(0xee);
    this.poisoned++;
    super._return(block);
  }
}

type WriteStep =
  // getMemory(sizeHint), fill `take` of it (capped), advance; with `yieldFirst` the reader may run in between.
  | { kind: 'memory'; sizeHint: number; take: number; yieldFirst: boolean }
  | { kind: 'write'; size: number } // write() a copy
  | { kind: 'string'; size: number } // write() a string
  | { kind: 'flush' };
type ReadStep = { kind: 'read' | 'readAtLeast' | 'tryRead'; atLeast: number; consume: number; examine: number };

const writeStep: fc.Arbitrary<WriteStep> = fc.oneof(
  fc.record({
    kind: fc.constant('memory' as const), sizeHint: fc.nat({ max: 5000 }), take: fc.nat({ max: 6000 }), yieldFirst: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('write' as const), size: fc.nat({ max: 3000 }) }),
  fc.record({ kind: fc.constant('string' as const), size: fc.nat({ max: 300 }) }),
  fc.constant<WriteStep>({ kind: 'flush' }),
);
const readStep: fc.Arbitrary<ReadStep> = fc.record({
  kind: fc.constantFrom('read' as const, 'read' as const, 'readAtLeast' as const, 'tryRead' as const),
  atLeast: fc.nat({ max: 3000 }),
  consume: fc.double({ min: 0, max: 1, noNaN: true }),
  examine: fc.double({ min: 0, max: 1, noNaN: true }),
});
const optionsArb = fc
  .record({
    pause: fc.constantFrom(0, 1, 7, 64, 1000, 65536),
    resumeFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    minimumSegmentSize: fc.constantFrom(1, 100, 4096, 10_000),
  })
  .map(({ pause, resumeFraction, minimumSegmentSize }) => ({
    pauseWriterThreshold: pause,
    resumeWriterThreshold: Math.floor(pause * resumeFraction),
    minimumSegmentSize,
  }));

/** Deterministic bytes, continuing across calls. */
function byteSource(seed: number): (n: number) => Uint8Array {
  let x = seed | 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

t('random writes, flushes and advances deliver exactly the bytes written, in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      optionsArb,
      fc.array(writeStep, { minLength: 1, maxLength: 30 }),
      fc.array(readStep, { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1, max: 1 << 30 }),
      async (options, writes, reads, seed) => {
        const pool = new PoisoningPool();
        const pipe = new Pipe({ ...options, pool });
        const next = byteSource(seed);
        const written: Uint8Array[] = [];

        const writer = (async () => {
          for (const step of writes) {
            if (step.kind === 'memory') {
              const memory = pipe.writer.getMemory(step.sizeHint);
              assert.ok(memory.length >= Math.max(1, step.sizeHint), 'getMemory honours sizeHint');
              if (step.yieldFirst) for (let k = 0; k < 10; k++) await null; // the reader may consume everything meanwhile
              const n = Math.min(step.take, memory.length);
              const chunk = next(n);
              memory.set(chunk);
              pipe.writer.advance(n);
              written.push(chunk);
            } else if (step.kind === 'write') {
              const chunk = next(step.size);
              written.push(chunk.slice()); // before the write: the reader may see the bytes at once
              const result = await pipe.writer.write(chunk);
              assert.equal(result, { isCompleted: false, isCanceled: false });
            } else if (step.kind === 'string') {
              // ASCII letters so one char is one byte and the expected bytes are the same values.
              const chunk = next(step.size).map((b) => 0x41 + (b % 26));
              written.push(chunk);
              assert.equal(await pipe.writer.write(String.fromCharCode(...chunk)), { isCompleted: false, isCanceled: false });
            } else {
              assert.equal(await pipe.writer.flush(), { isCompleted: false, isCanceled: false });
            }
          }
          await pipe.writer.complete(); // commits what was advanced but not flushed
        })();

        let cache: [number, Uint8Array] = [0, new Uint8Array(0)];
        const expected = (): Uint8Array => {
          if (cache[0] !== written.length) cache = [written.length, concat(written)];
          return cache[1];
        };
        const received: Uint8Array[] = [];
        let receivedBytes = 0;
        let examinedAhead = 0; // bytes past the consumed point that were examined already
        const reader = (async () => {
          for (let i = 0; ; i++) {
            const step = reads[i % reads.length]!;
            let result: ReadResult | undefined;
            if (step.kind === 'tryRead') {
              result = pipe.reader.tryRead();
              if (result === undefined) result = await pipe.reader.read();
            } else if (step.kind === 'readAtLeast') {
              result = await pipe.reader.readAtLeast(step.atLeast);
              if (!result.isCompleted) assert.ok(result.buffer.length >= step.atLeast, 'readAtLeast returned enough');
            } else {
              result = await pipe.reader.read();
            }
            const { buffer, isCompleted } = result;
            assert.ok(buffer.length >= examinedAhead, 'nothing examined disappears');
            // Every byte the reader can see is exactly what was written at that offset.
            const all = expected();
            equalBytes(buffer.toUint8Array(), all.subarray(receivedBytes, receivedBytes + buffer.length), `read #${i}`);
            let consume = Math.floor(step.consume * (buffer.length + 1));
            if (consume > buffer.length) consume = buffer.length;
            if (isCompleted && consume === 0) consume = Math.ceil(buffer.length / 2); // make progress at the end
            const low = Math.max(consume, examinedAhead);
            let examine = low + Math.floor(step.examine * (buffer.length - low + 1));
            if (examine > buffer.length) examine = buffer.length;
            // Examining nothing new is fine once in a while, but keep the writer moving.
            if (examine === examinedAhead && i % 3 !== 0) examine += Math.ceil((buffer.length - examine) / 2);
            received.push(buffer.slice(0, consume).toUint8Array().slice());
            receivedBytes += consume;
            examinedAhead = examine - consume;
            pipe.reader.advanceTo(buffer.getPosition(consume), buffer.getPosition(examine));
            if (isCompleted && buffer.length === consume) break;
          }
          await pipe.reader.complete();
        })();

        await within(Promise.all([writer, reader]), 5000, 'writer and reader');
        equalBytes(concat(received), expected(), 'bytes out == bytes in');
        assert.is(pool.rentedBytes, 0, 'every block was returned');
        if (expected().length > 0) assert.ok(pool.poisoned > 0, 'returned blocks went through the poisoning path');
      },
    ),
    { seed: 42, numRuns: RUNS, includeErrorInReport: true },
  );
});

t.run();
