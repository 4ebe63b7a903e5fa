/**
 * PipeWriter.create() over WHATWG WritableStreams, native and web-streams-polyfill. Node sinks:
 * sink.node.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WritableStream as PolyfillWritableStream } from 'web-streams-polyfill';
import { BufferPool, InvalidOperationError, PipeReader, PipeWriter, type NodeWritableLike } from '../../src/index.js';
import { bytes, concat, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, randomChunks, randomSizes, turns } from './kit.js';

const t = suite('adapters/sink');

const OK = { isCompleted: false, isCanceled: false };
const CANCELED = { isCompleted: false, isCanceled: true };

/** The chunks as text, one string per write the sink received. */
function texts(chunks: readonly Uint8Array[]): string[] {
  return chunks.map((c) => new TextDecoder().decode(c));
}

type Ctor = typeof WritableStream;
const kinds: [string, Ctor][] = [
  ['WHATWG WritableStream (native)', globalThis.WritableStream],
  ['WHATWG WritableStream (web-streams-polyfill)', PolyfillWritableStream as unknown as Ctor],
];

interface Sink {
  stream: WritableStream<Uint8Array>;
  /** Copies of the chunks, taken when each arrived. */
  got: Uint8Array[];
  log: string[];
  /** Chunks whose write has not finished; `release()` finishes the oldest. */
  held: (() => void)[];
}

interface SinkOptions {
  highWaterMark?: number;
  /** Hold each write until the test releases it. */
  manual?: boolean;
  /** Finish each write a few event-loop turns later. */
  slow?: boolean;
  /** Fail the write of this chunk (0-based). */
  failAt?: number;
}

/**
 * A sink that keeps every chunk it is given and, when it finishes with one, checks the chunk still holds
 * the bytes it arrived with: memory reused while the sink held it would show here.
 */
function sinkOf(Stream: Ctor, options: SinkOptions = {}): Sink {
  const s: Sink = { stream: undefined as never, got: [], log: [], held: [] };
  let n = 0;
  s.stream = new Stream<Uint8Array>(
    {
      async write(chunk) {
        const copy = chunk.slice();
        const index = n++;
        if (options.manual) await new Promise<void>((r) => s.held.push(r));
        else if (options.slow) await turns(1 + (index % 3));
        equalBytes(chunk, copy, `chunk ${index} changed while the sink held it`);
        if (index === options.failAt) throw new Boom(`write ${index} failed`);
        s.got.push(copy);
      },
      close() {
        s.log.push('close');
      },
      abort(reason) {
        s.log.push(`abort:${reason instanceof Error ? reason.message : String(reason)}`);
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? 1 }),
  );
  return s;
}

/** Writes `chunks` with a mix of write() and getMemory/advance/flush, flushing at random points. */
async function writeMixed(writer: PipeWriter, chunks: readonly Uint8Array[], seed: number): Promise<void> {
  const coin = randomSizes(chunks.length + 1, 4, seed);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (coin[i] === 1) {
      const r = await writer.write(c);
      assert.is(r.isCompleted, false);
      continue;
    }
    const memory = writer.getMemory(c.length);
    assert.ok(memory.length >= c.length);
    memory.set(c);
    writer.advance(c.length);
    if (coin[i] === 2) await writer.flush();
  }
  await writer.flush();
}

