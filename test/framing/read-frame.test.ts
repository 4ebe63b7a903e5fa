import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BufferLimitError, FrameTooLargeError, InvalidOperationError, Pipe, ReadOnlySequence, TruncatedFrameError, frames, readFrame, writeFrame,
  type FrameOptions, type FrameSource, type PipeReader,
} from '../../src/index.js';
import { bytes, chunked, concat, equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';

const t = suite('readFrame and frames');

/** The wire form of `payloads` under `options`, built by hand (not by writeFrame). */
function encode(payloads: Uint8Array[], options: FrameOptions = {}): Uint8Array {
  const n = options.lengthBytes ?? 4;
  const parts: Uint8Array[] = [];
  for (const p of payloads) {
    const header = new Uint8Array(n);
    for (let k = 0; k < n; k++) header[k] = (p.length >>> (8 * (options.littleEndian ? k : n - 1 - k))) & 0xff;
    parts.push(header, p);
  }
  return concat(parts);
}

/** A pipe whose writer sends `chunks` (one flush each), then completes. */
function feed(chunks: Uint8Array[], pipe = new Pipe({ pauseWriterThreshold: 0 })): Pipe {
  void (async () => {
    for (const c of chunks) await pipe.writer.write(c);
    await pipe.writer.complete();
  })();
  return pipe;
}

async function collectFrames(reader: FrameSource, options?: FrameOptions): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const frame of frames(reader, options)) out.push(frame.toUint8Array().slice());
  return out;
}

async function collectReadFrame(reader: PipeReader, options?: FrameOptions): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let f; (f = await readFrame(reader, options)) !== null; ) out.push(f.toUint8Array());
  return out;
}

const payloads = [bytes('alpha'), new Uint8Array(0), randomBytes(300, 7), bytes('z')];

t('readFrame round-trips every prefix layout', async () => {
  for (const lengthBytes of [1, 2, 4] as const) {
    for (const littleEndian of [false, true]) {
      const options = { lengthBytes, littleEndian };
      const small = lengthBytes === 1 ? payloads.filter((p) => p.length < 256) : payloads;
      const pipe = new Pipe({ pauseWriterThreshold: 0 });
      for (const p of small) await writeFrame(pipe.writer, p, options);
      await pipe.writer.complete();
      const got = await within(collectReadFrame(pipe.reader, options));
      assert.is(got.length, small.length);
      got.forEach((g, i) => equalBytes(g, small[i]!, `${lengthBytes}/${littleEndian} frame ${i}`));
    }
  }
});

t('frames split at every byte boundary arrive whole, in order', async () => {
  const wire = encode(payloads);
  for (let cut = 0; cut <= wire.length; cut++) {
    const chunks = [wire.subarray(0, cut), wire.subarray(cut)];
    const viaIterator = await within(collectFrames(feed(chunks).reader));
    const viaRead = await within(collectReadFrame(feed(chunks).reader));
    for (const got of [viaIterator, viaRead]) {
      assert.is(got.length, payloads.length, `cut at ${cut}`);
      got.forEach((g, i) => equalBytes(g, payloads[i]!, `cut at ${cut}, frame ${i}`));
    }
  }
});

t('one byte at a time, with a 2-byte little-endian prefix', async () => {
  const options = { lengthBytes: 2, littleEndian: true } as const;
  const wire = encode(payloads, options);
  const ones = Array.from(wire, (b) => Uint8Array.of(b));
  const got = await within(collectFrames(feed(ones).reader, options));
  got.forEach((g, i) => equalBytes(g, payloads[i]!));
  const again = await within(collectReadFrame(feed(ones).reader, options));
  again.forEach((g, i) => equalBytes(g, payloads[i]!));
});

t('readFrame owns its bytes: a frame stays valid after later reads', async () => {
  const pipe = feed([encode([bytes('first'), bytes('second')])]);
  const first = (await readFrame(pipe.reader))!;
  const second = (await readFrame(pipe.reader))!;
  assert.is(await readFrame(pipe.reader), null);
  await pipe.reader.complete();
  assert.is(first.toString(), 'first');
  assert.is(second.toString(), 'second');
});

