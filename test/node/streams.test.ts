/**
 * toNodeReadable, toNodeWritable, toNodeDuplex: pipe readers and writers as real Node streams.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable, Writable, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import zlib from 'node:zlib';
import {
  InvalidOperationError, Pipe, PipeReader, createDuplexPipePair, toNodeDuplex, toNodeReadable, toNodeWritable,
} from '../../src/node.js';
import { bytes, concat, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, randomChunks, readAll, turns } from '../adapters/kit.js';

const t = suite('node/streams');

/** A Writable keeping copies of what it gets, optionally slow. */
function collector(options: { slow?: boolean; highWaterMark?: number } = {}) {
  const got: Uint8Array[] = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk: Buffer, _e, cb) {
      got.push(Uint8Array.prototype.slice.call(chunk));
      if (options.slow) setTimeout(cb, 0);
      else cb();
    },
  });
  return { stream, bytes: () => concat(got) };
}

/** Resolves on 'close' (events.once would reject on the 'error' before it). */
function closed(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

async function feed(pipe: Pipe, chunks: readonly Uint8Array[], error?: unknown): Promise<void> {
  for (const c of chunks) {
    const r = await pipe.writer.write(c);
    if (r.isCompleted) return;
  }
  await pipe.writer.complete(error);
}

t('stream.pipeline(toNodeReadable(reader), gzip, gunzip, sink) round-trips, from a Pipe and from a source', async () => {
  for (const [name, open] of [
    ['Pipe', (chunks: Uint8Array[]) => {
      const pipe = new Pipe({ pauseWriterThreshold: 16384 });
      void feed(pipe, chunks);
      return pipe.reader;
    }],
    ['PipeReader.create', (chunks: Uint8Array[]) => PipeReader.create(chunks)],
  ] as const) {
    const { data, chunks } = randomChunks(300_000, 131, 9000);
    const sink = collector();
    await within(pipeline(toNodeReadable(open(chunks)), zlib.createGzip(), zlib.createGunzip(), sink.stream), 5000);
    equalBytes(sink.bytes(), data, name);
  }
});

t('toNodeReadable honours highWaterMark: a slow consumer holds the pipe’s writer back', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 4096 });
  const readable = toNodeReadable(pipe.reader, { highWaterMark: 8192 });
  readable.pause();
  readable.read(0); // start reading the pipe
  let written = 0;
  let blocked: Promise<unknown> | null = null;
  for (let i = 0; i < 100; i++) {
    const f = pipe.writer.write(new Uint8Array(1024));
    if (await isPending(f)) {
      blocked = f;
      break;
    }
    written += 1024;
  }
  assert.ok(blocked !== null, 'the writer was paused');
  assert.ok(readable.readableLength <= 8192 + 4096, `the stream buffered ${readable.readableLength}`);
  assert.ok(written <= 8192 + 4096 + 1024, `${written} bytes went in before the writer paused`);
  // Reading the stream lets the writer go on.
  readable.resume();
  await within(blocked!);
  await pipe.writer.complete();
  await once(readable, 'end');
});

