import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferLimitError, SequenceReader } from '../../src/index.js';
import { equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';
import { drain, finish, RentCountingPool, setup } from './kit.js';

const t = suite('backpressure');
const OK = { isCompleted: false, isCanceled: false };

t('a flush pauses when unexamined bytes reach pauseWriterThreshold (>=), not before', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  assert.equal(await s.writer.write(new Uint8Array(9)), OK, '9 < 10: no pause');
  const paused = s.writer.write(new Uint8Array(1));
  assert.ok(await isPending(paused), '10 >= 10: paused');
  const r = await within(s.reader.read());
  assert.is(r.buffer.length, 10);
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(paused), OK);
  // Exactly the threshold in one write pauses too.
  const again = s.writer.write(new Uint8Array(10));
  assert.ok(await isPending(again));
  const r2 = await within(s.reader.read());
  s.reader.advanceTo(r2.buffer.end);
  assert.equal(await within(again), OK);
  await finish(s);
});

t('a paused flush resumes only when unexamined bytes drop below resumeWriterThreshold (<)', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  const paused = s.writer.write(new Uint8Array(12));
  assert.ok(await isPending(paused));
  let r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(6)); // 6 unexamined: 6 >= 5
  assert.ok(await isPending(paused), '6 unexamined');
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(1)); // 5 unexamined: not < 5
  assert.ok(await isPending(paused), '5 unexamined: still paused');
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(1)); // 4 unexamined: < 5
  assert.equal(await within(paused), OK);
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('examined-but-not-consumed bytes count as relief', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  const paused = s.writer.write(new Uint8Array(10));
  assert.ok(await isPending(paused));
  const r = await within(s.reader.read());
  // Nothing consumed (a partial record, say), but everything examined: the writer may go on.
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  assert.equal(await within(paused), OK);
  // The 10 examined bytes do not count towards the next pause...
  assert.equal(await s.writer.write(new Uint8Array(9)), OK);
  // ...but 10 new unexamined ones do, although 20 are buffered.
  const paused2 = s.writer.write(new Uint8Array(1));
  assert.ok(await isPending(paused2));
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.length, 20);
  s.reader.advanceTo(r2.buffer.getPosition(15), r2.buffer.end);
  assert.equal(await within(paused2), OK);
  await finish(s);
});

t('the defaults are 65536 to pause and 32768 to resume', async () => {
  const s = setup();
  assert.equal(await s.writer.write(new Uint8Array(65535)), OK);
  const paused = s.writer.write(new Uint8Array(1));
  assert.ok(await isPending(paused));
  let r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(65536 - 32768)); // 32768 unexamined: not < 32768
  assert.ok(await isPending(paused));
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(1)); // 32767
  assert.equal(await within(paused), OK);
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('the default resume threshold is half of a given pause threshold', async () => {
  const s = setup({ pauseWriterThreshold: 100 });
  const paused = s.writer.write(new Uint8Array(100));
  assert.ok(await isPending(paused));
  let r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(50)); // 50 left
  assert.ok(await isPending(paused));
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(1)); // 49
  assert.equal(await within(paused), OK);
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('pauseWriterThreshold 0 never pauses', async () => {
  const s = setup({ pauseWriterThreshold: 0 });
  for (let i = 0; i < 20; i++) assert.equal(await within(s.writer.write(new Uint8Array(100_000))), OK);
  const r = await within(s.reader.read());
  assert.is(r.buffer.length, 2_000_000);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('a tiny pause threshold (1, so resume defaults to 0) pauses every flush and still resumes', async () => {
  const s = setup({ pauseWriterThreshold: 1 });
  const data = randomBytes(50, 4);
  const written = (async () => {
    for (let i = 0; i < data.length; i += 5) assert.equal(await s.writer.write(data.subarray(i, i + 5)), OK);
    await s.writer.complete();
  })();
  equalBytes(await drain(s.reader), data);
  await within(written, 2000, 'writer with pause threshold 1');
  await finish(s);
});

t('an explicit resumeWriterThreshold of 0 resumes once everything was examined', async () => {
  const s = setup({ pauseWriterThreshold: 4, resumeWriterThreshold: 0 });
  const paused = s.writer.write(new Uint8Array(4));
  assert.ok(await isPending(paused));
  let r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(3));
  assert.ok(await isPending(paused), '1 unexamined');
  r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(paused), OK);
  await finish(s);
});