t('frames yields zero-copy slices that expire at the next step', async () => {
  const pipe = feed([encode([bytes('one')]), encode([bytes('two')])]);
  let previous: ReadOnlySequence | undefined;
  const seen: string[] = [];
  for await (const frame of frames(pipe.reader)) {
    if (previous !== undefined) assert.throws(() => previous!.toString(), (e: unknown) => e instanceof InvalidOperationError);
    seen.push(frame.toString());
    previous = frame;
  }
  assert.equal(seen, ['one', 'two']);
});

t('frames: breaking out of the loop completes the reader', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, 'a');
  await writeFrame(pipe.writer, 'b');
  for await (const frame of frames(pipe.reader)) {
    assert.is(frame.toString(), 'a');
    break;
  }
  assert.is((await pipe.writer.write('more')).isCompleted, true);
});

t('frames: an exception in the loop body completes the reader', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, 'a');
  await rejects(async () => {
    for await (const _ of frames(pipe.reader)) throw new Error('boom');
  }, Error, /boom/);
  assert.is((await pipe.writer.write('more')).isCompleted, true);
});

t('the input ending inside a payload is a TruncatedFrameError', async () => {
  const wire = encode([bytes('whole'), bytes('partial')]);
  const cut = wire.subarray(0, wire.length - 3);
  const got: string[] = [];
  const error = (await rejects(async () => {
    for await (const f of frames(feed([cut]).reader)) got.push(f.toString());
  }, TruncatedFrameError, /8 of 11 bytes arrived/)) as TruncatedFrameError;
  assert.equal(got, ['whole']);
  assert.is(error.received, 8);
  assert.is(error.expected, 11);
  assert.is(error.code, 'ERR_TRUNCATED_FRAME');

  const reader = feed([cut]).reader;
  assert.is((await readFrame(reader))!.toString(), 'whole');
  await rejects(() => readFrame(reader), TruncatedFrameError, /8 of 11 bytes arrived/);
  assert.is(await readFrame(reader), null, 'the partial frame was discarded');
});

t('the input ending inside a header is a TruncatedFrameError of unknown size', async () => {
  const err = (await rejects(() => collectFrames(feed([bytes([0, 0])]).reader), TruncatedFrameError, /2 of an unknown number of bytes/)) as TruncatedFrameError;
  assert.is(err.expected, undefined);
  await rejects(() => readFrame(feed([bytes([0])]).reader), TruncatedFrameError, /1 of an unknown number/);
});

t('a header over maxFrameSize fails before the payload is buffered', async () => {
  // Only the header is ever written: the error cannot have waited for the payload.
  const pipe = new Pipe();
  await pipe.writer.write(bytes([0, 0, 0x10, 0]));
  await rejects(() => within(readFrame(pipe.reader, { maxFrameSize: 1024 })), FrameTooLargeError, /4096 bytes exceeds maxFrameSize \(1024 bytes\)/);

  const other = new Pipe();
  await other.writer.write(encode([bytes('ok')]));
  await other.writer.write(bytes([0xff, 0xff, 0xff, 0xff]));
  const seen: string[] = [];
  const error = (await rejects(async () => {
    for await (const f of frames(other.reader, { maxFrameSize: 100 })) seen.push(f.toString());
  }, FrameTooLargeError)) as FrameTooLargeError;
  assert.equal(seen, ['ok']);
  assert.is(error.size, 0xffffffff);
  assert.is(error.limit, 100);
  // The reader was completed with the error: the writer learns why.
  await rejects(() => other.writer.write('x'), FrameTooLargeError);
});

t('the default maxFrameSize is 16 MiB', async () => {
  const pipe = new Pipe();
  await pipe.writer.write(bytes([0x01, 0x00, 0x00, 0x01]));
  await rejects(() => readFrame(pipe.reader), FrameTooLargeError, /16777217 bytes exceeds maxFrameSize \(16777216 bytes\)/);
});

t('a frame larger than the pause threshold does not deadlock', async () => {
  const big = randomBytes(1 << 20, 5);
  for (const read of [
    async (r: PipeReader) => (await readFrame(r))!.toUint8Array(),
    async (r: PipeReader) => {
      for await (const f of frames(r)) return f.toUint8Array().slice();
      throw new Error('no frame');
    },
  ]) {
    const pipe = new Pipe({ pauseWriterThreshold: 4096, resumeWriterThreshold: 2048 });
    const writing = (async () => {
      for (let i = 0; i < big.length; i += 1000) {
        const n = Math.min(1000, big.length - i);
        if (i === 0) await pipe.writer.write(bytes([0, 0x10, 0, 0]));
        await pipe.writer.write(big.subarray(i, i + n));
      }
    })();
    equalBytes(await within(read(pipe.reader), 5000), big);
    await within(writing);
  }
});

