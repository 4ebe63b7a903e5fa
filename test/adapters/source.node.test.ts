/**
 * PipeReader.create() over Node sources: Readable, PassThrough, Readable.from, net.Socket over loopback,
 * fs.ReadStream.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable, PassThrough } from 'node:stream';
import { once } from 'node:events';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipeReader } from '../../src/node.js';
import { bytes, concat, equalBytes, rejects, within } from '../helpers.js';
import { Boom, coreOf, randomChunks, randomSizes, readAll, sameMemory, turns } from './kit.js';

const t = suite('adapters/source (Node)');

/** A Readable that pushes `chunks` as it is read, then ends (or is destroyed with `fail`). */
function readableOf(chunks: readonly Uint8Array[], fail?: Error, highWaterMark?: number): Readable {
  let i = 0;
  return new Readable({
    highWaterMark,
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else if (fail !== undefined) this.destroy(fail);
      else this.push(null);
    },
  });
}

async function loopback(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** A socket receiving `chunks`, written by a loopback server in those sizes, then ended. */
async function socketReceiving(chunks: readonly Uint8Array[]): Promise<{ socket: net.Socket; close(): void }> {
  const { server, port } = await loopback();
  server.once('connection', async (peer: net.Socket) => {
    for (const c of chunks) if (!peer.write(c)) await once(peer, 'drain');
    peer.end();
  });
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return { socket, close: () => server.close() };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'io-pipelines-source-'));

interface Kind {
  name: string;
  open(chunks: readonly Uint8Array[], data: Uint8Array, seed: number): Promise<{ source: Readable; close?(): void }>;
}

const kinds: Kind[] = [
  { name: 'Readable', open: async (chunks) => ({ source: readableOf(chunks) }) },
  { name: 'Readable.from (objectMode)', open: async (chunks) => ({ source: Readable.from(chunks) }) },
  {
    name: 'PassThrough written in random sizes',
    open: async (chunks) => {
      const pass = new PassThrough();
      void (async () => {
        for (const c of chunks) if (!pass.write(c)) await once(pass, 'drain');
        pass.end();
      })();
      return { source: pass };
    },
  },
  {
    name: 'net.Socket over loopback',
    open: async (chunks) => {
      const { socket, close } = await socketReceiving(chunks);
      return { source: socket, close };
    },
  },
  {
    name: 'fs.ReadStream',
    open: async (_chunks, data, seed) => {
      const file = path.join(tmp, `data-${seed}.bin`);
      fs.writeFileSync(file, data);
      return { source: fs.createReadStream(file, { highWaterMark: randomSizes(1, 70_000, seed)[0]! }) };
    },
  },
];

for (const kind of kinds) {
  t(`${kind.name}: random data in random chunk sizes round-trips byte for byte`, async () => {
    for (const [length, seed] of [[0, 11], [1, 12], [100_000, 13], [300_001, 14]] as const) {
      const { data, chunks } = randomChunks(length, seed);
      const { source, close } = await kind.open(chunks, data, seed);
      const reader = PipeReader.create(source);
      equalBytes(await within(readAll(reader, seed), 5000), data, `${kind.name}, ${length} bytes`);
      await reader.complete();
      close?.();
    }
  });
}

t('zero copy: each pushed chunk is a segment as it is, also when several wait in the stream', async () => {
  const { chunks } = randomChunks(40_000, 21);
  // All pushed up front: several chunks wait in the stream's buffer at once (paused-mode read() would
  // concatenate them into a new Buffer).
  const source = new Readable({ read() {} });
  for (const c of chunks) source.push(c);
  source.push(null);
  const reader = PipeReader.create(source);
  const views: Uint8Array[] = [];
  for (;;) {
    const r = await within(reader.read());
    views.push(...r.buffer);
    reader.advanceTo(r.buffer.end);
    if (r.isCompleted) break;
  }
  assert.is(views.length, chunks.length);
  views.forEach((v, i) => sameMemory(v, chunks[i]!, `segment ${i}`));
  await reader.complete();
});

