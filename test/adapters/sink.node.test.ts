/**
 * PipeWriter.create() over Node sinks: Writable, net.Socket over loopback, fs.WriteStream.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough, Writable } from 'node:stream';
import { getEventListeners, once } from 'node:events';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BufferPool, PipeWriter } from '../../src/node.js';
import { bytes, concat, equalBytes, isPending, rejects, within } from '../helpers.js';
import { Boom, randomChunks, randomSizes, turns } from './kit.js';

const t = suite('adapters/sink (Node)');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'io-pipelines-sink-'));

interface Collector {
  stream: Writable;
  /** Copies of the chunks, taken when each arrived. */
  got: Uint8Array[];
  /** Write callbacks not called yet (manual mode). */
  held: (() => void)[];
}

/**
 * A Writable that keeps every chunk it is given and, when it calls back, checks the chunk still holds
 * the bytes it arrived with: memory reused before the callback would show here.
 */
function collector(options: { highWaterMark?: number; slow?: boolean; manual?: boolean; failAt?: number } = {}): Collector {
  const c: Collector = { stream: undefined as never, got: [], held: [] };
  let n = 0;
  c.stream = new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      const copy = Uint8Array.prototype.slice.call(chunk);
      const index = n++;
      const done = (): void => {
        equalBytes(chunk, copy, `chunk ${index} changed while the sink held it`);
        if (index === options.failAt) {
          callback(new Boom(`write ${index} failed`));
          return;
        }
        c.got.push(copy);
        callback();
      };
      if (options.manual) c.held.push(done);
      else if (options.slow) setTimeout(done, index % 3);
      else done();
    },
  });
  return c;
}

async function loopback(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port };
}

interface Kind {
  name: string;
  /** A sink, and a promise of every byte it received once it finished. */
  open(seed: number): Promise<{ sink: Writable; received: () => Promise<Uint8Array> }>;
}

const kinds: Kind[] = [
  {
    name: 'Writable (slow, keeps every chunk)',
    open: async (seed) => {
      const c = collector({ slow: true, highWaterMark: 1 + randomSizes(1, 40_000, seed)[0]! });
      return { sink: c.stream, received: async () => concat(c.got) };
    },
  },
  {
    name: 'net.Socket over loopback',
    open: async () => {
      const { server, port } = await loopback();
      const got: Buffer[] = [];
      const received = new Promise<Uint8Array>((resolve) => {
        server.once('connection', (peer: net.Socket) => {
          peer.on('data', (d: Buffer) => got.push(d));
          peer.on('end', () => {
            server.close();
            resolve(Buffer.concat(got));
          });
        });
      });
      const socket = net.connect(port, '127.0.0.1');
      await once(socket, 'connect');
      return { sink: socket, received: () => received };
    },
  },
  {
    name: 'fs.WriteStream',
    open: async (seed) => {
      const file = path.join(tmp, `out-${seed}.bin`);
      return { sink: fs.createWriteStream(file), received: async () => new Uint8Array(fs.readFileSync(file)) };
    },
  },
];

for (const kind of kinds) {
  t(`${kind.name}: random data in random chunk sizes round-trips byte for byte, all memory returned`, async () => {
    for (const [length, seed] of [[0, 61], [1, 62], [100_000, 63], [400_000, 64]] as const) {
      const { data, chunks } = randomChunks(length, seed, 20_000);
      const { sink, received } = await kind.open(seed);
      const pool = new BufferPool();
      const writer = PipeWriter.create(sink, { pool, reuseMemory: seed % 2 === 0 });
      const coin = randomSizes(chunks.length, 3, seed);
      for (let i = 0; i < chunks.length; i++) {
        if (coin[i] === 1) {
          await writer.write(chunks[i]!);
        } else {
          const m = writer.getMemory(chunks[i]!.length);
          m.set(chunks[i]!);
          writer.advance(chunks[i]!.length);
          if (coin[i] === 2) await writer.flush();
        }
      }
      await within(writer.complete(), 5000); // ends the sink: resolves once it finished
      assert.is(sink.writableFinished, true);
      equalBytes(await within(received()), data, `${kind.name}, ${length} bytes`);
      assert.is(pool.rentedBytes, 0);
    }
  });
}

