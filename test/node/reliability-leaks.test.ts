/**
 * No leaks, Node side: listeners on a wrapped Node stream are back to their baseline once the wrapper
 * completed (leaveOpen: all of them; a destroyed source keeps one inert 'error' listener, by design),
 * AbortSignal listeners are removed once a wait settles, and programs that use the library exit by
 * themselves (no timer or handle left behind).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getEventListeners } from 'node:events';
import { createServer, createConnection, type AddressInfo, type Socket } from 'node:net';
import { Readable, Writable, type Stream } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NamedPipeServer, Pipe, PipeReader, PipeWriter, connectNamedPipe, createDuplexPipe, lines, openFile, readFrame,
} from '../../src/node.js';
import { bytes, within } from '../helpers.js';
import { runFixture, uniquePath } from '../fixtures/child.js';

const t = suite('reliability: no leaks (Node)');
const EVENTS = ['data', 'readable', 'end', 'error', 'close', 'drain', 'finish'] as const;
const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-leaks-'));
t.after(() => rmSync(dir, { recursive: true, force: true }));

function counts(stream: Stream): Record<string, number> {
  return Object.fromEntries(EVENTS.map((e) => [e, stream.listenerCount(e)]));
}
const turn = () => new Promise((r) => setImmediate(r));

function source(text = 'one\ntwo\nthree\n'): Readable {
  return Readable.from([bytes(text), bytes('more\n')], { objectMode: false });
}

async function drain(reader: PipeReader): Promise<void> {
  for (;;) {
    const r = await reader.read();
    reader.advanceTo(r.buffer.end);
    if (r.isCompleted) break;
  }
}

// ------------------------------------------------------------------ listeners

const readerCases: [string, (s: Readable) => Promise<void>][] = [
  ['read to the end', async (s) => {
    const r = PipeReader.create(s, { leaveOpen: true });
    await drain(r);
    await r.complete();
  }],
  ['completed after the first read', async (s) => {
    const r = PipeReader.create(s, { leaveOpen: true });
    await r.read();
    await r.complete();
  }],
  ['completed with a read pending', async () => {
    const pending = new Readable({ read() {} });
    const r = PipeReader.create(pending, { leaveOpen: true });
    const read = r.read().catch(() => {});
    await r.complete();
    await read;
    assert.equal(counts(pending), Object.fromEntries(EVENTS.map((e) => [e, 0])), 'a stream with a pending read');
  }],
  ['lines(), broken out of', async (s) => {
    for await (const _ of lines(s, { leaveOpen: true })) break;
  }],
];

for (const [name, run] of readerCases) {
  t(`PipeReader.create(Node Readable, { leaveOpen: true }) ${name}: every listener removed`, async () => {
    const s = source();
    const before = counts(s);
    await within(run(s));
    await turn();
    assert.equal(counts(s), before);
  });
}

t('PipeReader.create(Node Readable) completed early: the stream is destroyed, only one inert error listener stays', async () => {
  const s = source();
  const before = counts(s);
  const r = PipeReader.create(s);
  await r.read();
  await r.complete();
  await turn();
  assert.ok(s.destroyed);
  const after = counts(s);
  // By design (node-source.ts): an error while the stream is torn down must not become uncaught.
  assert.equal({ ...after, error: 0 }, { ...before, error: 0 });
  assert.ok(after.error! <= before.error! + 1, `error listeners: ${after.error}`);
});

t('PipeWriter.create(Node Writable, { leaveOpen: true }): after complete() every listener removed, the stream still open', async () => {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => void (chunks.push(c), cb()) });
  const before = counts(sink);
  const w = PipeWriter.create(sink, { leaveOpen: true });
  await w.write('hello');
  await w.complete();
  await turn();
  assert.equal(counts(sink), before);
  assert.ok(!sink.writableEnded, 'left open');
  assert.is(Buffer.concat(chunks).toString(), 'hello');
});

async function socketPair(): Promise<[Socket, Socket, () => Promise<void>]> {
  let peer!: Socket;
  const server = createServer((s) => (peer = s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const ours = createConnection({ port: (server.address() as AddressInfo).port, host: '127.0.0.1' });
  await new Promise<void>((r) => ours.once('connect', r));
  while (peer === undefined) await turn();
  return [ours, peer, () => new Promise<void>((r) => server.close(() => r()))];
}

t('createDuplexPipe(socket, { leaveOpen: true }): after both halves complete every listener is removed', async () => {
  const [ours, peer, close] = await socketPair();
  const before = counts(ours);
  const { input, output } = createDuplexPipe(ours, { leaveOpen: true });
  await output.write('ping');
  peer.end('pong');
  await drain(input);
  await input.complete();
  await output.complete();
  await turn();
  assert.equal(counts(ours), before);
  ours.destroy();
  peer.destroy();
  await close();
});

// ------------------------------------------------------------------ abort listeners

t('AbortSignal listeners are removed once each wait settles (read, flush, lines, readFrame, accept, connect, openFile)', async () => {
  const signal = new AbortController().signal;
  const listeners = () => getEventListeners(signal, 'abort').length;

  const pipe = new Pipe({ pauseWriterThreshold: 4 });
  const read = pipe.reader.read({ signal }); // waits for data
  const flush = pipe.writer.write('0123456789', { signal }); // waits for the reader (over the threshold)
  const r = await within(read);
  pipe.reader.advanceTo(r.buffer.end);
  await within(flush);
  assert.is(listeners(), 0, 'after read and flush');

  const writing = pipe.writer.write('a\nb\n').then(() => pipe.writer.complete());
  for await (const _ of lines(pipe.reader, { signal }));
  await writing;
  assert.is(listeners(), 0, 'after lines()');

  const framed = new Pipe();
  await framed.writer.write(Uint8Array.of(0, 0, 0, 1, 42));
  await readFrame(framed.reader, { signal });
  assert.is(listeners(), 0, 'after readFrame()');

  const path = uniquePath();
  const server = await NamedPipeServer.listen(path);
  const accepting = server.accept({ signal, timeout: 60_000 });
  const client = await connectNamedPipe(path, { signal, timeout: 60_000 });
  const conn = await accepting;
  assert.is(listeners(), 0, 'after accept() and connectNamedPipe()');
  await client.close();
  await conn.close();
  await server.close();

  const file = join(dir, 'f.txt');
  writeFileSync(file, 'x\n'.repeat(100));
  for await (const _ of lines(openFile(file, { signal })));
  assert.is(listeners(), 0, 'after openFile');
});

// ------------------------------------------------------------------ processes exit by themselves

for (const scenario of ['pipe', 'socket', 'socket-early-complete', 'connect-fail', 'connect-abort', 'named-pipe', 'lines-file', 'duplex']) {
  t(`a process that uses the library (${scenario}) exits by itself`, async () => {
    const child = runFixture('reliability/uses-library.ts', [scenario, dir]);
    const line = await within(child.line(), 20_000, `${scenario}: work`).catch((e: Error) => `${e.message}\n${child.stderr()}`);
    assert.is(line, `done ${scenario}`);
    // Its work is over: nothing of the library may keep it alive.
    const code = await within(child.exited, 5000, `${scenario}: exit`).catch((e: Error) => {
      child.process.kill('SIGKILL');
      return e.message;
    });
    assert.is(code, 0, `${scenario}: ${child.stderr()}`);
  });
}

t.run();
