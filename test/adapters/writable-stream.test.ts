/**
 * writer.asStream(): a PipeWriter as a WHATWG WritableStream.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, Pipe, PipeReader } from '../../src/index.js';
import { bytes, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, randomChunks, readAll, turns } from './kit.js';

const t = suite('adapters/writable-stream');

function streamOf(Stream: typeof ReadableStream, chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new Stream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else c.close();
    },
  });
}

t('readable.pipeTo(writer.asStream()) delivers every byte; close() completes the writer', async () => {
  // (A polyfilled ReadableStream can only pipeTo() a polyfilled WritableStream: brand checks.)
  for (const Stream of [globalThis.ReadableStream]) {
    const { data, chunks } = randomChunks(200_000, 81, 9000);
    const pipe = new Pipe({ pauseWriterThreshold: 8192 });
    const copied = streamOf(Stream, chunks).pipeTo(pipe.writer.asStream());
    equalBytes(await within(readAll(pipe.reader), 5000), data);
    await within(copied);
    await pipe.reader.complete();
  }
});

t('a write waits while the pipe is paused (flush backpressure)', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 10 });
  const writer = pipe.writer.asStream().getWriter();
  const w = writer.write(bytes('more than ten bytes'));
  assert.ok(await isPending(w), 'the flush is paused: the write waits');
  const r = await pipe.reader.read();
  pipe.reader.advanceTo(r.buffer.end);
  await within(w);
  const w2 = writer.write('strings are written as UTF-8' as never);
  const r2 = await pipe.reader.read();
  assert.is(r2.buffer.toString(), 'strings are written as UTF-8');
  pipe.reader.advanceTo(r2.buffer.end);
  await within(w2);
});

t('abort(reason) completes the writer with the reason; without one, with an AbortError', async () => {
  const pipe = new Pipe();
  const writer = pipe.writer.asStream().getWriter();
  await writer.write(bytes('partial'));
  await writer.abort(new Boom('upstream failed'));
  const r = await pipe.reader.read();
  assert.is(r.buffer.toString(), 'partial', 'flushed bytes first');
  pipe.reader.advanceTo(r.buffer.end);
  await rejects(() => pipe.reader.read(), Boom, /upstream failed/);

  const pipe2 = new Pipe();
  await pipe2.writer.asStream().abort();
  const e = (await rejects(() => pipe2.reader.read(), DOMException)) as DOMException;
  assert.is(e.name, 'AbortError');
});

t('leaveOpen: neither close() nor abort() completes the writer', async () => {
  const pipe = new Pipe();
  await streamOf(globalThis.ReadableStream, [bytes('one ')]).pipeTo(pipe.writer.asStream({ leaveOpen: true }));
  await pipe.writer.asStream({ leaveOpen: true }).abort(new Boom('ignored'));
  await pipe.writer.write('two');
  await pipe.writer.complete();
  assert.is(new TextDecoder().decode(await readAll(pipe.reader)), 'one two');
});

t('once the reader completed, a write fails (and a pipeTo stops)', async () => {
  const pipe = new Pipe();
  await pipe.reader.complete();
  const writer = pipe.writer.asStream().getWriter();
  await rejects(() => writer.write(bytes('x')), InvalidOperationError, /reader of this PipeWriter completed/);

  let cancelled: unknown;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(bytes('data'));
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  const pipe2 = new Pipe();
  const copy = source.pipeTo(pipe2.writer.asStream());
  const r = await pipe2.reader.read();
  pipe2.reader.advanceTo(r.buffer.end);
  await pipe2.reader.complete();
  await rejects(() => within(copy), InvalidOperationError);
  assert.instance(cancelled, InvalidOperationError);
});

t('a chunk that is neither bytes nor a string is a TypeError', async () => {
  const writer = new Pipe().writer.asStream().getWriter();
  await rejects(() => writer.write(42 as never), TypeError, /Uint8Array or string, got number/);
});

t('PipeReader.create(x).asStream() → pipeTo(PipeWriter asStream) round-trips', async () => {
  const { data, chunks } = randomChunks(120_000, 82);
  const pipe = new Pipe();
  const copy = PipeReader.create(chunks).asStream().pipeTo(pipe.writer.asStream());
  equalBytes(await within(readAll(pipe.reader)), data);
  await within(copy);
  await turns(1);
});

t('without a global WritableStream: a TypeError that says how to provide one', async () => {
  const g = globalThis as { WritableStream?: unknown };
  const saved = g.WritableStream;
  g.WritableStream = undefined;
  try {
    await rejects(() => new Pipe().writer.asStream(), TypeError, /needs a global WritableStream/);
  } finally {
    g.WritableStream = saved;
  }
});

t.run();
