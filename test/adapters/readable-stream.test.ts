/**
 * reader.asStream(): a PipeReader as a WHATWG byte stream.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool, InvalidOperationError, Pipe, PipeReader } from '../../src/index.js';
import { bytes, concat, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, randomChunks, turns } from './kit.js';

const t = suite('adapters/readable-stream');

/** Writes `chunks` into a pipe (a small pool, so memory is reused) and completes it. */
function piped(chunks: readonly Uint8Array[], options: { error?: unknown } = {}): Pipe {
  const pipe = new Pipe({ pool: new BufferPool({ maxRetainedBytes: 64 * 1024 }), pauseWriterThreshold: 16 * 1024 });
  void (async () => {
    for (const c of chunks) await pipe.writer.write(c);
    await pipe.writer.complete(options.error);
  })();
  return pipe;
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

t('default reads deliver every byte as fresh copies: pipe memory reused later never changes them', async () => {
  const { data, chunks } = randomChunks(300_000, 71, 7000);
  const pipe = piped(chunks);
  // The chunks are kept (not copied) until the end, while the pipe keeps reusing its blocks.
  const got = await within(readStream(pipe.reader.asStream()), 5000);
  equalBytes(concat(got), data);
});

t('a source chunk is copied, never transferred: the source keeps its ArrayBuffer', async () => {
  const { data, chunks } = randomChunks(20_000, 72);
  const got = await within(readStream(PipeReader.create(chunks).asStream()));
  equalBytes(concat(got), data);
  for (const c of chunks) assert.ok(c.buffer.byteLength > 0, 'not detached');
  equalBytes(concat(chunks), data);
});

t('BYOB reads fill the caller’s buffer directly', async () => {
  const { data, chunks } = randomChunks(50_000, 73, 3000);
  const stream = piped(chunks).reader.asStream();
  const reader = stream.getReader({ mode: 'byob' });
  const out: Uint8Array[] = [];
  let buffer = new ArrayBuffer(1000);
  for (;;) {
    const { done, value } = await within(reader.read(new Uint8Array(buffer, 10, 777)));
    if (done) break;
    assert.ok(value!.byteLength > 0 && value!.byteLength <= 777);
    assert.is(value!.byteOffset, 10, 'the bytes are in the view that was passed');
    assert.is(value!.buffer.byteLength, 1000, 'the same (transferred) buffer came back');
    out.push(value!.slice());
    buffer = value!.buffer as ArrayBuffer;
  }
  equalBytes(concat(out), data);
});

t('BYOB and default reads mix; a BYOB read at the end resolves done', async () => {
  const pipe = new Pipe();
  const stream = pipe.reader.asStream();
  const byob = stream.getReader({ mode: 'byob' });
  const p = byob.read(new Uint8Array(4));
  assert.ok(await isPending(p));
  await pipe.writer.write('abcdef');
  const r1 = await within(p);
  assert.is(new TextDecoder().decode(r1.value), 'abcd');
  byob.releaseLock();
  const plain = stream.getReader();
  const r2 = await within(plain.read());
  assert.is(new TextDecoder().decode(r2.value), 'ef');
  plain.releaseLock();
  const byob2 = stream.getReader({ mode: 'byob' });
  const p3 = byob2.read(new Uint8Array(8));
  await pipe.writer.complete();
  const r3 = await within(p3);
  assert.is(r3.done, true);
});

t('the end of the stream completes the reader; leaveOpen leaves it usable', async () => {
  const pipe = piped([bytes('abc')]);
  const got = await readStream(pipe.reader.asStream());
  assert.is(new TextDecoder().decode(concat(got)), 'abc');
  await rejects(() => pipe.reader.read(), InvalidOperationError, /after the reader completed/);

  const pipe2 = piped([bytes('abc')]);
  await readStream(pipe2.reader.asStream({ leaveOpen: true }));
  const r = await within(pipe2.reader.read());
  assert.is(r.isCompleted, true, 'the reader can still be read (and completed) by its owner');
  pipe2.reader.advanceTo(r.buffer.end);
  await pipe2.reader.complete();
});

t('cancel() completes the reader (the writer sees isCompleted); leaveOpen ends a pending read instead', async () => {
  const pipe = new Pipe();
  const stream = pipe.reader.asStream();
  const reader = stream.getReader();
  const pending = reader.read();
  await turns(1);
  await reader.cancel();
  assert.equal(await within(pending), { done: true, value: undefined });
  assert.equal(await pipe.writer.write('x'), { isCompleted: true, isCanceled: false });

  const pipe2 = new Pipe();
  const stream2 = pipe2.reader.asStream({ leaveOpen: true });
  const reader2 = stream2.getReader();
  const pending2 = reader2.read();
  await turns(1);
  await reader2.cancel();
  await within(pending2);
  await turns(1);
  // The pipe's reader is free again: nothing was lost or completed.
  await pipe2.writer.write('still here');
  const r = await within(pipe2.reader.read());
  assert.is(r.buffer.toString(), 'still here');
  pipe2.reader.advanceTo(r.buffer.end);

  // Cancelled with nothing pending: the reader is not touched.
  const stream3 = pipe2.reader.asStream({ leaveOpen: true });
  await stream3.cancel();
  await pipe2.writer.write('!');
  const r2 = await within(pipe2.reader.read());
  assert.is(r2.isCanceled, false);
  assert.is(r2.buffer.toString(), '!');
  pipe2.reader.advanceTo(r2.buffer.end);
});

t('cancel(reason) completes the reader with that reason: the writer’s flush rejects with it', async () => {
  const pipe = new Pipe();
  await pipe.reader.asStream().cancel(new Boom('not interested'));
  await rejects(() => pipe.writer.write('x'), Boom, /not interested/);
});

t('a writer error reaches the stream after the bytes before it, and completes the reader', async () => {
  const pipe = piped([bytes('part one'), bytes(' and two')], { error: new Boom('writer failed') });
  const reader = pipe.reader.asStream().getReader();
  const got: Uint8Array[] = [];
  const e = await rejects(async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got.push(value);
    }
  }, Boom, /writer failed/);
  assert.ok(e);
  assert.is(new TextDecoder().decode(concat(got)), 'part one and two');
  await rejects(() => pipe.reader.read(), InvalidOperationError);
});

t('a cancelPendingRead() from elsewhere does not end the stream', async () => {
  const pipe = new Pipe();
  const reader = pipe.reader.asStream().getReader();
  const p = reader.read();
  await turns(1);
  pipe.reader.cancelPendingRead();
  await turns(1);
  assert.ok(await isPending(p));
  await pipe.writer.write('after');
  assert.is(new TextDecoder().decode((await within(p)).value), 'after');
});

t('interop: new Response(reader.asStream()) and pipeTo()', async () => {
  const { data, chunks } = randomChunks(100_000, 74);
  const body = await new Response(PipeReader.create(chunks).asStream()).arrayBuffer();
  equalBytes(new Uint8Array(body), data);
});

t('without a global ReadableStream: a TypeError that says how to provide one', async () => {
  const g = globalThis as { ReadableStream?: unknown };
  const saved = g.ReadableStream;
  g.ReadableStream = undefined;
  try {
    await rejects(() => new Pipe().reader.asStream(), TypeError, /needs a global ReadableStream.*web-streams-polyfill/);
  } finally {
    g.ReadableStream = saved;
  }
});

t.run();
