import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BufferLimitError, BufferPool, InvalidOperationError, forEachLine, lines, openFile, type PipeReader,
} from '../../src/node.js';
import { bytes, concat, equalBytes, randomBytes, rejects, within } from '../helpers.js';

const t = suite('openFile');

const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-file-'));
let n = 0;
function file(content: Uint8Array | string): string {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
}

/**
 * This process's descriptors open on `path` (Linux), or -1 where that cannot be seen. Only `path`'s:
 * a count of all descriptors moves when an earlier test's socket or handle closes late.
 */
function fdsOn(path: string): number {
  if (!existsSync('/proc/self/fd')) return -1;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++;
    } catch {
      // closed between listing and reading: not ours
    }
  }
  return count;
}
const CLOSED = existsSync('/proc/self/fd') ? 0 : -1;

/** Reads everything, consuming as it goes; returns the bytes and the largest buffer seen. */
async function drain(reader: PipeReader): Promise<{ data: Uint8Array; reads: number }> {
  const out: Uint8Array[] = [];
  let reads = 0;
  for (;;) {
    const { buffer, isCompleted } = await within(reader.read(), 5000, 'file read');
    reads++;
    for (const chunk of buffer) out.push(chunk.slice());
    reader.advanceTo(buffer.end);
    if (isCompleted) return { data: concat(out), reads };
  }
}

t('reads a file byte for byte, in readSize blocks from the pool, and gives them all back', async () => {
  const data = randomBytes(3 * 1024 * 1024 + 17, 5);
  const path = file(data);
  for (const readSize of [undefined, 1000, 65536]) {
    const pool = new BufferPool();
    const reader = openFile(path, { pool, readSize });
    const { data: got, reads } = await drain(reader);
    equalBytes(got, data, `readSize ${readSize}`);
    if (readSize === 1000) assert.ok(reads > 3000, `${reads} reads of 1000 bytes`);
    await reader.complete();
    assert.is(pool.rentedBytes, 0, 'every block went back to the pool');
  }
});

t('segments are the pooled read blocks themselves (no copy)', async () => {
  const pool = new BufferPool();
  const reader = openFile(file(randomBytes(10_000, 2)), { pool, readSize: 4096 });
  const { buffer } = await reader.read();
  assert.is(buffer.first.buffer.byteLength, 4096, 'a 4 KiB pool block');
  assert.is(pool.rentedBytes >= 4096, true);
  reader.advanceTo(buffer.end);
  await reader.complete();
  assert.is(pool.rentedBytes, 0);
});

t('an empty file: the first read is completed and empty', async () => {
  const reader = openFile(file(''));
  const r = await within(reader.read());
  assert.is(r.isCompleted, true);
  assert.is(r.buffer.length, 0);
  await reader.complete();
});

t('a missing file: openFile() does not throw; the first read rejects with the fs error', async () => {
  const reader = openFile(join(dir, 'no-such-file'));
  const error = await rejects(() => within(reader.read()), Error, /ENOENT/);
  assert.is((error as NodeJS.ErrnoException).code, 'ENOENT');
  await reader.complete();
  // ...and so does a line helper over it.
  await rejects(async () => {
    for await (const _ of lines(openFile(join(dir, 'no-such-file')))) assert.unreachable();
  }, Error, /ENOENT/);
});

t('a directory: reading rejects with EISDIR', async () => {
  const error = await rejects(() => within(openFile(dir).read()), Error);
  assert.is((error as NodeJS.ErrnoException).code, 'EISDIR');
});

t('the file is opened at the first read and closed at its end', async () => {
  const path = file('a\nb\n');
  const reader = openFile(path);
  assert.is(fdsOn(path), CLOSED, 'not opened yet');
  const r = await within(reader.read());
  reader.advanceTo(r.buffer.end);
  if (!r.isCompleted) {
    const end = await within(reader.read());
    assert.is(end.isCompleted, true);
    reader.advanceTo(end.buffer.end);
  }
  await reader.complete();
  assert.is(fdsOn(path), CLOSED, 'closed again');
});

t('complete() before any read opens nothing; complete() mid-file closes it and returns the blocks', async () => {
  const untouched = file('x');
  await openFile(untouched).complete();
  assert.is(fdsOn(untouched), CLOSED);
  const pool = new BufferPool();
  const path = file(randomBytes(100_000, 9));
  const reader = openFile(path, { pool, readSize: 4096 });
  const r = await within(reader.read());
  assert.ok(r.buffer.length > 0);
  // Open mid-file, so the closed checks below can fail (Deno holds two descriptors per open file).
  if (CLOSED === 0) assert.ok(fdsOn(path) > 0, 'open mid-file');
  await reader.complete();
  assert.is(fdsOn(path), CLOSED, 'closed');
  assert.is(pool.rentedBytes, 0);
  await reader.complete(); // idempotent
});

