/**
 * reader.copyTo(destination) into Node Writables.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pipe, PipeReader } from '../../src/node.js';
import { bytes, concat, equalBytes, rejects, within } from '../helpers.js';
import { Boom, randomChunks, readAll, turns } from './kit.js';

const t = suite('adapters/copy (Node)');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'io-pipelines-copy-'));

function collector(options: { highWaterMark?: number; slow?: boolean; failAt?: number } = {}) {
  const copies: Uint8Array[] = [];
  let n = 0;
  let maxBuffered = 0;
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16384,
    write(chunk: Buffer, _e, cb) {
      const i = n++;
      maxBuffered = Math.max(maxBuffered, stream.writableLength);
      const done = () => {
        if (i === options.failAt) return cb(new Boom(`destination failed at ${i}`));
        copies.push(Uint8Array.prototype.slice.call(chunk));
        cb();
      };
      if (options.slow) setTimeout(done, 0);
      else done();
    },
  });
  return { stream, bytes: () => concat(copies), maxBuffered: () => maxBuffered };
}

function pipeOf(chunks: readonly Uint8Array[]): PipeReader {
  const pipe = new Pipe({ pauseWriterThreshold: 16384 });
  void (async () => {
    for (const c of chunks) await pipe.writer.write(c);
    await pipe.writer.complete();
  })();
  return pipe.reader;
}

t('copyTo(Node Writable) round-trips from a Pipe and from a source reader, honouring drain', async () => {
  for (const [name, make] of [['Pipe', pipeOf], ['source', (c: readonly Uint8Array[]) => PipeReader.create([...c])]] as const) {
    const { data, chunks } = randomChunks(300_000, 101, 9000);
    const sink = collector({ slow: true, highWaterMark: 8192 });
    const reader = make(chunks);
    await within(reader.copyTo(sink.stream), 5000);
    equalBytes(sink.bytes(), data, name);
    // Backpressure: the copy waited for 'drain' before reading on, so at most one read's bytes were
    // queued beyond the highWaterMark.
    assert.ok(sink.maxBuffered() <= 8192 + 16384 + 9000, `${name}: ${sink.maxBuffered()} bytes were queued in the sink`);
    assert.is(sink.stream.writableEnded, false, 'the destination was not ended');
    await reader.complete();
  }
});

t('copyTo(fs.WriteStream)', async () => {
  const { data, chunks } = randomChunks(500_000, 102, 30_000);
  const file = path.join(tmp, 'copy.bin');
  const sink = fs.createWriteStream(file);
  await within(PipeReader.create(chunks).copyTo(sink));
  sink.end();
  await new Promise((r) => sink.on('finish', r));
  equalBytes(new Uint8Array(fs.readFileSync(file)), data);
});

t('a destination error rejects the copy; a destroyed or ended destination is refused', async () => {
  const { chunks } = randomChunks(200_000, 103, 1000);
  const failing = collector({ failAt: 5, slow: true });
  await rejects(() => PipeReader.create(chunks).copyTo(failing.stream), Boom, /destination failed at 5/);
  assert.is(failing.stream.listenerCount('error'), 0, 'copyTo removed its listeners');

  const destroyed = collector();
  destroyed.stream.destroy();
  await rejects(() => PipeReader.create(chunks).copyTo(destroyed.stream), Error, /has ended/);

  const errored = collector();
  errored.stream.on('error', () => {});
  errored.stream.destroy(new Boom('was broken'));
  await rejects(() => PipeReader.create(chunks).copyTo(errored.stream), Boom, /was broken/);

  // Closed by someone else in the middle of the copy.
  const closing = collector({ slow: true, highWaterMark: 100 });
  const copy = PipeReader.create(chunks).copyTo(closing.stream);
  await turns(3);
  closing.stream.destroy();
  await rejects(() => copy, Error, /was closed/);
});

t('a failure while a read was pending leaves those bytes in the reader', async () => {
  const sink = collector({ highWaterMark: 1 << 20 });
  const pipe = new Pipe();
  await pipe.writer.write('first ');
  const copy = pipe.reader.copyTo(sink.stream);
  await turns(2);
  sink.stream.destroy(new Boom('gone'));
  sink.stream.on('error', () => {});
  await pipe.writer.write('second');
  await rejects(() => copy, Boom, /gone/);
  const r = await pipe.reader.read();
  assert.is(r.buffer.toString(), 'second', 'the read after the failure was not written and not consumed');
  pipe.reader.advanceTo(r.buffer.end);
  assert.is(new TextDecoder().decode(sink.bytes()), 'first ');
});

t('an abort stops the copy; the reader is advanced past exactly what was handed to the destination', async () => {
  const { data, chunks } = randomChunks(300_000, 104, 3000);
  const reader = PipeReader.create(chunks);
  const sink = collector({ slow: true, highWaterMark: 4096 });
  const ac = new AbortController();
  const copy = reader.copyTo(sink.stream, { signal: ac.signal });
  await turns(5);
  ac.abort(new Boom('enough'));
  await rejects(() => copy, Boom, /enough/);
  sink.stream.end();
  await new Promise((r) => sink.stream.on('finish', r));
  const rest = await readAll(reader);
  assert.ok(sink.bytes().length > 0 && rest.length > 0);
  equalBytes(concat([sink.bytes(), rest]), data);
});

t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
t.run();
