/**
 * PipeReader.create() over the universal sources: WHATWG streams (native and web-streams-polyfill),
 * async iterables, iterables, ReadOnlySequence and Uint8Array. Node sources: source.node.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReadableStream as PolyfillReadableStream } from 'web-streams-polyfill';
import { BufferLimitError, PipeReader, ReadOnlySequence, type PipeSource } from '../../src/index.js';
import { bytes, concat, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, coreOf, randomChunks, readAll, sameMemory, turns } from './kit.js';

const t = suite('adapters/source');

type Ctor = typeof ReadableStream;
const NativeReadableStream = globalThis.ReadableStream;
const Polyfill = PolyfillReadableStream as unknown as Ctor;

/** A WHATWG stream that enqueues one chunk per pull, then closes (or errors with `fail`). */
function webStream(Stream: Ctor, chunks: readonly Uint8Array[], log: string[] = [], fail?: unknown): ReadableStream<Uint8Array> {
  let i = 0;
  return new Stream<Uint8Array>(
    {
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else if (fail !== undefined) controller.error(fail);
        else controller.close();
      },
      cancel(reason) {
        log.push(`cancel:${reason instanceof Error ? reason.message : String(reason)}`);
      },
    },
    { highWaterMark: 0 },
  );
}

async function* asyncChunks(chunks: readonly Uint8Array[], log: string[] = [], fail?: unknown): AsyncGenerator<Uint8Array> {
  try {
    for (const c of chunks) {
      await null;
      yield c;
    }
    if (fail !== undefined) throw fail;
    log.push('end');
  } finally {
    log.push('finally');
  }
}

function* syncChunks(chunks: readonly Uint8Array[], log: string[] = [], fail?: unknown): Generator<Uint8Array> {
  try {
    yield* chunks;
    if (fail !== undefined) throw fail;
    log.push('end');
  } finally {
    log.push('finally');
  }
}

interface Kind {
  name: string;
  make(chunks: readonly Uint8Array[], log?: string[], fail?: unknown): PipeSource;
  /** Whether the kind can fail mid-stream / be left open and read on. */
  streaming: boolean;
}

const kinds: Kind[] = [
  { name: 'WHATWG ReadableStream (native)', streaming: true, make: (c, l, f) => webStream(NativeReadableStream, c, l, f) },
  { name: 'WHATWG ReadableStream (web-streams-polyfill)', streaming: true, make: (c, l, f) => webStream(Polyfill, c, l, f) },
  { name: 'AsyncIterable (async generator)', streaming: true, make: (c, l, f) => asyncChunks(c, l, f) },
  { name: 'Iterable (generator)', streaming: true, make: (c, l, f) => syncChunks(c, l, f) },
  { name: 'Iterable (array)', streaming: false, make: (c) => [...c] },
  { name: 'ReadOnlySequence', streaming: false, make: (c) => ReadOnlySequence.from(...c) },
  { name: 'Uint8Array', streaming: false, make: (c) => concat([...c]) },
];

for (const kind of kinds) {
  t(`${kind.name}: random data in random chunk sizes round-trips byte for byte`, async () => {
    for (const [length, seed] of [[0, 1], [1, 2], [70_000, 3], [200_003, 4]] as const) {
      const { data, chunks } = randomChunks(length, seed);
      const reader = PipeReader.create(kind.make(chunks));
      equalBytes(await within(readAll(reader, seed)), data, `${kind.name}, ${length} bytes`);
      await reader.complete();
    }
  });

  t(`${kind.name}: zero copy, every segment is a chunk of the source as it is`, async () => {
    const { chunks } = randomChunks(50_000, 9);
    const reader = PipeReader.create(kind.make(chunks));
    const views: Uint8Array[] = [];
    for (;;) {
      const result = await within(reader.read());
      for (const view of result.buffer) views.push(view);
      reader.advanceTo(result.buffer.end);
      if (result.isCompleted) break;
    }
    await reader.complete();
    if (kind.name === 'Uint8Array') {
      // One chunk: the array itself.
      assert.is(views.length, 1);
      assert.is(views[0]!.byteLength, 50_000);
      return;
    }
    assert.is(views.length, chunks.length, 'one segment per chunk');
    views.forEach((v, i) => sameMemory(v, chunks[i]!, `segment ${i}`));
  });
}

t('Uint8Array: the one segment shares the array memory', async () => {
  const backing = new Uint8Array(100).fill(7);
  const source = backing.subarray(10, 90);
  const reader = PipeReader.create(source);
  const result = await reader.read();
  sameMemory(result.buffer.first, source);
  assert.is(result.isCompleted, true);
  reader.advanceTo(result.buffer.end);
  await reader.complete();
});