for (const [name, Stream] of kinds) {
  t(`${name}: random data in random chunk sizes round-trips byte for byte, all memory returned`, async () => {
    for (const [length, seed, slow] of [[0, 1, false], [1, 2, true], [100_000, 3, false], [300_000, 4, true]] as const) {
      const { data, chunks } = randomChunks(length, seed, 9000);
      const sink = sinkOf(Stream, { slow, highWaterMark: 1 + (seed % 3) });
      const pool = new BufferPool();
      const writer = PipeWriter.create(sink.stream, { pool, minimumBufferSize: 1000, reuseMemory: seed % 2 === 0 });
      await within(writeMixed(writer, chunks, seed), 10_000);
      await within(writer.complete());
      equalBytes(concat(sink.got), data, `${name}, ${length} bytes`);
      assert.equal(sink.log, ['close']);
      assert.is(pool.rentedBytes, 0, 'every block went back to the pool');
    }
  });

  t(`${name}: nothing reaches the sink before flush(), write() or complete()`, async () => {
    const sink = sinkOf(Stream);
    const writer = PipeWriter.create(sink.stream);
    const m = writer.getMemory(3);
    m.set(bytes('abc'));
    writer.advance(3);
    assert.is(writer.unflushedBytes, 3);
    assert.is(writer.canGetUnflushedBytes, true);
    await turns(3);
    assert.equal(sink.got, []);
    await writer.flush();
    assert.is(writer.unflushedBytes, 0);
    await turns(2);
    assert.is(new TextDecoder().decode(concat(sink.got)), 'abc');
    writer.getMemory(1)[0] = 0x64;
    writer.advance(1);
    await writer.complete(); // commits the advanced byte
    assert.is(new TextDecoder().decode(concat(sink.got)), 'abcd');
  });

  t(`${name}: flush() waits while the sink applies backpressure (writer.ready)`, async () => {
    const sink = sinkOf(Stream, { manual: true, highWaterMark: 2 });
    const writer = PipeWriter.create(sink.stream);
    const f1 = writer.write(bytes('one'));
    // The sink's queue (2 chunks) had room after this one: accepted at once.
    assert.equal(await within(f1), { isCompleted: false, isCanceled: false });
    const f2 = writer.write(bytes('two'));
    assert.ok(await isPending(f2), 'the sink holds a chunk and one is queued: its queue is full, the flush waits');
    sink.held.shift()!();
    assert.equal(await within(f2), { isCompleted: false, isCanceled: false });
    while (sink.held.length > 0 || sink.got.length < 2) {
      await turns(1);
      sink.held.shift()?.();
    }
    const done = writer.complete();
    await turns(1);
    sink.held.shift()?.();
    await within(done);
    assert.is(new TextDecoder().decode(concat(sink.got)), 'onetwo');
  });

  t(`${name}: reuseMemory: a slow sink never sees a chunk overwritten while it holds it (pooled memory waits)`, async () => {
    const pool = new BufferPool();
    const sink = sinkOf(Stream, { slow: true, highWaterMark: 8 });
    const writer = PipeWriter.create(sink.stream, { pool, minimumBufferSize: 4096, reuseMemory: true });
    const { data, chunks } = randomChunks(120_000, 41, 3000);
    let peak = 0;
    for (const c of chunks) {
      await writer.write(c); // each flush hands the sink a view of pooled memory
      peak = Math.max(peak, pool.rentedBytes);
    }
    assert.ok(peak > 4096, 'blocks stayed rented while the sink held views of them');
    await within(writer.complete(), 5000);
    equalBytes(concat(sink.got), data);
    assert.is(pool.rentedBytes, 0);
  });

  t(`${name}: a sink error rejects the pending and later flushes; complete() still returns all memory`, async () => {
    const pool = new BufferPool();
    const sink = sinkOf(Stream, { failAt: 1, highWaterMark: 1 });
    const writer = PipeWriter.create(sink.stream, { pool, reuseMemory: true });
    await writer.write(bytes('fine'));
    const error = await rejects(async () => {
      for (let i = 0; i < 5; i++) await writer.write(bytes(`more ${i}`));
    }, Boom, /write 1 failed/);
    await rejects(() => writer.write(bytes('after')), Boom, /write 1 failed/);
    await rejects(() => writer.flush(), Boom);
    assert.is((error as Error).message, 'write 1 failed');
    writer.getMemory(10);
    writer.advance(10);
    await within(writer.complete());
    assert.is(pool.rentedBytes, 0);
    assert.is(new TextDecoder().decode(concat(sink.got)), 'fine');
  });

  t(`${name}: leaveOpen keeps the sink open and unlocked; complete(error) aborts it otherwise`, async () => {
    const sink = sinkOf(Stream);
    const writer = PipeWriter.create(sink.stream, { leaveOpen: true });
    await writer.write(bytes('first'));
    await writer.complete();
    assert.equal(sink.log, []);
    assert.is(sink.stream.locked, false);
    const again = PipeWriter.create(sink.stream);
    await again.write(bytes(' second'));
    await again.complete();
    assert.is(new TextDecoder().decode(concat(sink.got)), 'first second');
    assert.equal(sink.log, ['close']);

    const aborted = sinkOf(Stream);
    const w2 = PipeWriter.create(aborted.stream);
    await w2.write(bytes('x'));
    w2.getMemory(1);
    w2.advance(1); // discarded: an aborted sink gets no more data
    await w2.complete(new Boom('producer failed'));
    await turns(1);
    assert.equal(aborted.log, ['abort:producer failed']);
    assert.is(aborted.got.length, 1);

    const kept = sinkOf(Stream);
    const w3 = PipeWriter.create(kept.stream, { leaveOpen: true });
    await w3.complete(new Boom('not the sink’s business'));
    assert.equal(kept.log, []);
    assert.is(kept.stream.locked, false);
  });

  t(`${name}: leaveOpen: complete() resolves once the sink finished the writes it holds, and all memory is back`, async () => {
    const pool = new BufferPool();
    const sink = sinkOf(Stream, { manual: true, highWaterMark: 4 });
    const writer = PipeWriter.create(sink.stream, { pool, reuseMemory: true, leaveOpen: true });
    assert.equal(await within(writer.write(bytes('held'))), OK);
    const done = writer.complete();
    assert.ok(await isPending(done), 'the sink still holds a view of the writer’s memory');
    sink.held.shift()!();
    await within(done);
    assert.is(pool.rentedBytes, 0);
    assert.is(sink.stream.locked, false);
    assert.equal(texts(sink.got), ['held']);
  });

  t(`${name}: complete(error) does not wait for a write the sink never finishes`, async () => {
    const sink = sinkOf(Stream, { manual: true, highWaterMark: 4 });
    const writer = PipeWriter.create(sink.stream);
    assert.equal(await within(writer.write(bytes('stuck'))), OK);
    await within(writer.complete(new Boom('gave up')), 2000, 'complete(error) with a write the sink holds forever');
    assert.equal(sink.got, []);
  });

  t(`${name}: after a sink error, written and advanced bytes are dropped without being kept`, async () => {
    const pool = new BufferPool();
    const sink = sinkOf(Stream, { failAt: 0, highWaterMark: 4 });
    const writer = PipeWriter.create(sink.stream, { pool, reuseMemory: true, minimumBufferSize: 16 });
    await rejects(async () => {
      for (let i = 0; i < 10; i++) {
        await writer.write(bytes(`chunk ${i}`));
        await turns(1);
      }
    }, Boom, /write 0 failed/);
    const rented = pool.rentedBytes;
    await rejects(() => writer.write(new Uint8Array(100_000)), Boom, /write 0 failed/);
    assert.is(pool.rentedBytes, rented, 'a write to a failed sink copies nothing: no memory rented for it');
    await rejects(() => writer.write(42 as never), TypeError, /^write\(\) takes a Uint8Array or a string, got number/);
    const m = writer.getMemory(4);
    m.set(bytes('abcd'));
    writer.advance(4);
    const n = writer.getMemory(m.length); // more than is left: a new block, the old one keeps 'abcd' queued
    n.set(bytes('ef'));
    writer.advance(2);
    assert.is(writer.unflushedBytes, 6);
    await rejects(() => writer.flush(), Boom, /write 0 failed/);
    assert.is(writer.unflushedBytes, 0, 'the failed flush dropped its bytes');
    await within(writer.complete());
    assert.is(pool.rentedBytes, 0);
    assert.equal(sink.got, []);
  });

  t(`${name}: a sink errored by someone else fails the next flush`, async () => {
    let controller!: WritableStreamDefaultController;
    const stream = new Stream<Uint8Array>({
      start(c) {
        controller = c;
      },
      write() {},
    });
    const writer = PipeWriter.create(stream);
    await writer.write(bytes('a'));
    controller.error(new Boom('sink broke'));
    await turns(1);
    await rejects(() => writer.write(bytes('b')), Boom, /sink broke/);
    await writer.complete();
  });
}

