/**
 * No leaks: after both sides complete, every byte rented from a (private) pool is back — after random
 * interleavings of writer and reader operations, early completion, errors, reset, and through the sink
 * writer, the line and frame helpers, asStream and copyTo. Universal (listeners on Node streams and
 * child processes that must exit by themselves are in test/node/reliability-leaks.test.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  BufferLimitError, BufferPool, InvalidOperationError, Pipe, PipeWriter, forEachLine, frames, lineSequences, lines, readFrame, writeFrame,
  type ReadResult,
} from '../../src/index.js';
import { bytes, within } from '../helpers.js';
import { params } from './fuzz-kit.js';

const t = suite('reliability: no leaks');
const boom = new Error('boom');

type Op =
  | { w: 'memory'; size: number }
  | { w: 'advance'; fraction: number }
  | { w: 'flush' }
  | { w: 'write'; size: number }
  | { w: 'complete'; error: boolean }
  | { w: 'cancel' }
  | { r: 'read' }
  | { r: 'tryRead' }
  | { r: 'advance'; consume: number; examine: number }
  | { r: 'complete'; error: boolean }
  | { r: 'cancel' }
  | { p: 'reset' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ w: fc.constant('memory' as const), size: fc.constantFrom(0, 1, 100, 5000, 70_000) }),
  fc.record({ w: fc.constant('advance' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.constant<Op>({ w: 'flush' }),
  fc.record({ w: fc.constant('write' as const), size: fc.constantFrom(0, 1, 3000, 70_000) }),
  fc.record({ w: fc.constant('complete' as const), error: fc.boolean() }),
  fc.constant<Op>({ w: 'cancel' }),
  fc.constant<Op>({ r: 'read' }),
  fc.constant<Op>({ r: 'tryRead' }),
  fc.record({ r: fc.constant('advance' as const), consume: fc.double({ min: 0, max: 1, noNaN: true }), examine: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ r: fc.constant('complete' as const), error: fc.boolean() }),
  fc.constant<Op>({ r: 'cancel' }),
  fc.constant<Op>({ p: 'reset' }),
);

/** Runs `op` on the pipe; misuse errors (the library refusing a call in the wrong state) are expected. */
async function apply(pipe: Pipe, op: Op, state: { memory: number; result: ReadResult | null }): Promise<void> {
  // A flush or read may wait for the other side (backpressure, no data): not a leak. Let it settle if it
  // can at once, never wait for it.
  const settle = async (p: Promise<unknown>) => {
    p.catch(() => {});
    await Promise.race([p.catch(() => {}), Promise.resolve()]);
  };
  try {
    if ('w' in op) {
      if (op.w === 'memory') state.memory = pipe.writer.getMemory(op.size).length;
      else if (op.w === 'advance') pipe.writer.advance(Math.floor(state.memory * op.fraction)), (state.memory = 0);
      else if (op.w === 'flush') await settle(pipe.writer.flush());
      else if (op.w === 'write') await settle(pipe.writer.write(new Uint8Array(op.size)));
      else if (op.w === 'complete') await pipe.writer.complete(op.error ? boom : undefined);
      else pipe.writer.cancelPendingFlush();
    } else if ('r' in op) {
      if (op.r === 'read') {
        const p = pipe.reader.read();
        p.then((r) => (state.result = r), () => {});
        await settle(p);
      } else if (op.r === 'tryRead') state.result = pipe.reader.tryRead() ?? state.result;
      else if (op.r === 'advance') {
        const b = state.result?.buffer;
        state.result = null;
        if (b === undefined) pipe.reader.advanceTo(null as never);
        else {
          const c = Math.floor(b.length * Math.min(op.consume, op.examine));
          const e = Math.floor(b.length * Math.max(op.consume, op.examine));
          pipe.reader.advanceTo(b.getPosition(c), b.getPosition(e));
        }
      } else if (op.r === 'complete') {
        state.result = null;
        await pipe.reader.complete(op.error ? boom : undefined);
      } else pipe.reader.cancelPendingRead();
    } else {
      pipe.reset();
      state.result = null;
    }
  } catch (error) {
    if (error === boom || error instanceof InvalidOperationError || error instanceof BufferLimitError || error instanceof RangeError || error instanceof TypeError) return;
    throw error;
  }
}

t('any interleaving of writer and reader calls, then complete() on both sides: every rented byte is back', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), fc.constantFrom(0, 1, 64, 65536), fc.constantFrom(0, 100, 1 << 20), async (ops, pause, max) => {
      const pool = new BufferPool();
      const pipe = new Pipe({ pool, pauseWriterThreshold: pause, maxBufferedBytes: max, minimumSegmentSize: 64 });
      const state = { memory: 0, result: null as ReadResult | null };
      for (const op of ops) await apply(pipe, op, state);
      await pipe.writer.complete();
      await pipe.reader.complete();
      assert.is(pool.rentedBytes, 0, `rentedBytes after ${ops.length} ops`);
    }),
    params(300),
  );
});