t('cancelPendingRead ends readFrame with null and keeps the partial frame', async () => {
  const pipe = new Pipe();
  const wire = encode([bytes('later')]);
  await pipe.writer.write(wire.subarray(0, 6));
  const pending = readFrame(pipe.reader);
  assert.ok(await isPending(pending));
  pipe.reader.cancelPendingRead();
  assert.is(await within(pending), null);
  await pipe.writer.write(wire.subarray(6));
  assert.is((await within(readFrame(pipe.reader)))!.toString(), 'later');
});

t('cancelPendingRead ends the frames loop and completes the reader', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, 'first');
  const seen: string[] = [];
  const loop = (async () => {
    for await (const f of frames(pipe.reader)) {
      seen.push(f.toString());
      setTimeout(() => pipe.reader.cancelPendingRead(), 0);
    }
  })();
  await within(loop);
  assert.equal(seen, ['first']);
  assert.is((await pipe.writer.write('x')).isCompleted, true);
});

t('an aborted signal rejects the wait with its reason', async () => {
  const pipe = new Pipe();
  const controller = new AbortController();
  const pending = readFrame(pipe.reader, { signal: controller.signal });
  controller.abort();
  const e = (await rejects(() => within(pending), DOMException)) as DOMException;
  assert.is(e.name, 'AbortError');

  const other = new Pipe();
  const reason = new Error('stop');
  const loop = collectFrames(other.reader, { signal: AbortSignal.abort(reason) });
  await rejects(() => within(loop), Error, /stop/);
  assert.is((await other.writer.write('x')).isCompleted, true, 'the loop ended and completed the reader');
});

t('frames reads any source PipeReader.create takes', async () => {
  const wire = encode(payloads);
  const sources: [string, () => unknown][] = [
    ['Uint8Array', () => wire],
    ['ReadOnlySequence', () => ReadOnlySequence.from(...chunked(wire, [3, 1, 7]))],
    ['Iterable', () => chunked(wire, [5])],
    ['AsyncIterable', () => (async function* () { yield* chunked(wire, [2, 9]); })()],
    ['ReadableStream', () => new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunked(wire, [4, 13])) c.enqueue(chunk.slice());
        c.close();
      },
    })],
  ];
  for (const [kind, make] of sources) {
    const got = await within(collectFrames(make() as never));
    assert.is(got.length, payloads.length, kind);
    got.forEach((g, i) => equalBytes(g, payloads[i]!, `${kind} frame ${i}`));
  }
});

t('frames over a stream: maxBufferedBytes bounds the reader, but a legal frame always fits', async () => {
  const big = randomBytes(1000, 2);
  const wire = encode([big, bytes('next')]);
  // Asked for 1 byte, the limit is still maxFrameSize + prefix: byte-sized chunks of a 1000-byte frame pass.
  const ones = (async function* () { yield* chunked(wire, [1]); })();
  const got = await within(collectFrames(ones, { maxFrameSize: 1000, maxBufferedBytes: 1 }));
  equalBytes(got[0]!, big);
  assert.is(new TextDecoder().decode(got[1]!), 'next');
  // A source that hands over far more than the limit while a frame is incomplete is stopped.
  const flood = (async function* () {
    yield wire.subarray(0, 10);
    yield new Uint8Array(5000);
  })();
  await rejects(() => collectFrames(flood, { maxFrameSize: 1000, maxBufferedBytes: 1 }), BufferLimitError, /over maxBufferedBytes \(1004\)/);
  assert.throws(() => frames(wire, { maxBufferedBytes: 0 }), /maxBufferedBytes must be a positive integer, got 0/);
});

t('bad options are a RangeError at once', async () => {
  const pipe = new Pipe();
  await rejects(() => readFrame(pipe.reader, { lengthBytes: 8 as never }), RangeError, /readFrame\(\): lengthBytes must be 1, 2 or 4/);
  assert.throws(() => frames(pipe.reader, { maxFrameSize: 1.5 }), /frames\(\): maxFrameSize must be a non-negative integer/);
});

t.run();
