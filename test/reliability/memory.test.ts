/**
 * Bounded memory, asserted on the library's own counters (the core's `buffered`, a private pool's
 * `rentedBytes`): a fast producer and a slow consumer over 1 GiB of logical data (one reused chunk, or
 * pipe memory advanced without filling, so generating it costs nothing) stay within the configured bound
 * plus one segment; and a reader that examines everything but never consumes is stopped by
 * `maxBufferedBytes`. Universal: Pipe, Iterable, AsyncIterable, WHATWG streams; Node kinds are in
 * test/node/reliability-memory.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReadableStream as PolyfillReadableStream, WritableStream as PolyfillWritableStream } from 'web-streams-polyfill';
import {
  BufferLimitError, BufferPool, LineTooLongError, Pipe, PipeReader, PipeWriter, frames, lineSequences, lines, type PipeSink, type PipeSource,
} from '../../src/index.js';
import { produce, rejects, within } from '../helpers.js';
import { coreOf, peaks } from './memory-kit.js';

const t = suite('reliability: bounded memory');
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
/** The peaks seen, printed with MEMORY_REPORT=1 (for the docs). */
const report: string[] = [];
t.after(() => {
  if (env.MEMORY_REPORT) console.log(`\n${report.join('\n')}`);
});
const GiB = 1 << 30;
const CHUNK = 65536;

t('Pipe: 1 GiB from a fast writer to a slow reader keeps buffered ≤ pauseWriterThreshold + one segment, pool whole after', async () => {
  const pool = new BufferPool();
  const pause = 65536;
  const pipe = new Pipe({ pool, pauseWriterThreshold: pause });
  const producer = produce(pipe.writer, GiB, CHUNK);
  // Slow: takes at most 24,000 bytes per read (a third of what the writer flushes), examined = consumed.
  const peak = await within(peaks(pipe.reader, { take: 24_000 }, () => pool.rentedBytes), 60_000, '1 GiB through a Pipe');
  await producer;
  assert.is(peak.total, GiB, 'every byte arrived');
  report.push(`Pipe 1 GiB: peak buffered ${peak.buffered}, peak rentedBytes ${peak.extra} (bound ${pause} + ${CHUNK})`);
  assert.ok(peak.buffered <= pause + CHUNK, `buffered peaked at ${peak.buffered} > ${pause} + ${CHUNK}`);
  // Rented: the buffered bytes span at most one partly consumed segment plus the ones the bound allows.
  assert.ok(peak.extra <= pause + 2 * CHUNK, `rentedBytes peaked at ${peak.extra}`);
  assert.is(pool.rentedBytes, 0, 'all memory back in the pool');
});

/** One chunk, reused `GiB / CHUNK` times: 1 GiB of logical data at no cost. */
const chunk = new Uint8Array(CHUNK);
const count = GiB / CHUNK;
const sources: [string, () => PipeSource][] = [
  ['Iterable', () => (function* () { for (let i = 0; i < count; i++) yield chunk; })()],
  ['AsyncIterable', () => (async function* () { for (let i = 0; i < count; i++) yield chunk; })()],
  ['ReadableStream (native)', () => pulled(ReadableStream)],
  ['ReadableStream (web-streams-polyfill)', () => pulled(PolyfillReadableStream as unknown as typeof ReadableStream)],
  [
    'ReadableStream (eager, high highWaterMark)',
    () => {
      // A fast producer that pushes ahead on its own: the stream's queue fills to its highWaterMark, the
      // adapter still holds no more than one chunk beyond what the reader left.
      let i = 0;
      return new ReadableStream<Uint8Array>({ pull: (c) => void (i++ < count ? c.enqueue(chunk) : c.close()) }, { highWaterMark: 64 });
    },
  ],
];

function pulled(Ctor: typeof ReadableStream): PipeSource {
  let i = 0;
  return new Ctor<Uint8Array>({ pull: (c) => void (i++ < count ? c.enqueue(chunk) : c.close()) }, { highWaterMark: 0 }) as PipeSource;
}

