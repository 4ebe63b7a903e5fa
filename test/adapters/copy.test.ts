/**
 * reader.copyTo(destination) into a PipeWriter, PipeWriter.create(WHATWG) and WHATWG WritableStreams.
 * Node destinations: copy.node.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WritableStream as PolyfillWritableStream } from 'web-streams-polyfill';
import { Pipe, PipeReader, PipeWriter, type CopyDestination } from '../../src/index.js';
import { bytes, concat, equalBytes, rejects, within } from '../helpers.js';
import { Boom, randomChunks, readAll, sameMemory, turns } from './kit.js';

const t = suite('adapters/copy');

/** A WHATWG sink keeping what it gets (as given, and as copies); `hold` makes each write wait a turn. */
function collecting(Stream: typeof WritableStream, options: { hold?: boolean; failAt?: number; highWaterMark?: number } = {}) {
  const given: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  let n = 0;
  const stream = new Stream<Uint8Array>(
    {
      async write(chunk) {
        const i = n++;
        if (options.hold) await turns(1);
        if (i === options.failAt) throw new Boom(`destination failed at ${i}`);
        given.push(chunk);
        copies.push(chunk.slice());
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? 2 }),
  );
  return { stream, given, copies, bytes: () => concat(copies) };
}

/** Sources: a Pipe (pooled memory, reused) and a source reader (the chunks as they are). */
const sources: [string, (chunks: Uint8Array[]) => PipeReader][] = [
  ['a Pipe', (chunks) => {
    const pipe = new Pipe({ pauseWriterThreshold: 16384 });
    void (async () => {
      for (const c of chunks) await pipe.writer.write(c);
      await pipe.writer.complete();
    })();
    return pipe.reader;
  }],
  ['PipeReader.create(chunks)', (chunks) => PipeReader.create(chunks)],
];

interface Destination {
  name: string;
  open(): { destination: CopyDestination; received(): Promise<Uint8Array> };
}

const destinations: Destination[] = [
  {
    name: 'a Pipe’s writer',
    open() {
      const pipe = new Pipe({ pauseWriterThreshold: 32768 });
      const received = readAll(pipe.reader);
      return { destination: pipe.writer, received: async () => { await pipe.writer.complete(); return received; } };
    },
  },
  {
    name: 'PipeWriter.create(WritableStream)',
    open() {
      const sink = collecting(globalThis.WritableStream, { hold: true });
      const writer = PipeWriter.create(sink.stream);
      return { destination: writer, received: async () => { await writer.complete(); return sink.bytes(); } };
    },
  },
  {
    name: 'WHATWG WritableStream (native)',
    open() {
      const sink = collecting(globalThis.WritableStream, { hold: true });
      return { destination: sink.stream, received: async () => { await sink.stream.close(); return sink.bytes(); } };
    },
  },
  {
    name: 'WHATWG WritableStream (web-streams-polyfill)',
    open() {
      const sink = collecting(PolyfillWritableStream as unknown as typeof WritableStream);
      return { destination: sink.stream, received: async () => { await sink.stream.close(); return sink.bytes(); } };
    },
  },
];

for (const [sourceName, source] of sources) {
  for (const dest of destinations) {
    t(`copyTo: ${sourceName} → ${dest.name} round-trips byte for byte`, async () => {
      for (const [length, seed] of [[0, 91], [70_000, 92], [250_000, 93]] as const) {
        const { data, chunks } = randomChunks(length, seed, 12_000);
        const reader = source(chunks);
        const { destination, received } = dest.open();
        await within(reader.copyTo(destination), 5000);
        // Neither side was completed: the reader still answers (at its end), the destination still open.
        const r = await reader.read();
        assert.is(r.isCompleted, true);
        assert.is(r.buffer.length, 0);
        reader.advanceTo(r.buffer.end);
        await reader.complete();
        equalBytes(await within(received()), data, `${sourceName} → ${dest.name}, ${length} bytes`);
      }
    });
  }
}

t('copyTo(PipeWriter.create(sink)) hands source chunks to the sink as they are (no copy)', async () => {
  const { chunks } = randomChunks(30_000, 94);
  const sink = collecting(globalThis.WritableStream);
  const writer = PipeWriter.create(sink.stream);
  await writer.write(bytes('head:')); // committed bytes of the writer go first
  writer.getMemory(5).set(bytes('more:'));
  writer.advance(5);
  await PipeReader.create(chunks).copyTo(writer);
  await writer.complete();
  assert.is(new TextDecoder().decode(sink.given[0]), 'head:');
  assert.is(new TextDecoder().decode(sink.given[1]), 'more:');
  assert.is(sink.given.length, chunks.length + 2);
  chunks.forEach((c, i) => sameMemory(sink.given[i + 2]!, c, `chunk ${i}`));
});