t('the end of toNodeReadable completes the reader; destroy(err) completes it with err; leaveOpen does neither', async () => {
  const pipe = new Pipe();
  void feed(pipe, [bytes('abc')]);
  const got: Buffer[] = [];
  for await (const c of toNodeReadable(pipe.reader)) got.push(c as Buffer);
  assert.is(Buffer.concat(got).toString(), 'abc');
  await rejects(() => pipe.reader.read(), InvalidOperationError, /after the reader completed/);

  const pipe2 = new Pipe();
  const r2 = toNodeReadable(pipe2.reader);
  r2.on('error', () => {});
  r2.resume();
  await turns(1);
  r2.destroy(new Boom('consumer failed'));
  await closed(r2);
  await rejects(() => pipe2.writer.write('x'), Boom, /consumer failed/);

  const pipe3 = new Pipe();
  const r3 = toNodeReadable(pipe3.reader);
  r3.destroy();
  await closed(r3);
  assert.equal(await pipe3.writer.write('x'), { isCompleted: true, isCanceled: false });

  const pipe4 = new Pipe();
  const r4 = toNodeReadable(pipe4.reader, { leaveOpen: true });
  r4.resume();
  await turns(1); // a read of the pipe is pending now
  r4.destroy();
  await closed(r4);
  await turns(1);
  await pipe4.writer.write('the reader is still usable');
  const r = await within(pipe4.reader.read());
  assert.is(r.buffer.toString(), 'the reader is still usable');
  assert.is(r.isCanceled, false);
  pipe4.reader.advanceTo(r.buffer.end);

  const pipe5 = new Pipe();
  void feed(pipe5, [bytes('xyz')]);
  const r5 = toNodeReadable(pipe5.reader, { leaveOpen: true });
  r5.resume();
  await once(r5, 'end');
  const after = await pipe5.reader.read();
  assert.is(after.isCompleted, true, 'not completed by the stream');
  pipe5.reader.advanceTo(after.buffer.end);
});

t('a reader error destroys toNodeReadable with it (after the bytes before it); pipeline rejects', async () => {
  const pipe = new Pipe();
  void feed(pipe, [bytes('part '), bytes('one')], new Boom('writer failed'));
  const sink = collector();
  await rejects(() => pipeline(toNodeReadable(pipe.reader), sink.stream), Boom, /writer failed/);
  assert.is(new TextDecoder().decode(sink.bytes()), 'part one');
});

t('stream.pipeline(source, toNodeWritable(writer)) delivers every byte; the end completes the writer', async () => {
  const { data, chunks } = randomChunks(300_000, 132, 9000);
  const pipe = new Pipe({ pauseWriterThreshold: 8192 });
  const received = readAll(pipe.reader);
  await within(pipeline(Readable.from(chunks), toNodeWritable(pipe.writer)), 5000);
  equalBytes(await within(received), data);
});

t('toNodeWritable: write() returns false while the pipe is paused; corked writes go in one flush', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 1024 });
  const writable = toNodeWritable(pipe.writer, { highWaterMark: 2048 });
  let ok = true;
  let n = 0;
  while (ok && n < 100) {
    ok = writable.write(new Uint8Array(512));
    n++;
  }
  assert.is(ok, false, 'backpressure reached the Node stream');
  const drained = once(writable, 'drain');
  const consumer = readAll(pipe.reader);
  await within(drained);
  writable.cork();
  writable.write('a');
  writable.write('b');
  writable.write('c');
  writable.uncork();
  writable.end();
  const all = await within(consumer);
  assert.is(all.length, n * 512 + 3);
  assert.is(new TextDecoder().decode(all.subarray(n * 512)), 'abc');
});

t('toNodeWritable: destroy(err) completes the writer with err; a completed reader fails writes; leaveOpen', async () => {
  const pipe = new Pipe();
  const w = toNodeWritable(pipe.writer);
  w.on('error', () => {});
  w.write('before');
  await turns(1);
  w.destroy(new Boom('producer failed'));
  await closed(w);
  const r = await pipe.reader.read();
  assert.is(r.buffer.toString(), 'before');
  pipe.reader.advanceTo(r.buffer.end);
  await rejects(() => pipe.reader.read(), Boom, /producer failed/);

  const pipe2 = new Pipe();
  await pipe2.reader.complete();
  const w2 = toNodeWritable(pipe2.writer);
  w2.write('x');
  const [error] = (await once(w2, 'error').catch((e: unknown) => [e])) as [unknown];
  assert.instance(error, InvalidOperationError);

  const pipe3 = new Pipe();
  const w3 = toNodeWritable(pipe3.writer, { leaveOpen: true });
  w3.end('first');
  await once(w3, 'finish');
  await pipe3.writer.write(' second');
  await pipe3.writer.complete();
  assert.is(new TextDecoder().decode(await readAll(pipe3.reader)), 'first second');

  // leaveOpen with a flush held up by backpressure: destroy() cancels it so the writer is free again.
  const pipe4 = new Pipe({ pauseWriterThreshold: 4 });
  const w4 = toNodeWritable(pipe4.writer, { leaveOpen: true });
  w4.on('error', () => {});
  w4.write('more than four');
  await turns(1);
  w4.destroy();
  await closed(w4);
  const r4 = await pipe4.reader.read();
  pipe4.reader.advanceTo(r4.buffer.end);
  assert.equal(await within(pipe4.writer.write('!')), { isCompleted: false, isCanceled: false });

  // A write after the writer completed fails in the stream.
  const pipe5 = new Pipe();
  const w5 = toNodeWritable(pipe5.writer);
  await pipe5.writer.complete();
  w5.write('late');
  const [late] = (await once(w5, 'error').catch((e: unknown) => [e])) as [unknown];
  assert.instance(late, InvalidOperationError);
});