for (const [name, make] of sources) {
  t(`PipeReader.create(${name}): 1 GiB to a slow reader keeps buffered ≤ what it left unconsumed + one chunk`, async () => {
    const reader = PipeReader.create(make());
    // Slow: leaves up to 10,000 bytes unconsumed each time, examines everything.
    const keep = 10_000;
    const peak = await within(peaks(reader, { keep }), 60_000, `1 GiB through ${name}`);
    assert.is(peak.total, GiB);
    report.push(`${name} 1 GiB: peak buffered ${peak.buffered} (bound ${keep} + ${CHUNK})`);
    assert.ok(peak.buffered <= keep + CHUNK, `buffered peaked at ${peak.buffered} > ${keep} + ${CHUNK}`);
  });
}

for (const [name, Ctor] of [
  ['native', WritableStream],
  ['web-streams-polyfill', PolyfillWritableStream as unknown as typeof WritableStream],
] as const) {
  t(`PipeWriter.create(slow WritableStream, ${name}): 1 GiB keeps rentedBytes ≤ highWaterMark + one block, pool whole after`, async () => {
    const pool = new BufferPool();
    let held = 0;
    let heldPeak = 0;
    let writes = 0;
    const sink = new Ctor<Uint8Array>(
      {
        async write(c) {
          held += c.length;
          heldPeak = Math.max(heldPeak, held);
          // Slow: every write takes a few turns, every 256th a macrotask.
          if (++writes % 256 === 0) await new Promise((r) => setTimeout(r, 0));
          else for (let i = 0; i < 4; i++) await Promise.resolve();
          held -= c.length;
        },
      },
      { highWaterMark: CHUNK, size: (c: Uint8Array) => c.byteLength },
    );
    const writer = PipeWriter.create(sink as PipeSink, { pool });
    let rentedPeak = 0;
    const written = await within(produce(writer, GiB, CHUNK, () => {
      rentedPeak = Math.max(rentedPeak, pool.rentedBytes);
    }), 60_000, `1 GiB into a ${name} WritableStream`);
    assert.is(written, GiB);
    assert.ok(rentedPeak <= 2 * CHUNK, `rentedBytes peaked at ${rentedPeak}`);
    assert.is(pool.rentedBytes, 0);
    report.push(`PipeWriter.create(WritableStream ${name}) 1 GiB: peak rentedBytes ${rentedPeak}, sink held at most ${heldPeak}`);
  });
}

t('Pipe → reader.asStream(): 1 GiB to a slow stream consumer keeps the pipe within its bound, pool whole after', async () => {
  const pool = new BufferPool();
  const pause = 65536;
  const pipe = new Pipe({ pool, pauseWriterThreshold: pause });
  const core = coreOf(pipe.reader);
  const producer = produce(pipe.writer, GiB, CHUNK);
  const stream = pipe.reader.asStream().getReader();
  let total = 0;
  let buffered = 0;
  let rented = 0;
  await within((async () => {
    for (let n = 1; ; n++) {
      const { value, done } = await stream.read();
      if (done) break;
      total += value.length;
      buffered = Math.max(buffered, core.buffered);
      rented = Math.max(rented, pool.rentedBytes);
      if (n % 256 === 0) await new Promise((r) => setTimeout(r, 0));
    }
  })(), 60_000, '1 GiB through asStream()');
  await producer;
  assert.is(total, GiB);
  assert.ok(buffered <= pause + CHUNK, `buffered peaked at ${buffered}`);
  assert.ok(rented <= pause + 2 * CHUNK, `rentedBytes peaked at ${rented}`);
  assert.is(pool.rentedBytes, 0);
  report.push(`Pipe → asStream() 1 GiB: peak buffered ${buffered}, peak rentedBytes ${rented}`);
});

// ------------------------------------------------------------------ examined everything, consumed nothing

/** Reads, examining everything and consuming nothing, until read() rejects; returns that rejection. */
async function hoard(reader: PipeReader): Promise<unknown> {
  for (;;) {
    let result;
    try {
      result = await reader.read();
    } catch (error) {
      return error;
    }
    if (result.isCompleted) return undefined;
    reader.advanceTo(result.buffer.start, result.buffer.end);
  }
}