t('default: a sink that keeps or passes on its chunks (an identity TransformStream) never sees them change', async () => {
  const { data, chunks } = randomChunks(200_000, 42, 3000);
  const identity = new TransformStream<Uint8Array, Uint8Array>(undefined, new CountQueuingStrategy({ highWaterMark: 1000 }), new CountQueuingStrategy({ highWaterMark: 1000 }));
  const writer = PipeWriter.create(identity.writable);
  for (const c of chunks) await writer.write(c); // every write's promise settles long before it is read
  await writer.complete();
  // Read only now: the chunks sat in the transform's queue the whole time, as views of the writer's memory.
  const got: Uint8Array[] = [];
  for await (const c of identity.readable as unknown as AsyncIterable<Uint8Array>) got.push(c);
  equalBytes(concat(got), data);
});

t('flush() waiting on the sink: cancelPendingFlush() and an aborted signal', async () => {
  const sink = sinkOf(globalThis.WritableStream, { manual: true, highWaterMark: 2 });
  const writer = PipeWriter.create(sink.stream);
  const drainSink = async (count: number): Promise<void> => {
    while (sink.got.length < count) {
      sink.held.shift()?.();
      await turns(1);
    }
  };
  await within(writer.write(bytes('1')));
  const f = writer.write(bytes('2'));
  assert.ok(await isPending(f));
  await rejects(() => writer.flush(), InvalidOperationError, /another flush is pending/);
  writer.cancelPendingFlush();
  assert.equal(await within(f), { isCompleted: false, isCanceled: true });

  const ac = new AbortController();
  const f2 = writer.write(bytes('3'), { signal: ac.signal });
  assert.ok(await isPending(f2));
  ac.abort(new Boom('gave up'));
  await rejects(() => f2, Boom, /gave up/);
  await rejects(() => writer.flush({ signal: ac.signal }), Boom, /gave up/);
  await rejects(() => writer.write(bytes('x'), { signal: ac.signal }), Boom, /gave up/);
  await within(drainSink(3));

  // cancelPendingFlush() with nothing pending cancels the next flush.
  writer.cancelPendingFlush();
  assert.equal(await within(writer.flush()), { isCompleted: false, isCanceled: true });
  assert.equal(await within(writer.flush()), { isCompleted: false, isCanceled: false });

  // complete() settles a flush that is still waiting, and resolves once the sink took everything.
  await within(writer.write(bytes('4')));
  const f5 = writer.write(bytes('5'));
  assert.ok(await isPending(f5));
  const done = writer.complete();
  assert.equal(await within(f5), { isCompleted: false, isCanceled: false });
  assert.ok(await isPending(done), 'the sink still holds chunks');
  await within(drainSink(5));
  await within(done);
  assert.is(new TextDecoder().decode(concat(sink.got)), '12345');
  assert.equal(sink.log, ['close']);
});

