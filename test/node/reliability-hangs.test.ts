/**
 * No hangs, Node side: reads over a socket or a Node Readable, flushes into a socket or a Writable held
 * by backpressure, accept(), connectNamedPipe() and openFifo() — each wait released by the other side
 * ending or failing, cancelPending…, an AbortSignal, a timeout — as (wait × releaser) tables, each case
 * guarded by `within()`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import {
  InvalidOperationError, NamedPipeServer, PipeReader, PipeWriter, ServerClosedError, connectNamedPipe, openFifo,
} from '../../src/node.js';
import { bytes } from '../helpers.js';
import { assertReleased, rejectsExactly, rejectsWith, resolvesWith, type Outcome } from '../reliability/release-kit.js';
import { uniquePath } from '../fixtures/child.js';

const t = suite('reliability: no hangs (Node)');
const boom = new Error('boom');
const reason = new Error('aborted by the test');
const aborted = rejectsExactly(reason, 'signal.reason');
const hasCode = (...codes: string[]) => (e: unknown) => codes.includes((e as NodeJS.ErrnoException)?.code ?? '');

let server: Server;
let port = 0;
const accepted: ((s: Socket) => void)[] = [];

/** A connected TCP loopback pair: [ours, peer]. TCP, so that a peer can reset the connection. */
async function socketPair(): Promise<[Socket, Socket]> {
  const peer = new Promise<Socket>((r) => accepted.push(r));
  const ours = createConnection({ port, host: '127.0.0.1' });
  await new Promise<void>((r, j) => ours.once('connect', r).once('error', j));
  return [ours, await peer];
}