t('default: a PassThrough read long after the writes (it keeps the chunks themselves) gets every byte intact', async () => {
  const { data, chunks } = randomChunks(300_000, 65, 5000);
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  const writer = PipeWriter.create(pass);
  for (const c of chunks) {
    await writer.write(c);
    await new Promise((r) => setImmediate(r)); // lets the PassThrough call back: its write is "done"
  }
  await writer.complete();
  const got: Buffer[] = [];
  for await (const c of pass) got.push(c as Buffer);
  equalBytes(new Uint8Array(Buffer.concat(got)), data);
});

t("flush() waits for 'drain' when write() returned false", async () => {
  const c = collector({ manual: true, highWaterMark: 10 });
  const writer = PipeWriter.create(c.stream);
  assert.equal(await within(writer.write(bytes('small'))), { isCompleted: false, isCanceled: false });
  const f = writer.write(bytes('this one crosses the highWaterMark'));
  assert.ok(await isPending(f));
  while (c.held.length > 0) c.held.shift()!();
  assert.equal(await within(f), { isCompleted: false, isCanceled: false });
  const done = writer.complete();
  while (c.held.length > 0 || !c.stream.writableFinished) {
    c.held.shift()?.();
    await turns(1);
  }
  await within(done);
});

t('reuseMemory: pooled memory goes back only after the write callback', async () => {
  const pool = new BufferPool();
  const c = collector({ manual: true, highWaterMark: 1 << 20 });
  const writer = PipeWriter.create(c.stream, { pool, reuseMemory: true });
  await writer.write(new Uint8Array(5000).fill(1)); // an 8 KiB block
  const w2 = writer.getMemory(8000); // does not fit the rest: a new block; the first one is retired
  w2.fill(2);
  writer.advance(8000);
  await writer.flush();
  assert.is(pool.rentedBytes, 8192 * 2, 'both blocks are held: the sink has views of them');
  c.held.shift()!(); // the first write's callback
  await turns(1);
  assert.is(pool.rentedBytes, 8192, 'the first block came back once the sink was done with it');
  const done = writer.complete();
  c.held.shift()!();
  await within(done);
  assert.is(pool.rentedBytes, 0);
  equalBytes(concat(c.got), concat([new Uint8Array(5000).fill(1), new Uint8Array(8000).fill(2)]));
});

t('a sink error rejects the pending and later flushes; complete() still returns all memory', async () => {
  const pool = new BufferPool();
  const c = collector({ failAt: 1, slow: true, highWaterMark: 4 });
  const writer = PipeWriter.create(c.stream, { pool, reuseMemory: true });
  await writer.write(bytes('fine'));
  await rejects(async () => {
    for (let i = 0; i < 20; i++) {
      await writer.write(bytes(`more ${i}`));
      await turns(1);
    }
  }, Boom, /write 1 failed/);
  await rejects(() => writer.write(bytes('after')), Boom, /write 1 failed/);
  await within(writer.complete());
  assert.is(pool.rentedBytes, 0);
  assert.is(new TextDecoder().decode(concat(c.got)), 'fine');
});

t('complete() ends the sink; complete(error) destroys it with the error; leaveOpen leaves it alone', async () => {
  const ended = collector();
  const w1 = PipeWriter.create(ended.stream);
  await w1.write(bytes('x'));
  await w1.complete();
  assert.is(ended.stream.writableFinished, true);

  const destroyed = collector();
  const errors: unknown[] = [];
  destroyed.stream.on('error', (e) => errors.push(e));
  const w2 = PipeWriter.create(destroyed.stream);
  await w2.complete(new Boom('producer failed'));
  await new Promise((r) => destroyed.stream.on('close', r));
  assert.is(destroyed.stream.destroyed, true);
  assert.instance(errors[0], Boom);

  const nonError = collector();
  const w2b = PipeWriter.create(nonError.stream);
  nonError.stream.on('error', (e) => errors.push(e));
  await w2b.complete('a string reason');
  await new Promise((r) => nonError.stream.on('close', r));
  assert.match(String((errors[1] as Error).message), /a string reason/);

  const open = collector();
  const w3 = PipeWriter.create(open.stream, { leaveOpen: true });
  await w3.write(bytes('kept open'));
  await w3.complete();
  assert.is(open.stream.writableEnded, false);
  assert.is(open.stream.listenerCount('drain'), 0);
  assert.is(open.stream.listenerCount('error'), 0);
  open.stream.end('!');
  await once(open.stream, 'finish');
  assert.is(new TextDecoder().decode(concat(open.got)), 'kept open!');

  const open2 = collector();
  const w4 = PipeWriter.create(open2.stream, { leaveOpen: true });
  await w4.complete(new Boom('not the sink’s business'));
  assert.is(open2.stream.destroyed, false);
});