t('misuse and bad arguments say what is wrong', async () => {
  const sink = sinkOf(globalThis.WritableStream);
  await rejects(() => PipeWriter.create({} as never), TypeError, /Node Writable or a WHATWG WritableStream; got Object/);
  await rejects(() => PipeWriter.create(sinkOf(globalThis.WritableStream).stream, { minimumBufferSize: 0 }), RangeError, /minimumBufferSize/);
  const writer = PipeWriter.create(sink.stream);
  await rejects(() => writer.getMemory(-1), RangeError, /non-negative/);
  writer.getMemory(4);
  await rejects(() => writer.advance(100_000), RangeError, /Advance at most/);
  await rejects(() => writer.write(42 as never), TypeError, /Uint8Array or a string/);
  await writer.write('text é');
  await writer.complete();
  assert.is(writer.complete(), writer.complete(), 'complete() is idempotent');
  await rejects(() => writer.getMemory(), InvalidOperationError, /after the writer completed/);
  await rejects(() => writer.advance(0), InvalidOperationError, /after the writer completed/);
  await rejects(() => writer.flush(), InvalidOperationError, /after the writer completed/);
  await rejects(() => writer.write('x'), InvalidOperationError, /after the writer completed/);
  assert.is(new TextDecoder().decode(concat(sink.got)), 'text é');
});

t('large writes span several blocks; getMemory(n) larger than what is left starts a new block in order', async () => {
  const pool = new BufferPool();
  const sink = sinkOf(globalThis.WritableStream, { highWaterMark: 4 });
  const writer = PipeWriter.create(sink.stream, { pool, reuseMemory: true });
  const big = randomChunks(3_000_000, 51).data;
  await writer.write(big);
  const a = writer.getMemory(10);
  a.set(bytes('0123456789'));
  writer.advance(10);
  const b = writer.getMemory(10_000); // more than the 4 KiB block has left
  b.set(bytes('tail'));
  writer.advance(4);
  await writer.complete();
  equalBytes(concat(sink.got), concat([big, bytes('0123456789tail')]));
  assert.is(pool.rentedBytes, 0);
});

