/**
 * Faults on the Node side: a Node Readable failing after each chunk, a Writable failing on a write, a
 * consumer throwing inside lines() over a Node stream or a file, and child processes SIGKILLed in the
 * middle of writing to a pipe (stdout) or a socket — each ends with a clear error or a completion, and
 * what arrived is exactly a prefix of what was sent (nothing lost in the middle, nothing invented).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable, Writable } from 'node:stream';
import {
  NamedPipeServer, PipeReader, PipeWriter, TruncatedFrameError, frames, lines, openFile,
} from '../../src/node.js';
import { bytes, concat, equalBytes, within } from '../helpers.js';
import { uniquePath } from '../fixtures/child.js';

const t = suite('reliability: faults (Node)');
const fixture = fileURLToPath(new URL('../fixtures/reliability/writer.ts', import.meta.url));
class Boom extends Error {
  override name = 'Boom';
}
const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-faults-'));
t.after(() => rmSync(dir, { recursive: true, force: true }));

function writer(mode: string, target = '') {
  return spawn(process.execPath, ['--import', 'tsx', fixture, mode, target], { stdio: ['ignore', 'pipe', 'inherit'] });
}

// ------------------------------------------------------------------ Node streams failing

t('a Node Readable destroyed with an error after each chunk: every byte before it arrives, then that error', async () => {
  const data = bytes('one\ntwo\r\nthree\nfour');
  const cuts = [0, 3, 5, 9, 14, data.length];
  for (let k = 0; k < cuts.length; k++) {
    const before = data.subarray(0, cuts[k]);
    const error = new Boom(`after ${k}`);
    let i = 0;
    const stream = new Readable({
      read() {
        if (i < k) {
          this.push(data.subarray(cuts[i]!, cuts[i + 1]!));
          i++;
        } else this.destroy(error);
      },
    });
    const reader = PipeReader.create(stream);
    const out: Uint8Array[] = [];
    let caught: unknown;
    try {
      for (;;) {
        const r = await within(reader.read());
        out.push(r.buffer.toUint8Array().slice());
        reader.advanceTo(r.buffer.end);
        if (r.isCompleted) break;
      }
    } catch (e) {
      caught = e;
    }
    await reader.complete();
    assert.is(caught, error, `k=${k}`);
    equalBytes(concat(out), before, `k=${k}`);
  }
});

t('a Node Writable failing on its k-th write: the flush (or complete) rejects with that error, earlier chunks arrived', async () => {
  for (let k = 0; k < 4; k++) {
    const error = new Boom(`write ${k}`);
    const received: Buffer[] = [];
    let writes = 0;
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        if (writes++ === k) cb(error);
        else {
          received.push(c);
          cb();
        }
      },
    });
    const w = PipeWriter.create(sink);
    let caught: unknown;
    try {
      for (let i = 0; i < 8; i++) await w.write(`chunk ${i};`);
      await w.complete();
    } catch (e) {
      caught = e;
    }
    assert.is(caught, error, `k=${k}`);
    assert.is(Buffer.concat(received).toString(), Array.from({ length: k }, (_, i) => `chunk ${i};`).join(''));
    await w.complete().catch(() => {});
  }
});

t('a consumer throwing inside lines() over a Node Readable or a file: the error propagates, the stream is destroyed', async () => {
  const file = join(dir, 'many-lines.txt');
  writeFileSync(file, 'x\n'.repeat(100_000));
  const error = new Boom('consumer');
  const stream = Readable.from((function* () {
    for (;;) yield bytes('y\n'.repeat(1000));
  })(), { objectMode: false });
  const fileStream = (await import('node:fs')).createReadStream(file, { highWaterMark: 1024 });
  for (const [name, source, destroyed] of [
    ['Node Readable', stream, () => stream.destroyed],
    ['fs.createReadStream', fileStream, () => fileStream.destroyed],
    ['openFile', openFile(file, { readSize: 1024 }), () => true],
  ] as const) {
    let caught: unknown;
    let n = 0;
    try {
      for await (const _ of lines(source as Readable)) if (++n === 10) throw error;
    } catch (e) {
      caught = e;
    }
    assert.is(caught, error, name);
    await new Promise((r) => setImmediate(r));
    assert.ok(destroyed(), `${name}: destroyed`);
  }
});

// ------------------------------------------------------------------ child processes killed mid-write

t('a child writing lines to its stdout pipe, SIGKILLed mid-write: lines() ends cleanly with a gap-free prefix', async () => {
  const child = writer('stdout-lines');
  const exited = new Promise((r) => child.once('exit', r));
  const got: string[] = [];
  await within((async () => {
    for await (const line of lines(child.stdout!)) {
      got.push(line);
      if (got.length === 20_000) child.kill('SIGKILL');
    }
  })(), 20_000, 'lines from a killed child');
  await exited;
  assert.ok(got.length >= 20_000, `${got.length} lines`);
  // Every line is the next number; only the very last may be cut short (the kill landed inside it).
  for (let i = 0; i < got.length - 1; i++) if (got[i] !== `line ${i}`) assert.unreachable(`line ${i} is ${JSON.stringify(got[i])}`);
  const last = got[got.length - 1]!;
  assert.ok(`line ${got.length - 1}`.startsWith(last), `the last line ${JSON.stringify(last)} is a prefix of the next expected`);
});

t('a child sending frames over a named pipe, SIGKILLed mid-frame: every whole frame intact, then TruncatedFrameError or the end', async () => {
  const path = uniquePath();
  const server = await NamedPipeServer.listen(path);
  const child = writer('socket-frames', path);
  const exited = new Promise((r) => child.once('exit', r));
  const conn = await within(server.accept(), 10_000, 'child connects');
  let received = 0;
  let ending: unknown = 'clean end';
  await within((async () => {
    try {
      for await (const frame of frames(conn.input)) {
        const i = received++;
        const size = (i * 7919) % 200_000;
        if (frame.length !== size) assert.unreachable(`frame ${i}: ${frame.length} bytes, expected ${size}`);
        let k = 0;
        for (const chunk of frame) for (const b of chunk) if (b !== ((i + k++) & 0xff)) assert.unreachable(`frame ${i}: byte ${k - 1} corrupt`);
        if (received === 60) child.kill('SIGKILL');
      }
    } catch (e) {
      ending = e;
    }
  })(), 20_000, 'frames from a killed child');
  await exited;
  assert.ok(received >= 60, `${received} frames`);
  assert.ok(ending === 'clean end' || ending instanceof TruncatedFrameError, `ended with ${String(ending)}`);
  await conn.close();
  await server.close({ timeout: 100 });
});

t('a child streaming bytes over TCP through PipeWriter.create, SIGKILLed: the reader gets a prefix of the stream, then an end or a reset', async () => {
  let accepted!: (s: Socket) => void;
  const connected = new Promise<Socket>((r) => (accepted = r));
  const server = createServer((s) => accepted(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const child = writer('socket-bytes', String((server.address() as AddressInfo).port));
  const exited = new Promise((r) => child.once('exit', r));
  const reader = PipeReader.create(await within(connected, 10_000));
  let total = 0;
  let ending: unknown = 'clean end';
  await within((async () => {
    try {
      for (;;) {
        const r = await reader.read();
        for (const chunk of r.buffer) {
          for (let j = 0; j < chunk.length; j++) if (chunk[j] !== ((total + j) & 0xff)) assert.unreachable(`byte ${total + j} corrupt`);
          total += chunk.length;
        }
        reader.advanceTo(r.buffer.end);
        if (total >= 8 << 20 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
        if (r.isCompleted) break;
      }
    } catch (e) {
      ending = e;
    }
  })(), 20_000, 'bytes from a killed child');
  await reader.complete();
  await exited;
  assert.ok(total >= 8 << 20, `${total} bytes`);
  assert.ok(ending === 'clean end' || (ending as NodeJS.ErrnoException).code === 'ECONNRESET', `ended with ${String(ending)}`);
  await new Promise((r) => server.close(r));
});

t.run();