t('a sink destroyed by someone else: flushes report isCompleted and drop their bytes', async () => {
  const c = collector();
  const writer = PipeWriter.create(c.stream);
  await writer.write(bytes('a'));
  c.stream.destroy();
  await once(c.stream, 'close');
  assert.equal(await writer.write(bytes('b')), { isCompleted: true, isCanceled: false });
  assert.equal(await writer.flush(), { isCompleted: true, isCanceled: false });
  await within(writer.complete());

  // Destroyed a moment ago: its 'close' event is still on its way, the next flush knows already.
  const c2 = collector();
  const w1 = PipeWriter.create(c2.stream);
  c2.stream.destroy();
  assert.equal(await w1.write(bytes('b')), { isCompleted: true, isCanceled: false });
  await w1.complete();

  // Already ended or destroyed when the writer is created.
  const gone = collector();
  gone.stream.end();
  const w2 = PipeWriter.create(gone.stream);
  assert.equal(await w2.write(bytes('x')), { isCompleted: true, isCanceled: false });
  await w2.complete();

  const failed = collector();
  failed.stream.on('error', () => {});
  failed.stream.destroy(new Boom('already broken'));
  const w3 = PipeWriter.create(failed.stream);
  await rejects(() => w3.write(bytes('x')), Boom, /already broken/);
  await w3.complete();
});

t('a waiting flush: the sink closing resolves it isCompleted; the sink failing rejects it', async () => {
  const c = collector({ manual: true, highWaterMark: 1 });
  const writer = PipeWriter.create(c.stream);
  const f = writer.write(bytes('stuck'));
  assert.ok(await isPending(f));
  c.stream.destroy();
  assert.equal(await within(f), { isCompleted: true, isCanceled: false });
  await writer.complete();

  const c2 = collector({ manual: true, highWaterMark: 1 });
  c2.stream.on('error', () => {});
  const w2 = PipeWriter.create(c2.stream);
  const f2 = w2.write(bytes('stuck'));
  assert.ok(await isPending(f2));
  c2.stream.destroy(new Boom('broke while we waited'));
  await rejects(() => f2, Boom, /broke while we waited/);
  await w2.complete();
});

t('a flush that waited with a signal leaves no listener on it (a long-lived signal does not collect them)', async () => {
  const c = collector({ manual: true, highWaterMark: 1 });
  const writer = PipeWriter.create(c.stream);
  const ac = new AbortController();
  for (const word of ['one', 'two', 'three']) {
    const f = writer.write(bytes(word), { signal: ac.signal });
    assert.ok(await isPending(f), 'the sink holds the write: the flush waits for drain');
    assert.is(getEventListeners(ac.signal, 'abort').length, 1);
    c.held.shift()!();
    assert.equal(await within(f), { isCompleted: false, isCanceled: false });
    assert.is(getEventListeners(ac.signal, 'abort').length, 0, `after '${word}'`);
  }
  await within(writer.complete());
  assert.is(new TextDecoder().decode(concat(c.got)), 'onetwothree');
});

t('ending the sink fails: complete() rejects with that error', async () => {
  const sink = new Writable({
    write(_c, _e, cb) {
      cb();
    },
    final(cb) {
      cb(new Boom('could not finish'));
    },
  });
  const writer = PipeWriter.create(sink);
  await writer.write(bytes('x'));
  await rejects(() => writer.complete(), Boom, /could not finish/);
});

t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
t.run();