t('Pipe: a reader that never consumes is stopped by maxBufferedBytes; the writer then sees isCompleted', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, maxBufferedBytes: 1 << 20, pauseWriterThreshold: 65536 });
  const core = coreOf(pipe.reader);
  let flushes = 0;
  const producer = (async () => {
    for (;;) {
      pipe.writer.getMemory(CHUNK);
      pipe.writer.advance(CHUNK);
      flushes++;
      if ((await pipe.writer.flush()).isCompleted) return true;
    }
  })();
  const error = await within(hoard(pipe.reader), 10_000, 'hoarding reader');
  assert.instance(error, BufferLimitError);
  assert.match((error as Error).message, /over maxBufferedBytes \(1048576\)\. The reader examined the data without consuming it/);
  assert.is((error as BufferLimitError).limit, 1 << 20);
  assert.is((error as BufferLimitError).code, 'ERR_BUFFER_LIMIT');
  assert.ok(core.buffered <= (1 << 20) + CHUNK, `buffered ${core.buffered}`);
  report.push(`Pipe maxBufferedBytes 1 MiB: stopped at buffered ${core.buffered} after ${flushes} flushes`);
  assert.ok(await within(producer), 'the writer saw isCompleted and stopped');
  assert.ok(flushes <= (1 << 20) / CHUNK + 2, `the writer stopped at once (${flushes} flushes)`);
  await pipe.reader.complete();
  await pipe.writer.complete();
  assert.is(pool.rentedBytes, 0);
});

for (const [name, make] of sources) {
  t(`PipeReader.create(${name}, { maxBufferedBytes }): a reader that never consumes gets BufferLimitError`, async () => {
    const reader = PipeReader.create(make(), { maxBufferedBytes: 1 << 20 });
    const core = coreOf(reader);
    const error = await within(hoard(reader), 10_000, 'hoarding reader');
    assert.instance(error, BufferLimitError);
    assert.ok(core.buffered <= (1 << 20) + CHUNK, `buffered ${core.buffered}`);
    report.push(`${name} maxBufferedBytes 1 MiB: stopped at buffered ${core.buffered}`);
    await reader.complete();
  });
}

t('lines(): a line that never ends stops at maxLineLength (LineTooLongError), nothing beyond it is buffered', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, pauseWriterThreshold: 65536 });
  let peak = 0;
  const producer = (async () => {
    for (;;) {
      const m = pipe.writer.getMemory(CHUNK);
      m.fill(0x61, 0, CHUNK);
      pipe.writer.advance(CHUNK);
      peak = Math.max(peak, pool.rentedBytes);
      if ((await pipe.writer.flush()).isCompleted) return;
    }
  })();
  const error = await rejects(async () => {
    for await (const _ of lines(pipe.reader)) assert.unreachable('no line ends');
  }, LineTooLongError, /longer than maxLineLength \(1048576 bytes\)/);
  assert.is((error as LineTooLongError).offset, 0);
  await within(producer, 5000, 'the writer sees the reader completed');
  assert.ok(peak <= (1 << 20) + 65536 + 2 * CHUNK, `rented peaked at ${peak}`);
  report.push(`lines() endless line: LineTooLongError at 1 MiB, peak rentedBytes ${peak}`);
  await pipe.writer.complete();
  assert.is(pool.rentedBytes, 0);
});

t('lines(): the default 16 MiB buffer limit is raised to maxLineLength + 2, so a legal 20 MiB line passes', async () => {
  const big = 20 << 20;
  const piece = new Uint8Array(1 << 20).fill(0x62);
  const source = (async function* () {
    for (let n = 0; n < big; n += piece.length) yield piece;
    yield Uint8Array.of(0x0d, 0x0a);
  })();
  let n = 0;
  let length = 0;
  for await (const line of lines(source, { maxLineLength: big })) {
    n++;
    length = line.length;
  }
  assert.is(n, 1);
  assert.is(length, big);
});