t('leaveOpen false: complete() destroys the stream', async () => {
  const source = readableOf([bytes('abc'), bytes('def')]);
  const reader = PipeReader.create(source);
  const r = await reader.read();
  reader.advanceTo(r.buffer.end);
  await reader.complete();
  assert.is(source.destroyed, true);
  await once(source, 'close');
  source.emit('error', new Boom('late error')); // still handled: no uncaught exception
});

t('leaveOpen true: the stream stays usable and gets the unconsumed bytes back, in order', async () => {
  const source = new Readable({ read() {} });
  source.push(bytes('abc'));
  const reader = PipeReader.create(source, { leaveOpen: true });
  const r = await within(reader.read());
  assert.is(r.buffer.toString(), 'abc');
  reader.advanceTo(r.buffer.getPosition(1), r.buffer.end); // consumed 'a'
  source.push(bytes('def'));
  source.push(null);
  const r2 = await within(reader.read());
  assert.is(r2.buffer.toString(), 'bcdef');
  reader.advanceTo(r2.buffer.getPosition(2), r2.buffer.end); // consumed 'bc'
  await reader.complete();
  assert.is(source.destroyed, false);
  assert.is(source.readableFlowing, false, 'left paused');
  assert.is(source.listenerCount('data'), 0);
  assert.is(source.listenerCount('error'), 0);
  const rest: Buffer[] = [];
  source.on('data', (c: Buffer) => rest.push(c));
  source.resume();
  await once(source, 'end');
  assert.is(Buffer.concat(rest).toString(), 'def');
});

t('leaveOpen true with a result not yet advanced: all of it goes back', async () => {
  const source = new Readable({ read() {} });
  source.push(bytes('xyz'));
  const reader = PipeReader.create(source, { leaveOpen: true });
  await within(reader.read()); // not advanced
  await reader.complete();
  source.push(null);
  const rest: Buffer[] = [];
  for await (const c of source) rest.push(c as Buffer);
  assert.is(Buffer.concat(rest).toString(), 'xyz');
});

t('leaveOpen true after the end: nothing to give back', async () => {
  const source = readableOf([bytes('a')]);
  const reader = PipeReader.create(source, { leaveOpen: true });
  const r = await readAll(reader);
  assert.is(new TextDecoder().decode(r), 'a');
  await reader.complete();
});

t('an error mid-stream is read after every byte before it', async () => {
  const { data, chunks } = randomChunks(50_000, 31);
  const reader = PipeReader.create(readableOf(chunks, new Boom('disk on fire')));
  const got: Uint8Array[] = [];
  const error = await rejects(async () => {
    for (;;) {
      const r = await within(reader.read());
      got.push(r.buffer.toUint8Array().slice());
      reader.advanceTo(r.buffer.end);
    }
  }, Boom, /disk on fire/);
  assert.ok(error);
  equalBytes(concat(got), data);
  await reader.complete();
});

t('a stream destroyed without an error fails the read as a premature close', async () => {
  const source = new Readable({ read() {} });
  source.push(bytes('part'));
  const reader = PipeReader.create(source);
  const r = await reader.read();
  assert.is(r.buffer.toString(), 'part');
  reader.advanceTo(r.buffer.end);
  source.destroy();
  const e = (await rejects(() => reader.read(), Error, /premature close/)) as { code?: string };
  assert.is(e.code, 'ERR_STREAM_PREMATURE_CLOSE');
  await reader.complete();
});

t("a stream that says 'end' after it was destroyed (Bun's sockets do) fails as a premature close", async () => {
  const source = new Readable({ read() {} });
  const reader = PipeReader.create(source);
  const pending = reader.read();
  source.destroy();
  source.emit('end');
  await rejects(() => pending, Error, /premature close/);
  await reader.complete();
});

t('a stream that already ended, failed or was destroyed', async () => {
  const ended = readableOf([]);
  ended.resume();
  await once(ended, 'end');
  const r1 = PipeReader.create(ended);
  const res = await within(r1.read());
  assert.is(res.isCompleted, true);
  assert.is(res.buffer.length, 0);
  r1.advanceTo(res.buffer.end);
  await r1.complete();

  const failed = new Readable({ read() {} });
  failed.on('error', () => {});
  failed.destroy(new Boom('was broken'));
  await rejects(() => PipeReader.create(failed).read(), Boom, /was broken/);

  const destroyed = new Readable({ read() {} });
  destroyed.destroy();
  await rejects(() => PipeReader.create(destroyed).read(), Error, /premature close/);
});

