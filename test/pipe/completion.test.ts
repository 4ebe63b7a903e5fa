import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, SequenceReader } from '../../src/index.js';
import { bytes, concat, equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';
import { finish, RentCountingPool, setup } from './kit.js';

const t = suite('completion');
const COMPLETED = { isCompleted: true, isCanceled: false };

class Boom extends Error {}

t('complete() is idempotent on both sides', async () => {
  const s = setup();
  await s.writer.write('x');
  const w1 = s.writer.complete();
  const w2 = s.writer.complete();
  assert.instance(w1, Promise);
  await w1;
  await w2;
  await s.writer.complete(new Boom('ignored: already completed'));
  const r = await within(s.reader.read());
  assert.is(r.isCompleted, true, 'the later error did not replace the clean completion');
  s.reader.advanceTo(r.buffer.end);
  await s.reader.complete();
  await s.reader.complete();
  await s.reader.complete(new Boom('ignored'));
  assert.is(s.pool.rentedBytes, 0);
});

t('writer complete() commits advanced bytes, so the reader gets them with isCompleted', async () => {
  const s = setup();
  const m = s.writer.getMemory(5);
  m.set(bytes('hello'));
  s.writer.advance(5);
  s.writer.getMemory(100); // handed out but never advanced: not data
  await s.writer.complete();
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'hello');
  assert.is(r.isCompleted, true);
  s.reader.advanceTo(r.buffer.end);
  const again = await within(s.reader.read(), 500, 'a read after the end returns at once');
  assert.is(again.isCompleted, true);
  assert.is(again.buffer.length, 0);
  s.reader.advanceTo(again.buffer.end);
  await finish(s);
});

t('complete(undefined) is a completion without error, on either side', async () => {
  // The writer: the reader gets the bytes with isCompleted, and no rejection after them.
  const a = setup();
  await a.writer.write('last');
  await a.writer.complete(undefined);
  const r = await within(a.reader.read());
  assert.is(r.buffer.toString(), 'last');
  assert.is(r.isCompleted, true);
  a.reader.advanceTo(r.buffer.end);
  await a.reader.complete();
  // The reader: the writer's next write resolves isCompleted instead of rejecting.
  const b = setup();
  await b.reader.complete(undefined);
  assert.equal(await within(b.writer.write('ignored')), COMPLETED);
  await b.writer.complete();
  assert.is(b.pool.rentedBytes, 0);
});

