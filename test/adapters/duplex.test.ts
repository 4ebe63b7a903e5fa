/**
 * Duplex pipes: createDuplexPipePair, and createDuplexPipe over a WHATWG { readable, writable } pair.
 * Over Node sockets: duplex.node.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createDuplexPipe, createDuplexPipePair, PipeReader } from '../../src/index.js';
import { bytes, equalBytes, isPending, rejects, within } from '../helpers.js';
import { randomChunks, readAll, turns } from './kit.js';

const t = suite('adapters/duplex');

async function writeAll(writer: { write(c: Uint8Array): Promise<unknown>; complete(): Promise<void> }, chunks: readonly Uint8Array[]): Promise<void> {
  for (const c of chunks) await writer.write(c);
  await writer.complete();
}

t('createDuplexPipePair(): what a writes, b reads, and back', async () => {
  const [a, b] = createDuplexPipePair({ pauseWriterThreshold: 4096 });
  const there = randomChunks(100_000, 111);
  const back = randomChunks(80_000, 112);
  const [gotThere, gotBack] = await within(
    Promise.all([readAll(b.input), readAll(a.input), writeAll(a.output, there.chunks), writeAll(b.output, back.chunks)]),
    5000,
  );
  equalBytes(gotThere, there.data);
  equalBytes(gotBack, back.data);
});

/** How a promise settled (a cancel without a reason rejects with undefined). */
function settled(p: Promise<unknown>): Promise<'resolved' | 'rejected'> {
  return p.then(() => 'resolved' as const, () => 'rejected' as const);
}

/** Two TransformStreams as a connection: `local` is our side, `peer` the other end. */
function connection() {
  const toUs = new TransformStream<Uint8Array, Uint8Array>();
  const toPeer = new TransformStream<Uint8Array, Uint8Array>();
  return {
    local: { readable: toUs.readable, writable: toPeer.writable },
    peer: { readable: toPeer.readable, writable: toUs.writable },
  };
}

t('createDuplexPipe({ readable, writable }) round-trips both ways', async () => {
  const { local, peer } = connection();
  const duplex = createDuplexPipe(local);
  const there = randomChunks(60_000, 113);
  const back = randomChunks(50_000, 114);
  const peerReader = PipeReader.create(peer.readable);
  const peerWriter = peer.writable.getWriter();
  const [gotThere, gotBack] = await within(
    Promise.all([
      readAll(peerReader),
      readAll(duplex.input),
      writeAll(duplex.output, there.chunks),
      (async () => {
        for (const c of back.chunks) await peerWriter.write(c);
        await peerWriter.close();
      })(),
    ]),
    5000,
  );
  equalBytes(gotThere, there.data);
  equalBytes(gotBack, back.data);
  await duplex.input.complete();
});

t('completing output half-closes; completing input leaves the write side until output completes too', async () => {
  const { local, peer } = connection();
  const duplex = createDuplexPipe(local);
  const peerWriter = peer.writable.getWriter();
  const peerReader = PipeReader.create(peer.readable);

  await duplex.input.complete(); // stop reading: the connection must stay up for writing
  await turns(2);
  assert.ok(await isPending(peerWriter.closed), 'not cancelled yet');
  const reading = peerReader.read(); // a TransformStream holds writes until its other side is read
  await within(duplex.output.write(bytes('still writing')));
  const r = await within(reading);
  assert.is(r.buffer.toString(), 'still writing');
  peerReader.advanceTo(r.buffer.end);

  const ending = peerReader.read();
  await within(duplex.output.complete()); // half-close: the peer sees the end ...
  const end = await within(ending);
  assert.is(end.isCompleted, true);
  peerReader.advanceTo(end.buffer.end);
  // ... and both halves are done: the read side is cancelled, which the peer's writer sees.
  assert.is(await within(settled(peerWriter.closed)), 'rejected');
});

t('input completing last also closes the connection; leaveOpen leaves it usable', async () => {
  const { local, peer } = connection();
  const duplex = createDuplexPipe(local);
  const peerWriter = peer.writable.getWriter();
  void PipeReader.create(peer.readable).read().catch(() => {});
  await duplex.output.complete();
  await turns(2);
  assert.ok(await isPending(peerWriter.closed));
  await duplex.input.complete();
  assert.is(await within(settled(peerWriter.closed)), 'rejected');

  const c2 = connection();
  const kept = createDuplexPipe(c2.local, { leaveOpen: true });
  const peerGot = PipeReader.create(c2.peer.readable).read();
  await within(kept.output.write(bytes('x')));
  assert.is((await within(peerGot)).buffer.toString(), 'x');
  await kept.input.complete();
  await kept.output.complete();
  assert.is(c2.local.readable.locked, false);
  assert.is(c2.local.writable.locked, false);
  const w = c2.peer.writable.getWriter();
  void w.write(bytes('readable still'));
  const { value } = await within(c2.local.readable.getReader().read());
  assert.is(new TextDecoder().decode(value), 'readable still');
});

t('anything else is a TypeError', async () => {
  await rejects(() => createDuplexPipe({} as never), TypeError, /Node Duplex .* or a WHATWG \{ readable, writable \} pair; got Object/);
  await rejects(() => createDuplexPipe({ readable: new ReadableStream() } as never), TypeError);
  for (const bad of [undefined, null, 42, 'socket']) {
    await rejects(() => createDuplexPipe(bad as never), TypeError, /^createDuplexPipe\(\) takes a Node Duplex/);
  }
});

t('completing each half more than once closes the connection once', async () => {
  const { local } = connection();
  let cancels = 0;
  const readable = local.readable;
  const cancel = readable.cancel.bind(readable);
  readable.cancel = (reason?: unknown) => {
    cancels++;
    return cancel(reason);
  };
  const duplex = createDuplexPipe(local);
  await within(duplex.output.complete());
  await within(duplex.input.complete());
  assert.is(cancels, 1, 'both halves done: the connection is closed');
  await within(duplex.output.complete());
  await within(duplex.input.complete());
  await within(duplex.output.complete());
  assert.is(cancels, 1, 'completing again closes nothing more');
});

t.run();