t('complete() while a read waits: the read rejects, the file is closed once the fs call returns', async () => {
  const path = file(randomBytes(50_000, 3));
  const reader = openFile(path);
  const pending = reader.read().then(() => undefined, (e: unknown) => e);
  await reader.complete();
  assert.instance(await within(pending), InvalidOperationError);
  assert.is(fdsOn(path), CLOSED);
});

t('signal: an abort stops reading; bytes read before it come first, then the reason', async () => {
  const controller = new AbortController();
  const pool = new BufferPool();
  const reader = openFile(file(randomBytes(1_000_000, 4)), { signal: controller.signal, readSize: 1000, pool });
  const first = await within(reader.read());
  assert.ok(first.buffer.length > 0);
  reader.advanceTo(first.buffer.start, first.buffer.end);
  const reason = new Error('stop reading');
  controller.abort(reason);
  let delivered = first.buffer.length;
  for (;;) {
    const result = await within(reader.read()).catch((e: unknown) => e);
    if (result === reason) break;
    assert.ok(!(result instanceof Error), String(result));
    const r = result as Awaited<ReturnType<PipeReader['read']>>;
    assert.ok(r.buffer.length >= delivered, 'nothing lost');
    delivered = r.buffer.length;
    reader.advanceTo(r.buffer.start, r.buffer.end);
  }
  assert.ok(delivered < 1_000_000, 'it stopped early');
  await reader.complete();
  assert.is(pool.rentedBytes, 0);
});

t('signal: already aborted, the first read rejects with its reason and nothing is opened', async () => {
  const path = file('abc');
  const reader = openFile(path, { signal: AbortSignal.abort(new RangeError('never')) });
  await rejects(() => within(reader.read()), RangeError, /never/);
  assert.is(fdsOn(path), CLOSED);
  await reader.complete();
});

t('readSize must be a positive integer', () => {
  for (const readSize of [0, -1, 1.5, Number.NaN]) assert.throws(() => openFile('x', { readSize }), RangeError);
});

t('maxBufferedBytes stops a reader that never consumes', async () => {
  const reader = openFile(file(randomBytes(100_000, 6)), { readSize: 4096, maxBufferedBytes: 10_000 });
  await rejects(async () => {
    for (;;) {
      const r = await within(reader.read());
      reader.advanceTo(r.buffer.start, r.buffer.end); // examines all, consumes nothing
    }
  }, BufferLimitError);
  await reader.complete();
});

t('a slow reader never makes it hold more than a few blocks', async () => {
  const pool = new BufferPool();
  const reader = openFile(file(randomBytes(200_000, 8)), { readSize: 4096, pool });
  let peak = 0;
  for (;;) {
    const r = await within(reader.read());
    peak = Math.max(peak, pool.rentedBytes);
    await new Promise((resolve) => setTimeout(resolve, 0));
    peak = Math.max(peak, pool.rentedBytes);
    reader.advanceTo(r.buffer.end);
    if (r.isCompleted) break;
  }
  await reader.complete();
  assert.ok(peak <= 3 * 4096, `peak ${peak} bytes rented`);
});

t('lines over openFile: a character and a \\r\\n cut by every small read size', async () => {
  const text = 'héllo wörld\r\n€uro\n\nlast €';
  const path = file(text);
  for (let readSize = 1; readSize <= 9; readSize++) {
    const got: string[] = [];
    for await (const line of lines(openFile(path, { readSize }))) got.push(line);
    assert.equal(got, ['héllo wörld', '€uro', '', 'last €'], `readSize ${readSize}`);
    const counted = await forEachLine(openFile(path, { readSize }), () => {});
    assert.is(counted, 4);
  }
});

t('forEachLine over openFile agrees with splitting the whole file', async () => {
  const parts: string[] = [];
  for (let i = 0; i < 5000; i++) parts.push(`${i} ${'x'.repeat(i % 97)}${i % 5 === 0 ? '\r\n' : '\n'}`);
  const path = file(parts.join(''));
  let total = 0;
  const count = await forEachLine(openFile(path, { readSize: 8192 }), (line) => {
    total += line.length;
  });
  assert.is(count, 5000);
  assert.is(total, parts.reduce((s, p) => s + p.length - (p.endsWith('\r\n') ? 2 : 1), 0));
  assert.ok(bytes(parts.join('')).length > 8192 * 10);
});

t.after(() => rmSync(dir, { recursive: true, force: true }));

t.run();