t('readAtLeast(n) reads the source until n bytes are buffered, or its end', async () => {
  for (const kind of kinds.filter((k) => k.streaming)) {
    const chunks = Array.from({ length: 20 }, (_, i) => new Uint8Array(100).fill(i));
    const reader = PipeReader.create(kind.make(chunks));
    const r1 = await within(reader.readAtLeast(950));
    assert.ok(r1.buffer.length >= 950 && r1.buffer.length <= 1000, `${kind.name}: ${r1.buffer.length}`);
    assert.is(r1.isCompleted, false);
    reader.advanceTo(r1.buffer.getPosition(900), r1.buffer.end);
    const r2 = await within(reader.readAtLeast(5000));
    assert.is(r2.buffer.length, 1100, `${kind.name}: the rest, short of 5000`);
    assert.is(r2.isCompleted, true);
    equalBytes(r2.buffer.toUint8Array(), concat(chunks).subarray(900));
    reader.advanceTo(r2.buffer.end);
    await reader.complete();
  }
});

t('a synchronous Iterable of many tiny chunks does not grow the stack (readAtLeast of 200k 1-byte chunks)', async () => {
  function* tiny(): Generator<Uint8Array> {
    for (let i = 0; i < 200_000; i++) yield new Uint8Array([i & 0xff]);
  }
  const reader = PipeReader.create(tiny());
  const r = await within(reader.readAtLeast(200_000), 10_000);
  assert.is(r.buffer.length, 200_000);
  reader.advanceTo(r.buffer.end);
  await reader.complete();
});

t('empty chunks are skipped: the read waits for bytes', async () => {
  const empty = new Uint8Array(0);
  for (const kind of kinds.filter((k) => k.streaming)) {
    const reader = PipeReader.create(kind.make([empty, empty, bytes('ab'), empty, bytes('c')]));
    equalBytes(await within(readAll(reader)), bytes('abc'), kind.name);
    await reader.complete();
  }
});

for (const kind of kinds.filter((k) => k.streaming)) {
  t(`${kind.name}: an error mid-stream is read after every byte before it`, async () => {
    const { data, chunks } = randomChunks(30_000, 5);
    const reader = PipeReader.create(kind.make(chunks, [], new Boom('source failed')));
    const got: Uint8Array[] = [];
    let error: unknown;
    try {
      for (;;) {
        const result = await within(reader.read());
        got.push(result.buffer.toUint8Array().slice());
        assert.is(result.isCompleted, false, 'a failing source never reports completion');
        reader.advanceTo(result.buffer.end);
      }
    } catch (e) {
      error = e;
    }
    assert.instance(error, Boom);
    assert.is((error as Error).message, 'source failed');
    equalBytes(concat(got), data, 'every byte before the error');
    await reader.complete();
  });

  t(`${kind.name}: complete() releases the source (cancel / return), leaveOpen keeps it usable`, async () => {
    const chunks = [bytes('one'), bytes('two'), bytes('three'), bytes('four')];
    // leaveOpen false (default): the source is cancelled / returned.
    const log: string[] = [];
    const reader = PipeReader.create(kind.make(chunks, log));
    const r = await within(reader.read());
    assert.is(r.buffer.toString(), 'one');
    reader.advanceTo(r.buffer.end);
    await reader.complete();
    await turns(2);
    if (kind.name.startsWith('WHATWG')) assert.equal(log, ['cancel:undefined']);
    else assert.equal(log, ['finally'], 'the generator was returned (its finally ran, it did not run to its end)');

    // leaveOpen true: the source is left usable, the rest readable by someone else.
    const log2: string[] = [];
    const source = kind.make(chunks, log2);
    const reader2 = PipeReader.create(source, { leaveOpen: true });
    const r2 = await within(reader2.read());
    assert.is(r2.buffer.toString(), 'one');
    reader2.advanceTo(r2.buffer.end);
    await reader2.complete();
    await turns(2);
    assert.equal(log2, [], 'not cancelled, not returned');
    const rest = PipeReader.create(source);
    assert.is(new TextDecoder().decode(await within(readAll(rest))), 'twothreefour');
    await rest.complete();
  });
}

t('complete(error) cancels a WHATWG source with that reason', async () => {
  const log: string[] = [];
  const reader = PipeReader.create(webStream(NativeReadableStream, [bytes('x')], log));
  await reader.complete(new Boom('consumer failed'));
  await turns(1);
  assert.equal(log, ['cancel:consumer failed']);
});