t('small commits between flushes go to the sink as one write, up to the last byte of a block', async () => {
  const sink = sinkOf(globalThis.WritableStream, { highWaterMark: 8 });
  const writer = PipeWriter.create(sink.stream, { minimumBufferSize: 8 });
  const a = writer.getMemory(4);
  assert.is(a.length, 8);
  a.set(bytes('abcd'));
  writer.advance(4);
  const b = writer.getMemory(4); // exactly what is left of the block
  assert.is(b.length, 4);
  b.set(bytes('efg'));
  writer.advance(3);
  const c = writer.getMemory(); // one byte left: still enough for "any size"
  assert.is(c.length, 1);
  c[0] = 0x68;
  writer.advance(1);
  assert.is(writer.unflushedBytes, 8);
  assert.equal(await within(writer.flush()), OK);
  assert.equal(texts(sink.got), ['abcdefgh'], 'one write of the whole block');
  await writer.complete();

  // The smallest block size: one byte per block, each its own write.
  const tiny = sinkOf(globalThis.WritableStream, { highWaterMark: 8 });
  const w2 = PipeWriter.create(tiny.stream, { minimumBufferSize: 1 });
  for (const ch of 'xyz') {
    const m = w2.getMemory();
    assert.is(m.length, 1);
    m[0] = ch.charCodeAt(0);
    w2.advance(1);
  }
  await w2.complete();
  assert.equal(texts(tiny.got), ['x', 'y', 'z']);
});

t('advance() takes at most what getMemory() handed out, in one step or several', async () => {
  const sink = sinkOf(globalThis.WritableStream, { highWaterMark: 8 });
  const writer = PipeWriter.create(sink.stream, { minimumBufferSize: 16 });
  const m = writer.getMemory(1);
  assert.is(m.length, 16);
  m.set(bytes('hello'));
  writer.advance(5);
  const rest = writer.getMemory(1);
  assert.is(rest.length, 11);
  await rejects(() => writer.advance(12), RangeError, /only 11 bytes/);
  await rejects(() => writer.advance(-1), RangeError, /Advance at most/);
  await rejects(() => writer.advance(1.5), RangeError, /Advance at most/);
  writer.advance(0);
  rest.set(bytes(' world'));
  writer.advance(3);
  writer.advance(3);
  await rejects(() => writer.advance(6), RangeError, /only 5 bytes/);
  assert.is(writer.unflushedBytes, 11);
  await writer.complete();
  assert.is(new TextDecoder().decode(concat(sink.got)), 'hello world');
});

t('unflushedBytes counts committed bytes across a block change after a flush', async () => {
  const sink = sinkOf(globalThis.WritableStream, { highWaterMark: 8 });
  const writer = PipeWriter.create(sink.stream, { minimumBufferSize: 16 });
  writer.getMemory(4).set(bytes('abcd'));
  writer.advance(4);
  await writer.flush();
  writer.getMemory(3).set(bytes('efg'));
  writer.advance(3);
  assert.is(writer.unflushedBytes, 3);
  const big = writer.getMemory(100); // does not fit the rest of the block: 'efg' stays committed
  assert.is(writer.unflushedBytes, 3);
  big.set(bytes('hi'));
  writer.advance(2);
  assert.is(writer.unflushedBytes, 5);
  await writer.flush();
  assert.is(writer.unflushedBytes, 0);
  await writer.complete();
  assert.equal(texts(sink.got), ['abcd', 'efg', 'hi']);
});

t('a flush that did not have to wait is not pending: cancelPendingFlush() then cancels the next one', async () => {
  const sink = sinkOf(globalThis.WritableStream, { highWaterMark: 4 });
  const writer = PipeWriter.create(sink.stream);
  const f = writer.write(bytes('a')); // the sink has room: done at once
  writer.cancelPendingFlush();
  assert.equal(await within(f), OK);
  assert.equal(await within(writer.flush()), CANCELED);
  const g = writer.flush(); // nothing to send, nothing to wait for
  writer.cancelPendingFlush();
  assert.equal(await within(g), OK);
  assert.equal(await within(writer.flush()), CANCELED);
  await writer.complete();
  assert.equal(texts(sink.got), ['a']);
});