t('lines() skipping an endless line consumes as it goes: a 4 KiB maxBufferedBytes is never hit', async () => {
  // onLongLine 'skip' needs no buffering: the reader (with its own small limit) must never fill up.
  const controller = new AbortController();
  const reason = new Error('enough');
  let yielded = 0;
  const source = (async function* () {
    for (;;) {
      if ((yielded += CHUNK) > 64 << 20) controller.abort(reason);
      yield chunk;
    }
  })();
  const reader = PipeReader.create(source, { maxBufferedBytes: 4096 + CHUNK });
  const seen: string[] = [];
  const error = await rejects(async () => {
    for await (const line of lines(reader, { onLongLine: 'skip', maxLineLength: 1000, signal: controller.signal })) seen.push(line);
  }, Error);
  assert.is(error, reason, 'ended by the abort, not by a BufferLimitError');
  assert.equal(seen, []);
  assert.ok(yielded > 64 << 20);
});

t('lines() over a stream source stopped by its buffer limit cancels the stream: the producer learns', async () => {
  let cancelled: unknown = null;
  const stream = new ReadableStream<Uint8Array>({
    // One chunk larger than the limit (max(maxBufferedBytes, maxLineLength + 2) = 4096).
    pull: (c) => c.enqueue(new Uint8Array(CHUNK).fill(0x61)),
    cancel: (reason) => void (cancelled = reason ?? 'cancelled'),
  });
  await rejects(async () => {
    for await (const _ of lines(stream, { maxBufferedBytes: 4096, maxLineLength: 100, onLongLine: 'skip' }));
  }, BufferLimitError, /over maxBufferedBytes \(4096\)/);
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(cancelled !== null, 'the stream was cancelled');
});

/** `message` `times` times over, in chunks of at most CHUNK bytes (views, no copy). */
function* repeatInChunks(message: Uint8Array, times: number): Generator<Uint8Array> {
  for (let k = 0; k < times; k++) for (let o = 0; o < message.length; o += CHUNK) yield message.subarray(o, o + CHUNK);
}

t('frames() and lines(): buffering is bounded by one message (maxFrameSize / maxLineLength) plus one chunk', async () => {
  // 64 frames of 1 MiB (and then 64 lines of 1 MiB) arriving in 64 KiB chunks.
  const MiB = 1 << 20;
  const frame = new Uint8Array(4 + MiB);
  frame.set([0, 0x10, 0, 0]); // 1 MiB, big-endian
  const reader = PipeReader.create(repeatInChunks(frame, 64));
  const core = coreOf(reader);
  let peak = 0;
  let n = 0;
  for await (const payload of frames(reader, { maxFrameSize: MiB })) {
    n++;
    peak = Math.max(peak, core.buffered);
    assert.is(payload.length, MiB);
  }
  assert.is(n, 64);
  assert.ok(peak <= 4 + MiB + CHUNK, `frames: buffered peaked at ${peak}`);
  report.push(`frames() 64 × 1 MiB in 64 KiB chunks: peak buffered ${peak} (bound 4 + ${MiB} + ${CHUNK})`);

  const line = new Uint8Array(MiB).fill(0x61);
  line[MiB - 1] = 0x0a;
  const lineReader = PipeReader.create(repeatInChunks(line, 64));
  const lineCore = coreOf(lineReader);
  let linePeak = 0;
  let lineCount = 0;
  for await (const l of lineSequences(lineReader, { maxLineLength: MiB })) {
    lineCount++;
    linePeak = Math.max(linePeak, lineCore.buffered);
    assert.is(l.length, MiB - 1);
  }
  assert.is(lineCount, 64);
  assert.ok(linePeak <= MiB + CHUNK, `lines: buffered peaked at ${linePeak}`);
  report.push(`lineSequences() 64 × 1 MiB lines in 64 KiB chunks: peak buffered ${linePeak} (bound ${MiB} + ${CHUNK})`);
});

t.run();