t('toNodeDuplex over a duplex pipe pair: both directions, end() half-closes, destroy completes both', async () => {
  const [a, b] = createDuplexPipePair();
  const duplex = toNodeDuplex(a);
  const there = randomChunks(100_000, 133);
  const back = randomChunks(80_000, 134);
  const received = readAll(b.input);
  for (const c of there.chunks) if (!duplex.write(c)) await once(duplex, 'drain');
  duplex.end(); // a.output completes: b sees the end
  equalBytes(await within(received), there.data);
  const got: Buffer[] = [];
  duplex.on('data', (c: Buffer) => got.push(c));
  const ended = once(duplex, 'end');
  for (const c of back.chunks) await b.output.write(c);
  await b.output.complete();
  await within(ended);
  equalBytes(new Uint8Array(Buffer.concat(got)), back.data);

  const [c, d] = createDuplexPipePair();
  const duplex2 = toNodeDuplex(c, { readableHighWaterMark: 1024, writableHighWaterMark: 1024 });
  duplex2.on('error', () => {});
  duplex2.destroy(new Boom('fatal'));
  await closed(duplex2);
  await rejects(() => d.output.write('x'), Boom, /fatal/);
  await rejects(() => d.input.read(), Boom, /fatal/);

  const [e, f] = createDuplexPipePair();
  const kept = toNodeDuplex(e, { leaveOpen: true });
  kept.destroy();
  await closed(kept);
  await e.output.write('still usable');
  const r = await within(f.input.read());
  assert.is(r.buffer.toString(), 'still usable');
  f.input.advanceTo(r.buffer.end);
});

t('a signal destroys the Node streams', async () => {
  const ac = new AbortController();
  const pipe = new Pipe();
  const readable = toNodeReadable(pipe.reader, { signal: ac.signal });
  const writable = toNodeWritable(new Pipe().writer, { signal: ac.signal });
  const duplex = toNodeDuplex(createDuplexPipePair()[0], { signal: ac.signal });
  for (const s of [readable, writable, duplex]) s.on('error', () => {});
  ac.abort();
  await Promise.all([closed(readable), closed(writable), closed(duplex)]);
  assert.ok(readable.destroyed && writable.destroyed && duplex.destroyed);
  const e = (await pipe.writer.write('x').catch((error: unknown) => error)) as Error;
  assert.is(e.name, 'AbortError', 'the reader was completed with the abort error');
});

t('PassThrough interop: toNodeReadable(PipeReader.create(passThrough))', async () => {
  const pass = new PassThrough();
  const { data, chunks } = randomChunks(50_000, 135);
  void (async () => {
    for (const c of chunks) if (!pass.write(c)) await once(pass, 'drain');
    pass.end();
  })();
  const sink = collector({ slow: true, highWaterMark: 1024 });
  await within(pipeline(toNodeReadable(PipeReader.create(pass)), sink.stream), 5000);
  equalBytes(sink.bytes(), data);
});

t.run();