t('leaveOpen: a WHATWG stream is unlocked even while a source read is pending, and loses nothing', async () => {
  for (const Stream of [NativeReadableStream, Polyfill]) {
    const m = manual(Stream);
    const reader = PipeReader.create(m.stream, { leaveOpen: true });
    const pending = reader.read();
    await turns(1);
    await reader.complete();
    await rejects(() => pending, Error);
    assert.is(m.stream.locked, false);
    m.push(bytes('kept'));
    const next = m.stream.getReader();
    const { value } = await within(next.read());
    assert.is(new TextDecoder().decode(value), 'kept');
  }
});

/** A WHATWG stream whose chunks the test pushes by hand; `pulls` counts the stream's pull calls. */
function manual(Stream: Ctor = NativeReadableStream): { stream: ReadableStream<Uint8Array>; push(c: Uint8Array): void; end(): void; pulls: () => number } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pulls = 0;
  const stream = new Stream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        pulls++;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, push: (c) => controller.enqueue(c), end: () => controller.close(), pulls: () => pulls };
}

t('cancelPendingRead() while the source read is pending: the read ends canceled, the chunk is not lost', async () => {
  const m = manual();
  const reader = PipeReader.create(m.stream);
  const pending = reader.read();
  await turns(1);
  assert.is(m.pulls(), 1, 'the source was asked for one chunk');
  reader.cancelPendingRead();
  const r = await within(pending);
  assert.is(r.isCanceled, true);
  assert.is(r.buffer.length, 0);
  reader.advanceTo(r.buffer.end);
  m.push(bytes('late'));
  const r2 = await within(reader.read());
  assert.is(r2.buffer.toString(), 'late');
  assert.is(r2.isCanceled, false);
  reader.advanceTo(r2.buffer.end);
  await reader.complete();
});

t('an aborted signal while the source read is pending rejects that read; the chunk arrives for the next', async () => {
  const m = manual();
  const reader = PipeReader.create(m.stream);
  const ac = new AbortController();
  const pending = reader.read({ signal: ac.signal });
  await turns(1);
  ac.abort(new Boom('stop waiting'));
  await rejects(() => pending, Boom, /stop waiting/);
  m.push(bytes('kept'));
  await turns(1);
  assert.is(coreOf(reader).buffered, 4, 'the chunk of the abandoned source read was appended');
  const r = await within(reader.read());
  assert.is(r.buffer.toString(), 'kept');
  reader.advanceTo(r.buffer.end);
  m.end();
  const r3 = await within(reader.read());
  assert.is(r3.isCompleted, true);
  reader.advanceTo(r3.buffer.end);
  await reader.complete();
});

t('the source is read only when a read waits with nothing unexamined', async () => {
  const m = manual();
  const reader = PipeReader.create(m.stream);
  await turns(2);
  assert.is(m.pulls(), 0, 'nothing read before the first read()');
  const p = reader.read();
  await turns(1);
  assert.is(m.pulls(), 1);
  m.push(bytes('abcdef'));
  const r = await within(p);
  // Consumed part, examined nothing new: the next read returns at once, without a source read.
  reader.advanceTo(r.buffer.getPosition(2), r.buffer.getPosition(2));
  const r2 = await within(reader.read());
  assert.is(r2.buffer.toString(), 'cdef');
  await turns(1);
  assert.is(m.pulls(), 1, 'unexamined bytes were buffered: the source was not read');
  reader.advanceTo(r2.buffer.start, r2.buffer.end);
  const p3 = reader.read();
  await turns(1);
  assert.is(m.pulls(), 2, 'everything examined: the waiting read asks the source');
  assert.ok(await isPending(p3));
  m.push(bytes('g'));
  const r3 = await within(p3);
  assert.is(r3.buffer.toString(), 'cdefg');
  reader.advanceTo(r3.buffer.end);
  await reader.complete();
});

t('tryRead() with nothing buffered starts a source read; a later tryRead() gets the chunk', async () => {
  const m = manual();
  const reader = PipeReader.create(m.stream);
  assert.is(reader.tryRead(), undefined);
  await turns(1);
  assert.is(m.pulls(), 1);
  m.push(bytes('hi'));
  await turns(1);
  const r = reader.tryRead();
  assert.is(r?.buffer.toString(), 'hi');
  reader.advanceTo(r!.buffer.end);
  await reader.complete();
});

