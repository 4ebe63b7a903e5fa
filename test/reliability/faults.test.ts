/**
 * Faults: a source failing at every point of a read loop, a sink failing on each write and on close,
 * a consumer throwing inside a lines() loop, complete(error) on either side mid-transfer. Each ends with
 * the failure itself (the same error object) or a completion — and never loses a byte that was handed
 * over before the failure. Universal (Node streams and killed child processes: test/node/reliability-faults).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReadableStream as PolyfillReadableStream, WritableStream as PolyfillWritableStream } from 'web-streams-polyfill';
import {
  BufferPool, Pipe, PipeReader, PipeWriter, frames, lines, writeFrame, type PipeSink, type PipeSource,
} from '../../src/index.js';
import { bytes, concat, equalBytes, within } from '../helpers.js';
import { encodeFrames, modelLines } from './model.js';

const t = suite('reliability: faults');
class Boom extends Error {
  override name = 'Boom';
}

// ------------------------------------------------------------------ sources failing at every point

/** A source that yields `chunks`, then fails, in a given way. */
type FailingSource = (chunks: Uint8Array[], error: unknown) => PipeSource;

// (A WHATWG stream errored while chunks are still queued drops them itself — the spec clears the queue —
// so such bytes never reach the adapter; not a case for "nothing lost" here.)
const failingSources: [string, FailingSource][] = [
  ['Iterable (next() throws)', (chunks, error) => (function* () {
    yield* chunks;
    throw error;
  })()],
  ['AsyncIterable (next() rejects)', (chunks, error) => (async function* () {
    for (const c of chunks) yield c;
    throw error;
  })()],
  ['ReadableStream (controller.error)', (chunks, error) => {
    let i = 0;
    return new ReadableStream<Uint8Array>({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]!) : c.error(error)) }, { highWaterMark: 0 });
  }],
  ['ReadableStream (pull rejects)', (chunks, error) => {
    let i = 0;
    return new ReadableStream<Uint8Array>({ pull: async (c) => (i < chunks.length ? c.enqueue(chunks[i++]!) : Promise.reject(error)) }, { highWaterMark: 0 });
  }],
  ['ReadableStream (web-streams-polyfill)', (chunks, error) => {
    let i = 0;
    return new PolyfillReadableStream<Uint8Array>({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]!) : c.error(error)) }, { highWaterMark: 0 }) as unknown as PipeSource;
  }],
];

const all = bytes('alpha\nbravo\r\ncharlie\ndelta\n€uro\nfinal');
/** Cut inside a word, between \r and \n, and inside the 3 bytes of '€'. */
const cuts = [0, 8, 12, 22, 28, 35, all.length];
const chunks = cuts.slice(1).map((end, i) => all.subarray(cuts[i], end));

/**
 * Consumption styles: everything each read, a few bytes per read, examine all / consume some. `got` is
 * what was consumed, `seen` the furthest byte ever handed to the reader: a failure may end a record the
 * reader examined but did not consume (an incomplete record), but every byte must have been delivered.
 */
const styles: [string, (reader: PipeReader) => Promise<Drained>][] = [
  ['consume all', (r) => drain(r, () => Infinity, false)],
  ['3 bytes per read', (r) => drain(r, () => 3, false)],
  ['examine all, consume 5', (r) => drain(r, () => 5, true)],
];

interface Drained {
  got: Uint8Array;
  seen: number;
  error: unknown;
}

async function drain(reader: PipeReader, take: () => number, examineAll: boolean): Promise<Drained> {
  const out: Uint8Array[] = [];
  let consumed = 0;
  let seen = 0;
  const result = (error: unknown): Drained => ({ got: concat(out), seen, error });
  try {
    for (;;) {
      const { buffer, isCompleted } = await reader.read();
      seen = Math.max(seen, consumed + buffer.length);
      const n = Math.min(buffer.length, take());
      consumed += n;
      out.push(buffer.slice(0, n).toUint8Array().slice());
      reader.advanceTo(buffer.getPosition(n), examineAll ? buffer.end : buffer.getPosition(n));
      if (isCompleted && n === buffer.length) return result(undefined);
    }
  } catch (error) {
    return result(error);
  } finally {
    await reader.complete();
  }
}