const pools = new WeakMap<Pipe, BufferPool>();
const poolOf = (pipe: Pipe): BufferPool => pools.get(pipe)!;

/** A pipe with a private pool and some data in flight, for the helper cases below. */
async function loaded(pool: BufferPool, text = 'one\ntwo\r\nthree\nfour'): Promise<Pipe> {
  const pipe = new Pipe({ pool, minimumSegmentSize: 4 });
  pools.set(pipe, pool);
  for (let i = 0; i < text.length; i += 3) await pipe.writer.write(text.slice(i, i + 3));
  return pipe;
}

const helperCases: [string, (pipe: Pipe) => Promise<void>, string?][] = [
  ['lines(), broken out of after the first line', async (pipe) => {
    for await (const _ of lines(pipe.reader)) break;
  }],
  ['lineSequences(), to the end', async (pipe) => {
    await pipe.writer.complete();
    for await (const _ of lineSequences(pipe.reader));
  }],
  ['forEachLine(), the callback throwing', async (pipe) => {
    await forEachLine(pipe.reader, () => {
      throw boom;
    }).catch(() => {});
  }],
  ['lines(), the writer failing', async (pipe) => {
    await pipe.writer.complete(boom);
    await (async () => {
      for await (const _ of lines(pipe.reader));
    })().catch(() => {});
  }],
  ['readFrame(), a truncated frame', async (pipe) => {
    await pipe.writer.complete();
    await readFrame(pipe.reader).catch(() => {});
    await pipe.reader.complete();
  }],
  ['frames(), broken out of', async (pipe) => {
    await writeFrame(pipe.writer, 'payload');
    for await (const _ of frames(pipe.reader)) break;
  }, ''],
  ['asStream(), cancelled', async (pipe) => {
    const r = pipe.reader.asStream().getReader();
    await r.read();
    await r.cancel();
  }],
  ['copyTo(a PipeWriter), to the end', async (pipe) => {
    await pipe.writer.complete();
    const target = new Pipe({ pool: poolOf(pipe) });
    const draining = (async () => {
      for (;;) {
        const r = await target.reader.read();
        target.reader.advanceTo(r.buffer.end);
        if (r.isCompleted) break;
      }
    })();
    await pipe.reader.copyTo(target.writer);
    await target.writer.complete();
    await draining;
    await pipe.reader.complete();
  }],
];

for (const [name, run, text] of helperCases) {
  t(`${name}: after both sides complete the pool is whole`, async () => {
    const pool = new BufferPool();
    const pipe = await loaded(pool, text);
    await within(run(pipe), 2000, name);
    await pipe.writer.complete();
    await pipe.reader.complete();
    assert.is(pool.rentedBytes, 0);
  });
}

for (const [name, end] of [
  ['complete()', (w: PipeWriter) => w.complete()],
  ['complete(error)', (w: PipeWriter) => w.complete(boom)],
] as const) {
  t(`PipeWriter.create(WritableStream): ${name} with bytes advanced and in flight returns every block`, async () => {
    const pool = new BufferPool();
    const accepted: (() => void)[] = [];
    let open = false;
    const sink = new WritableStream<Uint8Array>(
      { write: () => (open ? undefined : new Promise<void>((r) => accepted.push(r))) },
      { highWaterMark: 1 << 20, size: (c) => c.byteLength },
    );
    const writer = PipeWriter.create(sink, { pool });
    await writer.write(bytes('a'.repeat(10_000)));
    writer.getMemory(100);
    writer.advance(50);
    const ending = end(writer).catch(() => {});
    // The sink holds the memory of its pending writes until it is done with them.
    open = true;
    while (accepted.length > 0) accepted.shift()!();
    await within(ending);
    await new Promise((r) => setTimeout(r, 0));
    assert.is(pool.rentedBytes, 0);
  });
}

t('PipeWriter.create(WritableStream): a failing sink still gets every block back', async () => {
  const pool = new BufferPool();
  const sink = new WritableStream<Uint8Array>({ write: () => Promise.reject(boom) });
  const writer = PipeWriter.create(sink, { pool });
  await writer.write(bytes('x'.repeat(5000))).catch(() => {});
  await writer.write(bytes('y')).catch(() => {});
  await writer.complete().catch(() => {});
  await new Promise((r) => setTimeout(r, 0));
  assert.is(pool.rentedBytes, 0);
});

t.run();