t('readAtLeast(n) with n above pauseWriterThreshold does not deadlock', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  const data = randomBytes(100, 5);
  const writer = (async () => {
    for (let i = 0; i < data.length; i += 10) await s.writer.write(data.subarray(i, i + 10));
    await s.writer.complete();
  })();
  // The first 10 bytes pause the writer before the reader even asks.
  await new Promise((r) => setTimeout(r, 0));
  const r = await within(s.reader.readAtLeast(45), 2000, 'readAtLeast above the pause threshold');
  assert.ok(r.buffer.length >= 45);
  equalBytes(r.buffer.toUint8Array(), data.subarray(0, r.buffer.length));
  // Parse one 45-byte record, keep the rest.
  const rec = new SequenceReader(r.buffer).tryReadExact(45)!;
  equalBytes(rec.toUint8Array(), data.subarray(0, 45));
  s.reader.advanceTo(rec.end, r.buffer.end);
  const r2 = await within(s.reader.readAtLeast(55), 2000);
  equalBytes(r2.buffer.toUint8Array(), data.subarray(45));
  s.reader.advanceTo(r2.buffer.end);
  await within(writer);
  await finish(s);
});

t('readAtLeast releases a writer that is already paused', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  const paused = s.writer.write(new Uint8Array(10));
  assert.ok(await isPending(paused));
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.getPosition(2)); // 8 unexamined: still paused
  assert.ok(await isPending(paused));
  const big = s.reader.readAtLeast(30);
  assert.equal(await within(paused, 1000, 'the paused flush released by readAtLeast'), OK);
  assert.equal(await within(s.writer.write(new Uint8Array(10))), OK, 'not paused while the read needs more');
  assert.ok(await isPending(big));
  const last = s.writer.write(new Uint8Array(10));
  const got = await within(big);
  assert.is(got.buffer.length, 30);
  assert.ok(await isPending(last), 'once the read is served, the rules apply again');
  s.reader.advanceTo(got.buffer.end);
  assert.equal(await within(last), OK);
  await finish(s);
});

t('maxBufferedBytes: a reader that never consumes gets BufferLimitError; the writer sees isCompleted', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  await s.writer.write(new Uint8Array(8));
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.end); // examined all, consumed nothing
  const pending = s.reader.read();
  assert.equal(await s.writer.write(new Uint8Array(3)), { isCompleted: true, isCanceled: false });
  const err = (await rejects(() => within(pending), BufferLimitError,
    /11 bytes are buffered but unconsumed, over maxBufferedBytes \(10\)/)) as BufferLimitError;
  assert.is(err.limit, 10);
  assert.is(err.code, 'ERR_BUFFER_LIMIT');
  assert.is(err.name, 'BufferLimitError');
  await rejects(() => s.reader.read(), BufferLimitError);
  assert.throws(() => s.reader.tryRead(), (e: unknown) => e instanceof BufferLimitError);
  // The writer keeps being told to stop, and what it writes is dropped.
  assert.equal(await s.writer.write(new Uint8Array(100)), { isCompleted: true, isCanceled: false });
  s.writer.getMemory(5);
  s.writer.advance(5);
  assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
  const m = s.writer.getMemory(8000); // a new block, filled: nothing held back, the bytes are dropped
  s.writer.advance(m.length);
  assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
  assert.is(s.writer.unflushedBytes, 0);
  await finish(s);
});

t('maxBufferedBytes: crossing it ends a paused flush with isCompleted', async () => {
  const s = setup({ pauseWriterThreshold: 4, maxBufferedBytes: 6 });
  const paused = s.writer.write(new Uint8Array(5));
  assert.ok(await isPending(paused));
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.getPosition(1)); // 4 unexamined: still paused
  assert.ok(await isPending(paused));
  // complete() commits 2 more bytes while the flush waits: 7 > 6.
  s.writer.getMemory(2);
  s.writer.advance(2);
  await s.writer.complete();
  assert.equal(await within(paused), { isCompleted: true, isCanceled: false });
  await rejects(() => s.reader.read(), BufferLimitError);
  await finish(s);
});

t('consuming keeps a pipe under maxBufferedBytes indefinitely', async () => {
  const s = setup({ pauseWriterThreshold: 64, maxBufferedBytes: 128 });
  const data = randomBytes(5000, 6);
  const writer = (async () => {
    for (let i = 0; i < data.length; i += 50) {
      const res = await s.writer.write(data.subarray(i, i + 50));
      assert.not.ok(res.isCompleted);
    }
    await s.writer.complete();
  })();
  equalBytes(await drain(s.reader), data);
  await within(writer);
  await finish(s);
});