for (const [name, make] of failingSources) {
  t(`${name}: failing after each chunk k, every byte before the failure arrives, then the same error`, async () => {
    for (let k = 0; k <= chunks.length; k++) {
      const before = concat(chunks.slice(0, k));
      for (const [style, consume] of styles) {
        const error = new Boom(`after ${k}`);
        const d = await within(consume(PipeReader.create(make(chunks.slice(0, k), error))), 2000, `${name} k=${k} ${style}`);
        assert.is(d.seen, before.length, `${name} k=${k} ${style}: every byte before the failure was delivered`);
        equalBytes(d.got, before.subarray(0, d.got.length), `${name}, failing after chunk ${k}, ${style}`);
        if (style !== 'examine all, consume 5') equalBytes(d.got, before, `${name} k=${k} ${style}: and consumed`);
        assert.is(d.error, error, `${name} k=${k} ${style}: the source's own error`);
      }
      // lines(): the lines completed before the failure, then the error.
      const error = new Boom(`lines after ${k}`);
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const line of lines(make(chunks.slice(0, k), error))) seen.push(line);
      } catch (e) {
        caught = e;
      }
      assert.is(caught, error);
      // Everything up to the last line end before the failure (an unterminated rest is not a line: the input failed).
      const cut = before.lastIndexOf(0x0a);
      assert.equal(seen, modelLines(before.subarray(0, cut + 1)), `${name} k=${k}: lines before the failure`);
    }
  });
}

t('frames(): a source failing after each frame delivers the frames before it, then the error (never a partial frame)', async () => {
  const payloads = ['one', 'two', '', 'four'].map((s) => bytes(s));
  const data = encodeFrames(payloads, { lengthBytes: 2, littleEndian: false });
  for (let cut = 0; cut <= data.length; cut++) {
    const error = new Boom(`at byte ${cut}`);
    const got: string[] = [];
    let caught: unknown;
    const reader = PipeReader.create((async function* () {
      yield data.subarray(0, cut);
      throw error;
    })());
    try {
      for await (const frame of frames(reader, { lengthBytes: 2 })) got.push(frame.toString());
    } catch (e) {
      caught = e;
    }
    assert.is(caught, error, `cut at ${cut}`);
    // Whole frames within the first `cut` bytes, no more, no less.
    let at = 0;
    const whole: string[] = [];
    for (const p of payloads) {
      if (at + 2 + p.length > cut) break;
      whole.push(new TextDecoder().decode(p));
      at += 2 + p.length;
    }
    assert.equal(got, whole, `cut at ${cut}`);
  }
});

t('a source failing while a read is pending, and while no read is pending: both deliver the bytes, then the error', async () => {
  for (const pending of [true, false]) {
    let fail!: (e: unknown) => void;
    const error = new Boom(pending ? 'pending' : 'idle');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('data'));
        fail = (e) => c.error(e);
      },
    });
    const reader = PipeReader.create(stream);
    const first = await reader.read();
    assert.is(first.buffer.toString(), 'data');
    reader.advanceTo(first.buffer.start, first.buffer.end); // examined, not consumed
    if (pending) {
      const read = reader.read();
      fail(error);
      await within(read.then(() => assert.unreachable('resolved'), (e) => assert.is(e, error)));
    } else {
      fail(error);
      await new Promise((r) => setTimeout(r, 0));
      await within(reader.read().then(() => assert.unreachable('resolved'), (e) => assert.is(e, error)));
    }
    await reader.complete();
  }
});

// ------------------------------------------------------------------ sinks failing on each write and on close

for (const [name, Ctor] of [
  ['WritableStream (native)', WritableStream],
  ['WritableStream (web-streams-polyfill)', PolyfillWritableStream as unknown as typeof WritableStream],
] as const) {
  t(`${name}: the k-th write failing rejects that flush (or a later one) with the sink's error; earlier bytes all arrived`, async () => {
    for (let k = 0; k < 5; k++) {
      const pool = new BufferPool();
      const error = new Boom(`write ${k}`);
      const received: Uint8Array[] = [];
      let writes = 0;
      const sink = new Ctor<Uint8Array>({
        write(c) {
          if (writes++ === k) throw error;
          received.push(c.slice());
        },
      });
      const writer = PipeWriter.create(sink as PipeSink, { pool });
      let caught: unknown;
      let flushed = 0;
      try {
        for (let i = 0; i < 10; i++) {
          await writer.write(bytes(`chunk ${i};`));
          flushed++;
        }
        await writer.complete();
      } catch (e) {
        caught = e;
      }
      assert.is(caught, error, `k=${k}`);
      // The sink got exactly the chunks before the failing one, in order.
      assert.is(new TextDecoder().decode(concat(received)), Array.from({ length: k }, (_, i) => `chunk ${i};`).join(''));
      assert.ok(flushed >= k, `k=${k}: the failure showed up at flush ${flushed}`);
      await writer.complete().catch(() => {});
      await new Promise((r) => setTimeout(r, 0));
      assert.is(pool.rentedBytes, 0, `k=${k}: memory back after a failed sink`);
    }
  });

  t(`${name}: complete() rejects with the sink's error when the last write or close fails`, async () => {
    for (const where of ['write', 'close'] as const) {
      const error = new Boom(where);
      const sink = new Ctor<Uint8Array>({
        write() {
          if (where === 'write') throw error;
        },
        close() {
          if (where === 'close') throw error;
        },
      });
      const writer = PipeWriter.create(sink as PipeSink);
      writer.getMemory(5);
      writer.advance(5); // committed, not flushed: complete() sends it
      await within(writer.complete().then(() => assert.unreachable(`${where}: resolved`), (e) => assert.is(e, error)));
    }
  });
}

