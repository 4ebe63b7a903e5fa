import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { openFifo, type OpenFifoReaderOptions, type OpenFifoWriterOptions, type PipeReader, type PipeWriter } from '../../src/node.js';
import { concat, isPending, randomBytes, equalBytes, rejects, within } from '../helpers.js';
import { disposeTracked, runFixture, track, uniquePath } from '../fixtures/child.js';

const t = suite('openFifo');
t.after.each(disposeTracked);

/** openFifo, tracked: a failing test cannot leave a FIFO end open (and the process alive). */
const openReader = (path: string, options?: OpenFifoReaderOptions): Promise<PipeReader> =>
  openFifo(path, 'r', options).then((r) => track(r, (x) => x.complete()));
const openWriter = (path: string, options?: OpenFifoWriterOptions): Promise<PipeWriter> =>
  openFifo(path, 'w', options).then((w) => track(w, (x) => x.complete()));

function mkfifo(): string {
  const path = uniquePath('fifo');
  const result = spawnSync('mkfifo', ['-m', '600', path]);
  assert.is(result.status, 0, `mkfifo failed: ${String(result.stderr)}`);
  return path;
}

/** Reads until `length` bytes arrived (or the end), returning them and whether the end was seen. */
async function readUpTo(reader: PipeReader, length: number): Promise<{ data: Uint8Array; completed: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    for (const c of buffer) chunks.push(c.slice());
    total += buffer.length;
    reader.advanceTo(buffer.end);
    if (isCompleted || total >= length) return { data: concat(chunks), completed: isCompleted };
  }
}

t('reads what another process writes, then completes at its end', async () => {
  const path = mkfifo();
  const reader = await within(openReader(path));
  const writer = spawn('sh', ['-c', `printf 'hello from sh' > "${path}"`]);
  const { data, completed } = await within(readUpTo(reader, Infinity), 5000);
  assert.is(new TextDecoder().decode(data), 'hello from sh');
  assert.is(completed, true);
  await reader.complete();
  await new Promise((r) => writer.on('exit', r));
});

t('a writer and a reader in this process move 1 MiB', async () => {
  const path = mkfifo();
  const reader = await openReader(path);
  const writer = await within(openWriter(path));
  const payload = randomBytes(1 << 20, 4);
  const writing = (async () => {
    for (let o = 0; o < payload.length; o += 50_000) await writer.write(payload.subarray(o, o + 50_000));
    await writer.complete();
  })();
  const { data, completed } = await within(readUpTo(reader, Infinity), 5000);
  await within(writing);
  equalBytes(data, payload);
  assert.is(completed, true);
  await reader.complete();
});

t('reopen: the reader keeps reading after a writer closes, for the next writer', async () => {
  const path = mkfifo();
  const reader = await openReader(path, { reopen: true });
  for (const word of ['one', 'two', 'three']) {
    const writer = await within(openWriter(path));
    await writer.write(word);
    await writer.complete();
    const { data, completed } = await within(readUpTo(reader, word.length));
    assert.is(new TextDecoder().decode(data), word);
    assert.is(completed, false);
  }
  // No end comes by itself: the read waits for the next writer.
  const waiting = reader.read();
  assert.ok(await isPending(waiting));
  const fromShell = spawn('sh', ['-c', `printf four > "${path}"`]);
  const { buffer } = await within(waiting);
  assert.is(buffer.toString(), 'four');
  reader.advanceTo(buffer.end);
  await reader.complete();
  await new Promise((r) => fromShell.on('exit', r));
});

t('a writer waits for a reader, without a thread; timeout and abort end the wait', async () => {
  const path = mkfifo();
  const opening = openWriter(path);
  assert.ok(await isPending(opening));
  const reader = await openReader(path);
  const writer = await within(opening);
  await writer.write('late reader');
  await writer.complete();
  assert.is(new TextDecoder().decode((await within(readUpTo(reader, Infinity))).data), 'late reader');
  await reader.complete();

  const timedOut = (await rejects(() => within(openWriter(path, { timeout: 30 })), DOMException, /no reader opened .* within 30 ms/)) as DOMException;
  assert.is(timedOut.name, 'TimeoutError');
  const controller = new AbortController();
  const aborted = openWriter(path, { signal: controller.signal });
  assert.ok(await isPending(aborted));
  controller.abort(new Error('stop waiting'));
  await rejects(() => within(aborted), Error, /stop waiting/);
  await rejects(() => openWriter(path, { signal: AbortSignal.abort() }), DOMException);
  await rejects(() => openWriter(path, { timeout: -1 }), RangeError, /timeout must be a non-negative number/);
});

t('the reader going away is an error for the writer', async () => {
  const path = mkfifo();
  const reader = await openReader(path);
  const writer = await openWriter(path);
  await reader.complete();
  const error = (await rejects(async () => {
    for (let i = 0; i < 100; i++) await writer.write(randomBytes(65536));
  }, Error)) as NodeJS.ErrnoException;
  assert.is(error.code, 'EPIPE');
  await writer.complete().catch(() => {});
});

t('a missing path or one that is not a FIFO fails at once, touching nothing', async () => {
  const missing = uniquePath('none');
  for (const mode of ['r', 'w'] as const) {
    const e = (await rejects(() => within(openFifo(missing, mode as 'r')), Error, /there is no FIFO at .* \(ENOENT\)\. Create it first/)) as NodeJS.ErrnoException;
    assert.is(e.code, 'ENOENT');
  }
  const file = uniquePath('file');
  writeFileSync(file, 'precious');
  for (const mode of ['r', 'w'] as const) {
    const e = (await rejects(() => within(openFifo(file, mode as 'r')), Error, /is a regular file, not a FIFO/)) as NodeJS.ErrnoException;
    assert.is(e.code, 'EINVAL');
  }
  assert.is(readFileSync(file, 'utf8'), 'precious');
  await rejects(() => openFifo('/dev/null', 'r'), Error, /is a character device, not a FIFO/);
  await rejects(() => openFifo(file.slice(0, file.lastIndexOf('/')), 'r'), Error, /is a directory, not a FIFO/);
  await rejects(() => openFifo(file, 'x' as 'r'), TypeError, /mode must be 'r' or 'w'/);
});

t('FIFOs with no writer do not block the thread pool (UV_THREADPOOL_SIZE=1)', async () => {
  const file = uniquePath('data');
  writeFileSync(file, 'the thread pool is free');
  const fifos = [mkfifo(), mkfifo(), mkfifo(), mkfifo()];
  const child = runFixture('fifo-threadpool.ts', [file, ...fifos], { UV_THREADPOOL_SIZE: '1' });
  const result = JSON.parse(await within(child.line(), 10_000, 'fs read in the child')) as { fileRead: boolean; pendingReads: number };
  assert.equal(result, { fileRead: true, pendingReads: 4 });
  assert.is(await within(child.exited, 5000, 'child exit'), 0);
});

t.run();
