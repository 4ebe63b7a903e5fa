/**
 * Bounded memory over the Node adapters, on the library's own counters: 1 GiB from a fast Node Readable,
 * a Unix socket, a (sparse) file through `fs.createReadStream` and `openFile`, and 1 GiB into a slow
 * Node Writable through `PipeWriter.create` — each stays within its bound plus one chunk; a hoarding
 * reader is stopped by `maxBufferedBytes`. The universal kinds are in test/reliability/memory.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, createReadStream, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { BufferLimitError, BufferPool, Pipe, PipeReader, PipeWriter, openFile, toNodeReadable } from '../../src/node.js';
import { produce, within } from '../helpers.js';
import { coreOf, peaks } from '../reliability/memory-kit.js';

const t = suite('reliability: bounded memory (Node)');
const GiB = 1 << 30;
const CHUNK = 65536;
const KEEP = 10_000;
const chunk = new Uint8Array(CHUNK);
const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-mem-'));
const sparse = join(dir, 'sparse-1gib.bin');
const report: string[] = [];

t.before(() => {
  // A sparse file: 1 GiB to read, nothing written to disk.
  const fd = openSync(sparse, 'w');
  ftruncateSync(fd, GiB);
  closeSync(fd);
});

t.after(() => {
  rmSync(dir, { recursive: true, force: true });
  if (process.env.MEMORY_REPORT) console.log(`\n${report.join('\n')}`);
});

/** A Readable that pushes as fast as Node lets it: until push() returns false, every read() call. */
function fastReadable(total: number): Readable {
  let sent = 0;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      while (sent < total) {
        sent += CHUNK;
        if (!this.push(chunk)) return;
      }
      this.push(null);
    },
  });
}

t('Node Readable: 1 GiB from a fast push source keeps buffered ≤ unconsumed + one chunk, the stream paused', async () => {
  const stream = fastReadable(GiB);
  let streamPeak = 0;
  const reader = PipeReader.create(stream);
  const peak = await within(peaks(reader, { keep: KEEP }, () => stream.readableLength), 60_000);
  streamPeak = peak.extra;
  assert.is(peak.total, GiB);
  assert.ok(peak.buffered <= KEEP + CHUNK, `buffered peaked at ${peak.buffered}`);
  // The stream's own queue stays at its highWaterMark: the adapter keeps it paused.
  assert.ok(streamPeak <= 2 * CHUNK, `the stream buffered ${streamPeak}`);
  report.push(`Node Readable 1 GiB: peak buffered ${peak.buffered} (bound ${KEEP} + ${CHUNK}), stream readableLength peak ${streamPeak}`);
});