t.before(async () => {
  server = createServer({ allowHalfOpen: true }, (s) => accepted.shift()!(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
t.after(() => new Promise<void>((r) => server.close(() => r())));

// ------------------------------------------------------------------ reads

interface ReadCase {
  reader: PipeReader;
  ours: Socket;
  peer: Socket;
  controller: AbortController;
}

const socketReadReleasers: [string, (c: ReadCase) => unknown, Outcome][] = [
  ['the peer ending', ({ peer }) => peer.end(), resolvesWith({ isCompleted: true })],
  ['the peer resetting the connection', ({ peer }) => peer.resetAndDestroy(), rejectsWith(hasCode('ECONNRESET'), 'ECONNRESET')],
  ['the socket destroyed with an error', ({ ours }) => ours.destroy(boom), rejectsExactly(boom)],
  ['the socket destroyed without an error', ({ ours }) => ours.destroy(), rejectsWith(hasCode('ERR_STREAM_PREMATURE_CLOSE'), 'premature close')],
  ['cancelPendingRead()', ({ reader }) => reader.cancelPendingRead(), resolvesWith({ isCanceled: true })],
  ['an AbortSignal', ({ controller }) => controller.abort(reason), aborted],
  ['reader.complete()', ({ reader }) => reader.complete(), rejectsWith((e) => e instanceof InvalidOperationError, 'InvalidOperationError')],
];

for (const [name, release, outcome] of socketReadReleasers) {
  t(`PipeReader.create(socket): a pending read is released by ${name}`, async () => {
    const [ours, peer] = await socketPair();
    peer.on('error', () => {});
    const c: ReadCase = { reader: PipeReader.create(ours), ours, peer, controller: new AbortController() };
    await assertReleased({ wait: c.reader.read({ signal: c.controller.signal }) }, () => release(c), outcome, `socket read × ${name}`);
    await c.reader.complete();
    peer.destroy();
  });
}

for (const [name, release, outcome] of [
  ['push(null)', (s: Readable) => s.push(null), resolvesWith({ isCompleted: true })],
  ['destroy(error)', (s: Readable) => s.destroy(boom), rejectsExactly(boom)],
  ['destroy()', (s: Readable) => s.destroy(), rejectsWith(hasCode('ERR_STREAM_PREMATURE_CLOSE'), 'premature close')],
] as [string, (s: Readable) => unknown, Outcome][]) {
  t(`PipeReader.create(Node Readable): a pending read is released by ${name}`, async () => {
    const stream = new Readable({ read() {} });
    const reader = PipeReader.create(stream);
    await assertReleased({ wait: reader.read() }, () => release(stream), outcome, `Readable read × ${name}`);
    await reader.complete();
  });
}

// ------------------------------------------------------------------ flushes

interface FlushCase {
  writer: PipeWriter;
  ours: Socket;
  peer: Socket;
  controller: AbortController;
}

const big = new Uint8Array(16 << 20);
// Deno's node:net fails the write in flight with ECANCELED when the socket goes away, and that callback
// error is what the writer reports first: a clear error too.
const socketFlushReleasers: [string, (c: FlushCase) => unknown, Outcome][] = [
  ['the peer reading', ({ peer }) => peer.resume(), resolvesWith({ isCompleted: false, isCanceled: false })],
  ['the peer resetting the connection', ({ peer }) => peer.resetAndDestroy(), rejectsWith(hasCode('ECONNRESET', 'EPIPE', 'ECANCELED'), 'ECONNRESET or EPIPE')],
  ['the socket destroyed with an error', ({ ours }) => ours.destroy(boom), rejectsWith((e) => e === boom || hasCode('ECANCELED')(e), 'the error')],
  ['cancelPendingFlush()', ({ writer }) => writer.cancelPendingFlush(), resolvesWith({ isCanceled: true })],
  ['an AbortSignal', ({ controller }) => controller.abort(reason), aborted],
];

for (const [name, release, outcome] of socketFlushReleasers) {
  t(`PipeWriter.create(socket): a flush held by backpressure is released by ${name}`, async () => {
    const [ours, peer] = await socketPair();
    peer.pause();
    peer.on('error', () => {});
    const c: FlushCase = { writer: PipeWriter.create(ours), ours, peer, controller: new AbortController() };
    // 16 MiB to a peer that does not read: far more than the socket buffers take.
    await assertReleased({ wait: c.writer.write(big, { signal: c.controller.signal }) }, () => release(c), outcome, `socket flush × ${name}`, 10_000);
    peer.resume();
    await c.writer.complete(boom).catch(() => {});
    peer.destroy();
  });
}

t('PipeWriter.create(Node Writable that never calls back): a flush is released by destroy(error)', async () => {
  const sink = new Writable({ highWaterMark: 4, write() {} });
  const writer = PipeWriter.create(sink);
  await assertReleased({ wait: writer.write(bytes('0123456789')) }, () => sink.destroy(boom), rejectsExactly(boom), 'Writable flush × destroy(error)');
  await writer.complete().catch(() => {});
});

// ------------------------------------------------------------------ accept, connect, openFifo

const acceptReleasers: [string, (s: NamedPipeServer, c: AbortController, path: string) => unknown, Outcome, { timeout?: number }][] = [
  ['server.close()', (s) => s.close(), rejectsWith((e) => e instanceof ServerClosedError, 'ServerClosedError'), {}],
  ['an AbortSignal', (_s, c) => c.abort(reason), aborted, {}],
  ['its timeout', () => {}, rejectsWith((e) => (e as DOMException).name === 'TimeoutError', 'TimeoutError'), { timeout: 50 }],
  [
    'a client connecting',
    (_s, _c, path) => connectNamedPipe(path).then((conn) => conn.close()),
    { resolves: (v) => typeof (v as { close?: unknown }).close === 'function', what: 'a connection' },
    {},
  ],
];

for (const [name, release, outcome, options] of acceptReleasers) {
  t(`NamedPipeServer.accept() is released by ${name}`, async () => {
    const path = uniquePath();
    const s = await NamedPipeServer.listen(path);
    const controller = new AbortController();
    const wait = s.accept({ signal: controller.signal, ...options });
    await assertReleased({ wait }, () => release(s, controller, path), outcome, `accept × ${name}`);
    if (outcome.what === 'a connection') await ((await wait) as { close(): Promise<void> }).close();
    await s.close({ timeout: 100 });
  });
}

t('connectNamedPipe() is released by its timeout, an AbortSignal, and a server appearing', async () => {
  const timedOut = { wait: connectNamedPipe(uniquePath(), { timeout: 50 }) };
  await assertReleased(timedOut, () => {}, rejectsWith((e) => (e as DOMException).name === 'TimeoutError', 'TimeoutError'), 'connect × timeout');
  const controller = new AbortController();
  await assertReleased({ wait: connectNamedPipe(uniquePath(), { signal: controller.signal }) }, () => controller.abort(reason), aborted, 'connect × abort');
  const path = uniquePath();
  let s: NamedPipeServer | undefined;
  const late = connectNamedPipe(path, { timeout: 5000 });
  await assertReleased({ wait: late }, async () => (s = await NamedPipeServer.listen(path)), { resolves: () => true, what: 'a connection' }, 'connect × server appears');
  await (await late).close();
  await s!.close({ timeout: 100 });
});

t('openFifo(path, "w") waiting for a reader is released by a timeout and an AbortSignal', async () => {
  const path = uniquePath('fifo');
  execFileSync('mkfifo', [path]);
  await assertReleased({ wait: openFifo(path, 'w', { timeout: 50 }) }, () => {}, rejectsWith((e) => (e as DOMException).name === 'TimeoutError', 'TimeoutError'), 'fifo × timeout');
  const controller = new AbortController();
  await assertReleased({ wait: openFifo(path, 'w', { signal: controller.signal }) }, () => controller.abort(reason), aborted, 'fifo × abort');
});

t('openFifo(path, "w") waiting for a reader is released by a reader opening, and that reader\'s read by the writer completing', async () => {
  const path = uniquePath('fifo');
  execFileSync('mkfifo', [path]);
  const writing = openFifo(path, 'w', { timeout: 5000 });
  let reader: PipeReader | undefined;
  await assertReleased({ wait: writing }, async () => (reader = await openFifo(path, 'r')), { resolves: () => true, what: 'a writer' }, 'fifo × reader');
  const writer = await writing;
  // And the reader's read is released by the writer completing.
  const read = reader!.read();
  await assertReleased({ wait: read }, () => writer.complete(), resolvesWith({ isCompleted: true }), 'fifo read × writer complete');
  await reader!.complete();
  assert.ok(true);
});

t.run();