t('a readAtLeast served earlier does not keep later flushes from pausing', async () => {
  const s = setup({ pauseWriterThreshold: 10, resumeWriterThreshold: 5 });
  const big = s.reader.readAtLeast(50);
  const first = s.writer.write(new Uint8Array(50));
  const r = await within(big);
  assert.is(r.buffer.length, 50);
  assert.ok(await isPending(first), 'served, the read no longer relieves the writer: 50 unexamined >= 10');
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(first), OK);
  // No read is waiting now: 20 unexamined bytes pause, although 20 is below the 50 that read once asked for.
  const second = s.writer.write(new Uint8Array(20));
  assert.ok(await isPending(second), 'the old readAtLeast(50) is forgotten');
  const r2 = await within(s.reader.read());
  s.reader.advanceTo(r2.buffer.end);
  assert.equal(await within(second), OK);
  await finish(s);
});

t('maxBufferedBytes: a readAtLeast larger than the limit rejects once the limit is crossed, instead of waiting forever', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  const pending = s.reader.readAtLeast(100);
  assert.equal(await s.writer.write(new Uint8Array(11)), { isCompleted: true, isCanceled: false });
  await rejects(() => within(pending, 2000, 'readAtLeast over the limit'), BufferLimitError,
    /^11 bytes are buffered but unconsumed, over maxBufferedBytes \(10\)/);
  await finish(s);
});

t('maxBufferedBytes: the error counts the unconsumed bytes, and nothing written after it is published', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  await s.writer.write(new Uint8Array(6));
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(4), r.buffer.end); // 4 consumed, 2 kept
  await s.writer.write(new Uint8Array(9)); // 15 written, 11 unconsumed > 10
  const error = (await rejects(() => s.reader.read(), BufferLimitError,
    /^11 bytes are buffered but unconsumed, over maxBufferedBytes \(10\)/)) as BufferLimitError;
  const rented = s.pool.rentedBytes;
  // A writer that ignores isCompleted: its flushes publish nothing, so the pipe holds no more memory...
  for (let i = 0; i < 20; i++) {
    s.writer.getMemory(4096);
    s.writer.advance(4096);
    assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
  }
  assert.is(s.pool.rentedBytes, rented, 'the dropped bytes went back to the pool');
  // ...and the reader keeps getting the same report, not a growing count.
  const again = (await rejects(() => s.reader.read(), BufferLimitError)) as BufferLimitError;
  assert.is(again.message, error.message);
  // Completing commits nothing either.
  s.writer.getMemory(5);
  s.writer.advance(5);
  await s.writer.complete();
  const last = (await rejects(() => s.reader.read(), BufferLimitError)) as BufferLimitError;
  assert.is(last.message, error.message);
  await finish(s);
});

t('maxBufferedBytes: memory the writer holds from getMemory stays its own while its flushes are dropped', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  assert.equal(await s.writer.write(new Uint8Array(11)), { isCompleted: true, isCanceled: false });
  await rejects(() => s.reader.read(), BufferLimitError);
  const before = s.pool.rentedBytes;
  const memory = s.writer.getMemory(8192); // a block of its own
  assert.is(s.pool.rentedBytes, before + memory.length);
  // A flush with nothing advanced, then one with part of the memory advanced: the block stays rented to the
  // writer (so the pool cannot hand it to anyone else while the writer may still write into it).
  assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
  assert.is(s.pool.rentedBytes, before + memory.length, 'kept after an empty flush');
  memory.fill(7, 0, 100);
  s.writer.advance(100);
  assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
  assert.is(s.pool.rentedBytes, before + memory.length, 'kept while the writer holds the rest of it');
  const other = s.pool.rent(memory.length);
  assert.is.not(other.buffer, memory.buffer, 'the writer\'s block was not handed to anyone else');
  s.pool.return(other);
  await finish(s);
});

t('maxBufferedBytes: once it was crossed, write() rents no pipe memory at all: nothing is copied', async () => {
  const pool = new RentCountingPool();
  const s = setup({ pool, pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  assert.equal(await s.writer.write(new Uint8Array(11)), { isCompleted: true, isCanceled: false });
  const before = pool.rents;
  assert.equal(await s.writer.write(randomBytes(100_000)), { isCompleted: true, isCanceled: false });
  assert.equal(await s.writer.write('text'), { isCompleted: true, isCanceled: false });
  assert.is(pool.rents, before);
  await rejects(() => s.reader.read(), BufferLimitError, /^11 bytes are buffered/);
  await finish(s);
});

t('maxBufferedBytes: exactly the limit buffered is allowed, one byte more is not', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 10 });
  assert.equal(await s.writer.write(new Uint8Array(10)), OK);
  const r = await within(s.reader.read());
  assert.is(r.buffer.length, 10);
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  assert.equal(await s.writer.write(new Uint8Array(1)), { isCompleted: true, isCanceled: false });
  await rejects(() => s.reader.read(), BufferLimitError, /^11 bytes are buffered/);
  await finish(s);
});

t.run();