t('backpressure: an always-ready producer stays within one chunk of what the slow consumer left', async () => {
  const CHUNK = 1024;
  for (const make of [
    (count: () => void) =>
      new NativeReadableStream<Uint8Array>({ pull(c) { count(); c.enqueue(new Uint8Array(CHUNK)); } }, { highWaterMark: 1 }),
    (count: () => void) =>
      (async function* () {
        for (;;) {
          count();
          yield new Uint8Array(CHUNK);
        }
      })(),
  ]) {
    let produced = 0;
    const reader = PipeReader.create(make(() => produced++));
    let left = 0;
    for (let i = 0; i < 60; i++) {
      const r = await within(reader.read());
      // What the reader holds: what the consumer left, plus at most one new chunk.
      assert.ok(r.buffer.length <= left + CHUNK, `read ${i}: ${r.buffer.length} buffered, ${left} left unconsumed`);
      assert.is(coreOf(reader).buffered, r.buffer.length);
      // Consume a third of a chunk: the consumer is slower than the producer and falls behind.
      const take = Math.min(r.buffer.length, 341);
      reader.advanceTo(r.buffer.getPosition(take), r.buffer.end);
      left = r.buffer.length - take;
      await turns(3); // ample time for a producer that would run ahead
    }
    assert.ok(produced <= 60 + 2, `the source produced ${produced} chunks for 60 reads`);
    await reader.complete();
  }
});

t('maxBufferedBytes: a reader that examines without consuming gets BufferLimitError', async () => {
  const chunks = Array.from({ length: 10 }, () => new Uint8Array(1000));
  const reader = PipeReader.create(chunks, { maxBufferedBytes: 2500 });
  await rejects(async () => {
    for (;;) {
      const r = await reader.read();
      reader.advanceTo(r.buffer.start, r.buffer.end);
    }
  }, BufferLimitError);
  await reader.complete();
});

t('anything else is a TypeError naming what is accepted', async () => {
  for (const bad of [42, 'text', { an: 'object' }, null, undefined, true]) {
    await rejects(() => PipeReader.create(bad as never), TypeError, /Node Readable, a WHATWG ReadableStream, an AsyncIterable or Iterable of Uint8Array, a ReadOnlySequence or a Uint8Array/);
  }
  await rejects(() => PipeReader.create('text' as never), TypeError, /got a string/);
  await rejects(() => PipeReader.create(new Uint8Array(1), { bufferSize: -1 }), RangeError, /bufferSize/);
  await rejects(() => PipeReader.create(new Uint8Array(1), { minimumReadSize: 1.5 }), RangeError, /minimumReadSize/);
});

t('bufferSize and minimumReadSize accept any positive integer, 1 included', async () => {
  for (const size of [1, 2, 65536]) {
    const reader = PipeReader.create([bytes('ab'), bytes('cd')], { bufferSize: size, minimumReadSize: size });
    assert.is(new TextDecoder().decode(await within(readAll(reader))), 'abcd');
    await reader.complete();
  }
});

t('a chunk that is not a Uint8Array makes read() reject with a TypeError, after the bytes before it', async () => {
  const cases: [string, PipeSource][] = [
    ['string chunk', [bytes('ok'), 'text' as never]],
    ['number chunk', (async function* () {
      yield bytes('ok');
      yield 7 as never;
    })()],
    ['ArrayBuffer chunk', webStream(NativeReadableStream, [bytes('ok'), new ArrayBuffer(4) as never])],
  ];
  for (const [name, source] of cases) {
    const reader = PipeReader.create(source);
    const r = await within(reader.read());
    assert.is(r.buffer.toString(), 'ok', name);
    reader.advanceTo(r.buffer.end);
    await rejects(() => reader.read(), TypeError, /yielded .* not a Uint8Array/);
    await reader.complete();
  }
});

t('an iterator whose next() throws synchronously fails the read with that error', async () => {
  const throwing = (sync: boolean) => ({
    [sync ? Symbol.iterator : Symbol.asyncIterator]() {
      return { next() { throw new Boom(sync ? 'sync next' : 'async next'); } };
    },
  });
  for (const sync of [true, false]) {
    const reader = PipeReader.create(throwing(sync) as never);
    await rejects(() => reader.read(), Boom);
    await reader.complete();
  }
});

t('an iterator without return() can be completed early', async () => {
  let i = 0;
  const source = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: new Uint8Array([i++]) }) }) };
  const reader = PipeReader.create(source as Iterable<Uint8Array>);
  const r = await reader.read();
  reader.advanceTo(r.buffer.end);
  await reader.complete();
  const throwingReturn = {
    [Symbol.asyncIterator]: () => ({
      next: async () => ({ done: false, value: new Uint8Array(1) }),
      return: () => {
        throw new Boom('return failed');
      },
    }),
  };
  const reader2 = PipeReader.create(throwingReturn as AsyncIterable<Uint8Array>);
  const r2 = await reader2.read();
  reader2.advanceTo(r2.buffer.end);
  await reader2.complete(); // the failing return() does not leak out
});

t.run();