t('a source error rejects copyTo after the bytes before it were copied', async () => {
  async function* failing() {
    yield bytes('before ');
    yield bytes('the error');
    throw new Boom('source broke');
  }
  const reader = PipeReader.create(failing());
  const pipe = new Pipe();
  const received = readAll(pipe.reader);
  await rejects(() => reader.copyTo(pipe.writer), Boom, /source broke/);
  await pipe.writer.complete();
  assert.is(new TextDecoder().decode(await received), 'before the error');
});

t('a destination error rejects copyTo with it', async () => {
  const { chunks } = randomChunks(100_000, 95, 1000);
  const sink = collecting(globalThis.WritableStream, { failAt: 3 });
  await rejects(() => PipeReader.create(chunks).copyTo(sink.stream), Boom, /destination failed at 3/);
  assert.is(sink.stream.locked, false, 'the stream’s lock was released');

  const sink2 = collecting(globalThis.WritableStream, { failAt: 3 });
  const writer = PipeWriter.create(sink2.stream);
  await rejects(() => PipeReader.create(chunks).copyTo(writer), Boom, /destination failed at 3/);
  await writer.complete();
});

t('an abort stops the copy; the reader is advanced past exactly what was handed to the destination', async () => {
  for (const kind of ['PipeWriter.create', 'WritableStream'] as const) {
    const { data, chunks } = randomChunks(200_000, 96, 2000);
    const reader = PipeReader.create(chunks);
    const sink = collecting(globalThis.WritableStream, { hold: true, highWaterMark: 2 });
    const writer = kind === 'PipeWriter.create' ? PipeWriter.create(sink.stream) : null;
    const ac = new AbortController();
    const copy = reader.copyTo(writer ?? sink.stream, { signal: ac.signal });
    await turns(5);
    ac.abort(new Boom('enough'));
    await rejects(() => copy, Boom, /enough/);
    // Whatever was handed over reaches the sink; the rest is still in the reader.
    if (writer !== null) await writer.complete();
    else await sink.stream.close();
    const rest = await readAll(reader);
    assert.ok(sink.bytes().length > 0 && rest.length > 0, `${kind}: stopped in the middle`);
    equalBytes(concat([sink.bytes(), rest]), data, kind);
  }
});

t('a canceled read or flush rejects copyTo with an AbortError; a completed destination reader ends it early', async () => {
  const pipe = new Pipe();
  const dest = new Pipe();
  const copy = pipe.reader.copyTo(dest.writer);
  await turns(1);
  pipe.reader.cancelPendingRead();
  const e = (await rejects(() => copy, DOMException, /read \(cancelPendingRead\(\)\) was canceled/)) as DOMException;
  assert.is(e.name, 'AbortError');

  const slow = new Pipe({ pauseWriterThreshold: 4 });
  const copy2 = PipeReader.create([bytes('a lot of bytes')]).copyTo(slow.writer);
  await turns(1);
  slow.writer.cancelPendingFlush();
  await rejects(() => copy2, DOMException, /flush/);

  const done = new Pipe();
  await done.reader.complete();
  const source = PipeReader.create([bytes('one'), bytes('two')]);
  await within(source.copyTo(done.writer));
  const rest = await source.read();
  assert.is(rest.buffer.toString(), 'two', 'stopped after the first flush reported isCompleted');
  source.advanceTo(rest.buffer.end);
});

t('bad destinations and a pre-aborted signal', async () => {
  const reader = PipeReader.create(bytes('x'));
  await rejects(() => reader.copyTo({} as never), TypeError, /PipeWriter, a WHATWG WritableStream or a Node Writable; got Object/);
  const ac = new AbortController();
  ac.abort(new Boom('already'));
  await rejects(() => reader.copyTo(new Pipe().writer, { signal: ac.signal }), Boom, /already/);
  const r = await reader.read();
  assert.is(r.buffer.toString(), 'x', 'nothing was read');
  reader.advanceTo(r.buffer.end);
});

t.run();