t('Unix socket: 1 GiB from a fast writer keeps buffered ≤ unconsumed + one chunk', async () => {
  const path = join(dir, 'mem.sock');
  const server: Server = createServer((s) => {
    void (async () => {
      for (let n = 0; n < GiB; n += CHUNK) if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
      s.end();
    })();
  });
  await new Promise<void>((r) => server.listen(path, r));
  try {
    const socket: Socket = createConnection(path);
    const peak = await within(peaks(PipeReader.create(socket), { keep: KEEP }), 60_000);
    assert.is(peak.total, GiB);
    // One chunk is what the socket hands over at once: 64 KiB on Node and Deno, up to 233,152 bytes on Bun 1.4.5.
    assert.ok(peak.segment <= 4 * CHUNK, `chunks of ${peak.segment}`);
    assert.ok(peak.buffered <= KEEP + peak.segment, `buffered peaked at ${peak.buffered} > ${KEEP} + ${peak.segment}`);
    report.push(`Unix socket 1 GiB: peak buffered ${peak.buffered} (bound ${KEEP} + largest chunk ${peak.segment})`);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

t('fs.createReadStream: a 1 GiB file keeps buffered ≤ unconsumed + one chunk (highWaterMark)', async () => {
  const peak = await within(peaks(PipeReader.create(createReadStream(sparse)), { keep: KEEP }), 60_000);
  assert.is(peak.total, GiB);
  assert.ok(peak.buffered <= KEEP + CHUNK, `buffered peaked at ${peak.buffered}`);
  report.push(`fs.createReadStream 1 GiB: peak buffered ${peak.buffered} (bound ${KEEP} + ${CHUNK})`);
});

t('openFile: a 1 GiB file keeps buffered ≤ unconsumed + one read, rentedBytes ≤ three blocks, pool whole after', async () => {
  const pool = new BufferPool();
  const readSize = 1 << 20;
  const peak = await within(peaks(openFile(sparse, { pool, readSize }), { keep: KEEP }, () => pool.rentedBytes), 60_000);
  assert.is(peak.total, GiB);
  assert.ok(peak.buffered <= KEEP + readSize, `buffered peaked at ${peak.buffered}`);
  // Rented: the buffered bytes span two blocks at most, plus the one block openFile reads ahead.
  assert.ok(peak.extra <= 3 * readSize, `rentedBytes peaked at ${peak.extra}`);
  assert.is(pool.rentedBytes, 0);
  report.push(`openFile 1 GiB: peak buffered ${peak.buffered} (bound ${KEEP} + ${readSize}), peak rentedBytes ${peak.extra}`);
});

t('PipeWriter.create(slow Node Writable): 1 GiB keeps rentedBytes ≤ the sink highWaterMark + one block, pool whole after', async () => {
  const pool = new BufferPool();
  let held = 0;
  let heldPeak = 0;
  let rentedPeak = 0;
  const sink = new Writable({
    highWaterMark: CHUNK,
    write(c: Buffer, _e, cb) {
      held += c.length;
      heldPeak = Math.max(heldPeak, held);
      // Slow: the sink holds each chunk until the next turn of the event loop.
      setImmediate(() => {
        held -= c.length;
        cb();
      });
    },
  });
  const writer = PipeWriter.create(sink, { pool });
  const written = await within(produce(writer, GiB, CHUNK, () => {
    rentedPeak = Math.max(rentedPeak, pool.rentedBytes);
  }), 60_000);
  assert.is(written, GiB);
  assert.ok(rentedPeak <= 2 * CHUNK, `rentedBytes peaked at ${rentedPeak}`);
  assert.ok(heldPeak <= 2 * CHUNK, `the sink held ${heldPeak}`);
  assert.is(pool.rentedBytes, 0);
  report.push(`PipeWriter.create(Node Writable) 1 GiB: peak rentedBytes ${rentedPeak}, sink held at most ${heldPeak}`);
});

t('Pipe → toNodeReadable(): 1 GiB to a slow consumer keeps the pipe within its bound and the stream at its highWaterMark', async () => {
  const pool = new BufferPool();
  const pause = 65536;
  const pipe = new Pipe({ pool, pauseWriterThreshold: pause });
  const core = coreOf(pipe.reader);
  const producer = produce(pipe.writer, GiB, CHUNK);
  const stream = toNodeReadable(pipe.reader, { highWaterMark: CHUNK });
  let total = 0;
  let buffered = 0;
  let streamPeak = 0;
  await within((async () => {
    let n = 0;
    for await (const c of stream) {
      total += (c as Buffer).length;
      buffered = Math.max(buffered, core.buffered);
      streamPeak = Math.max(streamPeak, stream.readableLength);
      if (++n % 256 === 0) await new Promise((r) => setImmediate(r));
    }
  })(), 60_000, '1 GiB through toNodeReadable()');
  await producer;
  assert.is(total, GiB);
  assert.ok(buffered <= pause + CHUNK, `buffered peaked at ${buffered}`);
  assert.ok(streamPeak <= 2 * CHUNK + pause, `the stream buffered ${streamPeak}`);
  assert.is(pool.rentedBytes, 0);
  report.push(`Pipe → toNodeReadable() 1 GiB: peak buffered ${buffered}, stream readableLength peak ${streamPeak}`);
});

for (const [name, make] of [
  ['Node Readable', () => PipeReader.create(fastReadable(GiB), { maxBufferedBytes: 1 << 20 })],
  ['openFile', () => openFile(sparse, { maxBufferedBytes: 1 << 20, readSize: CHUNK })],
] as [string, () => PipeReader][]) {
  t(`${name} with maxBufferedBytes: a reader that examines everything and never consumes gets BufferLimitError`, async () => {
    const reader = make();
    const core = coreOf(reader);
    let error: unknown;
    await within((async () => {
      for (;;) {
        const r = await reader.read();
        reader.advanceTo(r.buffer.start, r.buffer.end);
      }
    })().catch((e: unknown) => (error = e)));
    assert.instance(error, BufferLimitError);
    assert.ok(core.buffered <= (1 << 20) + CHUNK, `buffered ${core.buffered}`);
    await reader.complete();
  });
}

t.run();