// ------------------------------------------------------------------ a consumer throwing inside lines()

t('a consumer throwing inside a lines() loop: the error propagates and every source kind is given up', async () => {
  const error = new Boom('consumer');
  const tracked: [string, () => { source: PipeSource | PipeReader; released: () => boolean }][] = [
    ['ReadableStream', () => {
      let cancelled: unknown = null;
      const s = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes('x\n')), cancel: (r) => void (cancelled = r ?? 'cancelled') });
      return { source: s, released: () => cancelled !== null };
    }],
    ['AsyncIterable', () => {
      let finished = false;
      const g = (async function* () {
        try {
          for (;;) yield bytes('x\n');
        } finally {
          finished = true;
        }
      })();
      return { source: g, released: () => finished };
    }],
    ['Pipe reader', () => {
      const pipe = new Pipe();
      void pipe.writer.write('x\n'.repeat(100));
      return { source: pipe.reader, released: () => (pipe.reader as unknown as { _core: { readerCompleted: boolean } })._core.readerCompleted };
    }],
  ];
  for (const [name, make] of tracked) {
    const { source, released } = make();
    let caught: unknown;
    let n = 0;
    try {
      for await (const _ of lines(source)) {
        if (++n === 3) throw error;
      }
    } catch (e) {
      caught = e;
    }
    assert.is(caught, error, `${name}: the consumer's error`);
    await new Promise((r) => setTimeout(r, 0));
    assert.ok(released(), `${name}: the source was given up`);
  }
});

// ------------------------------------------------------------------ complete(error) mid-transfer

t('writer.complete(error) mid-transfer: the reader gets every flushed byte, then that error', async () => {
  for (const pause of [0, 16, 65536]) {
    const pipe = new Pipe({ pauseWriterThreshold: pause });
    const error = new Boom('writer failed');
    const sent: Uint8Array[] = [];
    const writing = (async () => {
      for (let i = 0; i < 50; i++) {
        const c = bytes(`${i},`);
        await pipe.writer.write(c);
        sent.push(c);
      }
      pipe.writer.getMemory(4).set(bytes('tail'));
      pipe.writer.advance(4); // committed, not flushed: complete(error) still commits it
      await pipe.writer.complete(error);
    })();
    const { got, error: seen } = await within(drain(pipe.reader, () => 7, false));
    await writing;
    assert.is(seen, error);
    // Every flushed byte arrived, and the committed tail: exactly what the writer wrote, in order.
    equalBytes(got, concat([...sent, bytes('tail')]), `pause ${pause}`);
  }
});

t('reader.complete(error) mid-transfer: the writer\'s pending and later flushes reject with it; the writer loses nothing it was told was read', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 8 });
  const error = new Boom('reader failed');
  let caught: unknown;
  let writes = 0;
  const writing = (async () => {
    try {
      for (;;) {
        await pipe.writer.write('0123456789');
        writes++;
      }
    } catch (e) {
      caught = e;
    }
  })();
  for (let i = 0; i < 3; i++) {
    const r = await pipe.reader.read();
    pipe.reader.advanceTo(r.buffer.end);
  }
  await pipe.reader.complete(error);
  await within(writing);
  assert.is(caught, error);
  await pipe.writer.complete();
});

t('PipeReader.create(source).complete(error) cancels the source with that error; PipeWriter.create(sink).complete(error) aborts the sink with it', async () => {
  const error = new Boom('give up');
  let reason: unknown;
  const reader = PipeReader.create(new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes('x')), cancel: (r) => void (reason = r) }));
  await reader.read();
  await reader.complete(error);
  await new Promise((r) => setTimeout(r, 0));
  assert.is(reason, error);
  let aborted: unknown;
  const writer = PipeWriter.create(new WritableStream<Uint8Array>({ abort: (r) => void (aborted = r) }));
  await writer.write('partial');
  await writer.complete(error).catch(() => {});
  await new Promise((r) => setTimeout(r, 0));
  assert.is(aborted, error);
});

t('writeFrame to a writer whose reader failed rejects with the reader\'s error, not a partial frame later', async () => {
  const pipe = new Pipe();
  const error = new Boom('peer gone');
  await pipe.reader.complete(error);
  await within(writeFrame(pipe.writer, 'hello').then(() => assert.unreachable(), (e) => assert.is(e, error)));
  await pipe.writer.complete();
});

t.run();