t('text and object chunks are a TypeError from read(), after the bytes before them', async () => {
  const text = new PassThrough();
  text.setEncoding('utf8');
  text.end('hello');
  await rejects(() => PipeReader.create(text).read(), TypeError, /yielded string, not a Uint8Array.*setEncoding/);

  const objects = Readable.from([bytes('ok'), { not: 'bytes' }]);
  const reader = PipeReader.create(objects);
  const r = await within(reader.read());
  assert.is(r.buffer.toString(), 'ok');
  reader.advanceTo(r.buffer.end);
  await rejects(() => reader.read(), TypeError, /yielded Object/);
  await reader.complete();
});

t('cancelPendingRead() and abort while the stream read is pending lose no byte', async () => {
  const source = new Readable({ read() {} });
  const reader = PipeReader.create(source);
  const p = reader.read();
  await turns(1);
  reader.cancelPendingRead();
  const r = await within(p);
  assert.is(r.isCanceled, true);
  reader.advanceTo(r.buffer.end);

  const ac = new AbortController();
  const p2 = reader.read({ signal: ac.signal });
  ac.abort();
  await rejects(() => p2, DOMException, /aborted/);
  source.push(bytes('both kept'));
  await turns(1);
  const r2 = await within(reader.read());
  assert.is(r2.buffer.toString(), 'both kept');
  reader.advanceTo(r2.buffer.end);
  await reader.complete();
});

t('a chunk that arrives while no read waits is kept, and the stream pauses: one chunk beyond, no more', async () => {
  const source = new Readable({ read() {} });
  const reader = PipeReader.create(source);
  const ac = new AbortController();
  const p = reader.read({ signal: ac.signal });
  await turns(1);
  ac.abort();
  await rejects(() => p, DOMException);
  source.push(bytes('first')); // the chunk of the source read that was asked for: kept
  source.push(bytes('second'));
  await turns(1);
  assert.is(coreOf(reader).buffered, 5);
  assert.is(source.readableFlowing, false, 'paused: nobody is waiting');
  assert.is(source.readableLength, 6, 'the next chunk waits in the stream');
  const r = await within(reader.read());
  assert.is(r.buffer.toString(), 'first');
  reader.advanceTo(r.buffer.end);
  const r2 = await within(reader.read());
  assert.is(r2.buffer.toString(), 'second');
  reader.advanceTo(r2.buffer.end);
  await reader.complete();
});

t('backpressure: an always-ready Readable stays bounded by its highWaterMark and one chunk', async () => {
  const CHUNK = 1024;
  let produced = 0;
  const source = new Readable({
    highWaterMark: 4 * CHUNK,
    read() {
      produced++;
      this.push(new Uint8Array(CHUNK));
    },
  });
  const reader = PipeReader.create(source);
  let left = 0;
  let consumed = 0;
  for (let i = 0; i < 80; i++) {
    const r = await within(reader.read());
    assert.ok(r.buffer.length <= left + CHUNK, `read ${i}: ${r.buffer.length} buffered, ${left} left unconsumed`);
    assert.is(coreOf(reader).buffered, r.buffer.length);
    assert.ok(source.readableLength <= 4 * CHUNK, `the stream's own buffer: ${source.readableLength}`);
    const take = Math.min(r.buffer.length, 300);
    consumed += take;
    reader.advanceTo(r.buffer.getPosition(take), r.buffer.end);
    left = r.buffer.length - take;
    await turns(3);
  }
  // Produced: what the reader holds (consumed + left, at most a chunk over) plus the stream's buffer.
  assert.ok(produced * CHUNK <= consumed + left + CHUNK + 4 * CHUNK + CHUNK, `produced ${produced} chunks`);
  await reader.complete();
});

t('a socket source: leaveOpen false destroys the socket on complete()', async () => {
  const { socket, close } = await socketReceiving([bytes('hello')]);
  const reader = PipeReader.create(socket);
  const r = await within(reader.read());
  assert.ok(r.buffer.length > 0);
  reader.advanceTo(r.buffer.end);
  await reader.complete();
  assert.is(socket.destroyed, true);
  close();
});

t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
t.run();