t('flush() with nothing new still waits while the sink applies backpressure', async () => {
  const sink = sinkOf(globalThis.WritableStream, { manual: true, highWaterMark: 1 });
  const writer = PipeWriter.create(sink.stream);
  const f = writer.write(bytes('a'));
  assert.ok(await isPending(f));
  writer.cancelPendingFlush();
  assert.equal(await within(f), CANCELED);
  const g = writer.flush();
  assert.ok(await isPending(g), 'the sink is still full');
  sink.held.shift()!();
  assert.equal(await within(g), OK);
  await within(writer.complete());
  assert.equal(texts(sink.got), ['a']);
});

t('misuse names the call; a write while a flush is pending is refused and never reaches the sink', async () => {
  const sink = sinkOf(globalThis.WritableStream, { manual: true, highWaterMark: 1 });
  const writer = PipeWriter.create(sink.stream);
  const f = writer.write(bytes('first'));
  assert.ok(await isPending(f));
  await rejects(() => within(writer.write(bytes('second'))), InvalidOperationError, /^write\(\) while another flush is pending/);
  await rejects(() => within(writer.flush()), InvalidOperationError, /^flush\(\) while another flush is pending/);
  sink.held.shift()!();
  assert.equal(await within(f), OK);
  const done = writer.complete();
  while (sink.held.length > 0 || sink.log.length === 0) {
    sink.held.shift()?.();
    await turns(1);
  }
  await within(done);
  assert.equal(texts(sink.got), ['first']);
  const late = writer.write(bytes('late'));
  assert.instance(late, Promise, 'write() after complete() rejects rather than throws');
  await rejects(() => late, InvalidOperationError, /^write\(\) after the writer completed/);
  await rejects(() => writer.flush(), InvalidOperationError, /^flush\(\) after the writer completed/);
});

t('copyTo() a completed writer fails and leaves the bytes in the reader', async () => {
  const sink = sinkOf(globalThis.WritableStream);
  const writer = PipeWriter.create(sink.stream);
  await writer.complete();
  const reader = PipeReader.create([bytes('abc'), bytes('def')]);
  await rejects(() => reader.copyTo(writer), InvalidOperationError, /after the writer completed/);
  const r = await within(reader.read());
  assert.ok(r.buffer.toString().startsWith('abc'), `the reader still has its bytes, got '${r.buffer.toString()}'`);
  reader.advanceTo(r.buffer.end);
  await reader.complete();
  assert.equal(sink.got, []);
});

t('a Writable-like that reports failed writes only through their callbacks: flushes fail with the first failure', async () => {
  const written: string[] = [];
  const sink: NodeWritableLike = {
    on: () => sink,
    removeListener: () => sink,
    write(chunk: Uint8Array, callback?: (error?: Error | null) => void) {
      written.push(new TextDecoder().decode(chunk));
      // The first write succeeds, the second fails, and every later one fails as a consequence.
      const n = written.length;
      queueMicrotask(() => callback?.(n === 1 ? null : n === 2 ? new Boom('disk full') : new Error('broken pipe')));
      return true;
    },
    end(callback?: (error?: Error | null) => void) {
      callback?.();
    },
    destroy: () => sink,
  };
  const writer = PipeWriter.create(sink, { minimumBufferSize: 4 });
  assert.equal(await writer.write(bytes('fine')), OK);
  writer.getMemory(2).set(bytes('ab'));
  writer.advance(2);
  writer.getMemory(4).set(bytes('cdef')); // does not fit the block's rest: 'ab' and 'cdef' are two writes
  writer.advance(4);
  await rejects(async () => {
    for (let i = 0; i < 10; i++) {
      await writer.flush();
      await turns(1);
    }
  }, Boom, /disk full/);
  await rejects(() => writer.write(bytes('more')), Boom, /disk full/);
  await rejects(() => writer.flush(), Boom, /disk full/);
  await within(writer.complete());
  assert.equal(written, ['fine', 'ab', 'cdef']);
});

t.run();