t('writer complete() wakes a pending read', async () => {
  const s = setup();
  const pending = s.reader.read();
  assert.ok(await isPending(pending));
  await s.writer.complete();
  const r = await within(pending);
  assert.is(r.isCompleted, true);
  assert.is(r.buffer.length, 0);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('after writer complete(), getMemory/advance throw and flush/write reject with InvalidOperationError', async () => {
  const s = setup();
  await s.writer.complete();
  await rejects(() => s.writer.getMemory(), InvalidOperationError, /getMemory\(\) after the writer completed/);
  await rejects(() => s.writer.advance(0), InvalidOperationError, /advance\(\) after the writer completed/);
  await rejects(() => s.writer.flush(), InvalidOperationError, /flush\(\) after the writer completed/);
  await rejects(() => s.writer.write('x'), InvalidOperationError, /write\(\) after the writer completed/);
  await s.reader.complete();
});

t('writer complete(error): every flushed byte first (isCompleted false), then read rejects with the error', async () => {
  const s = setup();
  const data = randomBytes(10_000, 9);
  await s.writer.write(data.subarray(0, 6000));
  const m = s.writer.getMemory(4000);
  m.set(data.subarray(6000));
  s.writer.advance(4000); // committed, not flushed: complete() delivers it too
  const error = new Boom('source failed');
  await s.writer.complete(error);
  const got: Uint8Array[] = [];
  // Consume in small steps (examining only what was consumed): every read reports isCompleted false.
  for (;;) {
    let r;
    try {
      r = await within(s.reader.read());
    } catch (e) {
      assert.is(e, error, 'the very error given to complete()');
      break;
    }
    assert.is(r.isCompleted, false, 'a faulted stream never reports a clean completion');
    const take = Math.min(r.buffer.length, 3001);
    got.push(r.buffer.slice(0, take).toUint8Array().slice());
    s.reader.advanceTo(r.buffer.getPosition(take));
  }
  equalBytes(concat(got), data, 'nothing flushed is lost');
  await rejects(() => s.reader.read(), Boom, /source failed/);
  assert.throws(() => s.reader.tryRead(), (e: unknown) => e === error);
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('writer complete(error): bytes examined but left unconsumed are an incomplete record, and read rejects', async () => {
  const s = setup();
  await s.writer.write('rec1;rec');
  await s.writer.complete(new Boom('cut'));
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'rec1;rec');
  assert.is(r.isCompleted, false);
  s.reader.advanceTo(r.buffer.getPosition(5), r.buffer.end); // parsed 'rec1;', needs more for 'rec'
  await rejects(() => s.reader.read(), Boom, /cut/);
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('writer complete(error) with nothing buffered rejects a pending read', async () => {
  const s = setup();
  const pending = s.reader.read();
  assert.ok(await isPending(pending));
  await s.writer.complete(new Boom('early'));
  await rejects(() => within(pending), Boom, /early/);
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('writer complete(error) while unexamined bytes remain still delivers them', async () => {
  const s = setup();
  await s.writer.write('abc');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.getPosition(1)); // examined only 'a'
  await s.writer.complete(new Boom('x'));
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'abc');
  assert.is(r2.isCompleted, false);
  s.reader.advanceTo(r2.buffer.start, r2.buffer.end);
  await rejects(() => s.reader.read(), Boom);
  await s.reader.complete();
});

t('reader complete(error): a pending and every later flush reject with that error', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const paused = s.writer.write('abcd');
  assert.ok(await isPending(paused));
  const error = new Boom('parser gave up');
  await s.reader.complete(error);
  assert.is(await rejects(() => within(paused), Boom), error);
  assert.is(await rejects(() => s.writer.write('more'), Boom), error);
  s.writer.getMemory(3);
  s.writer.advance(3);
  assert.is(await rejects(() => s.writer.flush(), Boom), error);
  await s.writer.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('reader complete(): a pending flush resolves isCompleted; write() then copies nothing', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const paused = s.writer.write('abcd');
  assert.ok(await isPending(paused));
  await s.reader.complete();
  assert.equal(await within(paused), COMPLETED);
  assert.is(s.pool.rentedBytes, 0, 'everything unread was returned');
  assert.equal(await s.writer.write(randomBytes(1_000_000)), COMPLETED);
  assert.is(s.pool.rentedBytes, 0, 'write() rented nothing: it did not copy');
  assert.equal(await s.writer.write('text'), COMPLETED);
  assert.is(s.pool.rentedBytes, 0);
  assert.equal(await s.writer.flush(), COMPLETED);
  assert.is(s.writer.unflushedBytes, 0);
  await s.writer.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('reader complete() rejects a pending read, and read/tryRead/advanceTo afterwards are InvalidOperationErrors', async () => {
  const s = setup();
  const pending = s.reader.read();
  await s.reader.complete();
  await rejects(() => within(pending), InvalidOperationError, /reader was completed while this read was pending/);
  await rejects(() => s.reader.read(), InvalidOperationError, /read\(\) after the reader completed/);
  await rejects(() => s.reader.readAtLeast(1), InvalidOperationError, /after the reader completed/);
  await rejects(() => s.reader.tryRead(), InvalidOperationError, /tryRead\(\) after the reader completed/);
  await s.writer.write('x');
  await rejects(() => s.reader.advanceTo(null as never), InvalidOperationError, /advanceTo\(\) after the reader completed/);
  await finish(s);
});

t('reader complete() with a result outstanding expires its buffer and returns all memory', async () => {
  const s = setup({ minimumSegmentSize: 4096 });
  await s.writer.write(randomBytes(10_000));
  const r = await within(s.reader.read());
  const slice = r.buffer.slice(5, 50);
  const seqReader = new SequenceReader(r.buffer);
  await s.reader.complete();
  await rejects(() => r.buffer.toUint8Array(), InvalidOperationError, /released by advanceTo\(\) or complete\(\)/);
  await rejects(() => slice.toString(), InvalidOperationError, /released/);
  await rejects(() => seqReader.tryRead(), InvalidOperationError, /released/);
  assert.is(s.pool.rentedBytes, 0);
  assert.equal(await s.writer.write('x'), COMPLETED);
  await s.writer.complete();
});

t('a writer completing while its flush waits resolves that flush', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const paused = s.writer.write('abcd');
  assert.ok(await isPending(paused));
  await s.writer.complete();
  assert.equal(await within(paused), { isCompleted: false, isCanceled: false });
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcd');
  assert.is(r.isCompleted, true);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('the reader completing first, then the writer completing with memory out, returns it all', async () => {
  const s = setup();
  s.writer.getMemory(10);
  await s.reader.complete();
  s.writer.getMemory(10).fill(3);
  await s.writer.complete();
  assert.is(s.pool.rentedBytes, 0);
});

t('reader complete(error) after a clean complete() is ignored: flushes keep resolving isCompleted', async () => {
  const s = setup();
  await s.reader.complete();
  await s.reader.complete(new Boom('too late'));
  assert.equal(await s.writer.write('x'), COMPLETED, 'not rejected with the later error');
  s.writer.getMemory(1);
  s.writer.advance(1);
  assert.equal(await s.writer.flush(), COMPLETED);
  await finish(s);
});

t('reader complete() leaves the writer the memory it holds: still rented, not handed to anyone else', async () => {
  const s = setup();
  await s.writer.write('abc');
  const memory = s.writer.getMemory(10); // the rest of the block that holds 'abc'
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 4096, 'the writer\'s block is still out on loan');
  const other = s.pool.rent(memory.length);
  assert.is.not(other.buffer, memory.buffer);
  s.pool.return(other);
  memory.fill(1);
  s.writer.advance(memory.length);
  assert.equal(await s.writer.flush(), COMPLETED);
  await finish(s);
});

t('a writer that ignores isCompleted after the reader completed holds no more than the block it writes into', async () => {
  const s = setup();
  await s.reader.complete();
  for (let i = 0; i < 50; i++) {
    s.writer.getMemory(1000).fill(i);
    s.writer.advance(1000); // the block keeps room to spare: the writer still holds memory at each flush
    assert.equal(await s.writer.flush(), COMPLETED);
    assert.ok(s.pool.rentedBytes <= 4096, `at most one block rented after flush ${i}: ${s.pool.rentedBytes}`);
  }
  await finish(s);
});

t('after the reader completed, write() rents no pipe memory at all: nothing is copied', async () => {
  const pool = new RentCountingPool();
  const s = setup({ pool });
  await s.reader.complete();
  assert.equal(await s.writer.write(randomBytes(100_000)), COMPLETED);
  assert.equal(await s.writer.write('text'), COMPLETED);
  assert.is(pool.rents, 0);
  await finish(s);
});

t('after the writer completed with memory out, reading to the end returns every block before the reader completes', async () => {
  const s = setup();
  const m = s.writer.getMemory(100);
  m.set(bytes('abc'));
  s.writer.advance(3); // the rest of the block is still handed out
  await s.writer.complete();
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abc');
  s.reader.advanceTo(r.buffer.end);
  assert.is(s.pool.rentedBytes, 0, 'the completed writer holds no memory any more');
  await finish(s);
});

t.run();
