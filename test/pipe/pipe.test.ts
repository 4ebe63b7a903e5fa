import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool, InvalidOperationError, Pipe, SequenceReader } from '../../src/index.js';
import { bytes, chunked, concat, equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';
import { drain, finish, setup } from './kit.js';

const t = suite('Pipe');

t('what the writer writes, the reader reads, in order', async () => {
  const s = setup();
  await s.writer.write(bytes('hello '));
  await s.writer.write('world');
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'hello world');
  assert.is(r.isCompleted, false);
  assert.is(r.isCanceled, false);
  s.reader.advanceTo(r.buffer.end);
  await s.writer.complete();
  const last = await within(s.reader.read());
  assert.is(last.buffer.length, 0);
  assert.is(last.isCompleted, true);
  s.reader.advanceTo(last.buffer.end);
  await finish(s);
});

t('the constructor validates its options', async () => {
  await rejects(() => new Pipe({ pauseWriterThreshold: -1 }), RangeError, /pauseWriterThreshold must be a non-negative integer, got -1/);
  await rejects(() => new Pipe({ resumeWriterThreshold: 1.5 }), RangeError, /resumeWriterThreshold must be a non-negative integer/);
  await rejects(() => new Pipe({ pauseWriterThreshold: 10, resumeWriterThreshold: 11 }), RangeError,
    /resumeWriterThreshold \(11\) must not be above pauseWriterThreshold \(10\)/);
  await rejects(() => new Pipe({ minimumSegmentSize: -5 }), RangeError, /minimumSegmentSize/);
  await rejects(() => new Pipe({ maxBufferedBytes: NaN }), RangeError, /maxBufferedBytes/);
  new Pipe({ pauseWriterThreshold: 10, resumeWriterThreshold: 10 });
  new Pipe({ pauseWriterThreshold: 0, resumeWriterThreshold: 100 });
  new Pipe({ minimumSegmentSize: 0 });
  new Pipe(); // on the shared pool
});

t('reads and writes across segment boundaries deliver every byte', async () => {
  const s = setup({ minimumSegmentSize: 4096, pauseWriterThreshold: 0 });
  const data = randomBytes(50_000, 3);
  for (const chunk of chunked(data, [1000, 3000, 4096, 1, 7000])) {
    const memory = s.writer.getMemory(chunk.length);
    memory.set(chunk);
    s.writer.advance(chunk.length);
  }
  await s.writer.flush();
  const r = await within(s.reader.read());
  assert.not.ok(r.buffer.isSingleSegment);
  assert.ok([...r.buffer].length > 5, 'several segments');
  equalBytes(r.buffer.toUint8Array(), data);
  // A record straddling a seam parses in place.
  const reader = new SequenceReader(r.buffer);
  reader.advance(4095);
  assert.is(reader.tryReadUint32(), new DataView(data.buffer, 4095, 4).getUint32(0));
  s.reader.advanceTo(r.buffer.getPosition(10_000), r.buffer.end);
  await s.writer.write(bytes('tail'));
  const r2 = await within(s.reader.read());
  equalBytes(r2.buffer.toUint8Array(), concat([data.subarray(10_000), bytes('tail')]));
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('write() copies large arrays through several blocks', async () => {
  const s = setup({ pauseWriterThreshold: 0 });
  const data = randomBytes(3 * 1024 * 1024 + 5, 11); // > 1 MiB per getMemory
  const flushed = s.writer.write(data);
  data.fill(0); // the pipe copied: changing the source afterwards changes nothing
  assert.equal(await flushed, { isCompleted: false, isCanceled: false });
  await s.writer.complete();
  equalBytes(await drain(s.reader), randomBytes(3 * 1024 * 1024 + 5, 11));
  await finish(s);
});

t('strings are written as UTF-8, short and long', async () => {
  const s = setup({ pauseWriterThreshold: 0 });
  const short = 'héllo € 😀 \u{10FFFF}';
  const long = 'ж'.repeat(20_000) + '😀';
  await s.writer.write(short);
  await s.writer.write('');
  await s.writer.write(long);
  await s.writer.complete();
  const got = await drain(s.reader);
  equalBytes(got, concat([bytes(short), bytes(long)]));
  assert.is(new TextDecoder().decode(got), short + long);
  await finish(s);
});

t('write() rejects a value that is neither bytes nor a string', async () => {
  const s = setup();
  await rejects(() => s.writer.write(42 as unknown as string), TypeError, /^write\(\) takes a Uint8Array or a string, got number\./);
  await rejects(() => s.writer.write([1, 2] as unknown as string), TypeError, /got Array/);
  // Also once nothing more is stored: a bad argument is a bug in the caller whatever the pipe's state.
  await s.reader.complete();
  await rejects(() => s.writer.write(null as unknown as string), TypeError, /got null/);
  assert.equal(await s.writer.write(bytes('x')), { isCompleted: true, isCanceled: false });
  await s.writer.complete();
});

t('getMemory hands out at least sizeHint bytes, never empty; negative sizes are RangeErrors', async () => {
  const s = setup({ minimumSegmentSize: 100 });
  assert.ok(s.writer.getMemory().length >= 1);
  assert.ok(s.writer.getMemory(0).length >= 1);
  assert.ok(s.writer.getMemory(1).length >= 1);
  assert.ok(s.writer.getMemory(100_000).length >= 100_000);
  await rejects(() => s.writer.getMemory(-1), RangeError, /getMemory\(-1\): sizeHint must be a non-negative integer/);
  await rejects(() => s.writer.getMemory(2.5), RangeError, /non-negative integer/);
  // Filling a block to the brim: the next getMemory is a fresh, non-empty block.
  const m = s.writer.getMemory(1);
  s.writer.advance(m.length);
  const next = s.writer.getMemory();
  assert.ok(next.length >= 1);
  assert.is.not(next.buffer, m.buffer);
  next[0] = 0x21;
  s.writer.advance(1);
  assert.is(s.writer.unflushedBytes, m.length + 1);
  await finish(s);
});

t('getMemory again without advancing returns the same memory', async () => {
  const s = setup();
  const a = s.writer.getMemory(10);
  a[0] = 1;
  const b = s.writer.getMemory(10);
  assert.is(b.buffer, a.buffer);
  assert.is(b.byteOffset, a.byteOffset);
  s.writer.advance(1);
  const c = s.writer.getMemory(10);
  assert.is(c.byteOffset, a.byteOffset + 1, 'after advance, memory continues where the bytes ended');
  await finish(s);
});

t('advance beyond the memory handed out, or negative, is a RangeError', async () => {
  const s = setup();
  await rejects(() => s.writer.advance(1), RangeError, /advance\(1\): only 0 bytes of memory were handed out by getMemory\(\)/);
  s.writer.advance(0);
  const m = s.writer.getMemory(10);
  await rejects(() => s.writer.advance(m.length + 1), RangeError, new RegExp(`only ${m.length} bytes`));
  await rejects(() => s.writer.advance(-1), RangeError);
  s.writer.advance(4);
  await rejects(() => s.writer.advance(m.length - 3), RangeError, new RegExp(`only ${m.length - 4} bytes`));
  s.writer.advance(m.length - 4);
  assert.is(s.writer.unflushedBytes, m.length);
  await finish(s);
});

t('advance() after write() is a RangeError: write() hands no memory to the caller', async () => {
  const s = setup();
  s.writer.getMemory(10);
  await s.writer.write('abc');
  await rejects(() => s.writer.advance(1), RangeError, /only 0 bytes of memory were handed out/);
  await s.writer.write(new Uint8Array([0x64]));
  await rejects(() => s.writer.advance(5), RangeError, /only 0 bytes/);
  assert.is(s.writer.unflushedBytes, 0);
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcd', 'no stale memory was committed');
  s.reader.advanceTo(r.buffer.end);
  assert.is(s.pool.rentedBytes, 0, 'a fully read pipe holds no memory after write()');
  await finish(s);
});

t('unflushedBytes counts advanced bytes until flush', async () => {
  const s = setup();
  assert.ok(s.writer.canGetUnflushedBytes);
  assert.is(s.writer.unflushedBytes, 0);
  const m = s.writer.getMemory(5);
  m.set(bytes('abcde'));
  s.writer.advance(3);
  assert.is(s.writer.unflushedBytes, 3);
  s.writer.advance(2);
  assert.is(s.writer.unflushedBytes, 5);
  assert.equal(await s.writer.flush(), { isCompleted: false, isCanceled: false });
  assert.is(s.writer.unflushedBytes, 0);
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcde');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('advanced bytes are invisible to the reader until flushed', async () => {
  const s = setup();
  const m = s.writer.getMemory(3);
  m.set(bytes('abc'));
  s.writer.advance(3);
  assert.is(s.reader.tryRead(), undefined);
  const pending = s.reader.read();
  assert.ok(await isPending(pending));
  await s.writer.flush();
  const r = await within(pending);
  assert.is(r.buffer.toString(), 'abc');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('an empty flush does not wake the reader', async () => {
  const s = setup();
  const pending = s.reader.read();
  assert.equal(await s.writer.flush(), { isCompleted: false, isCanceled: false });
  s.writer.getMemory(10);
  s.writer.advance(0);
  await s.writer.flush();
  await s.writer.write(new Uint8Array(0));
  await s.writer.write('');
  assert.ok(await isPending(pending), 'still waiting');
  await s.writer.write('x');
  const r = await within(pending);
  assert.is(r.buffer.toString(), 'x');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('tryRead returns what is there now, or undefined', async () => {
  const s = setup();
  assert.is(s.reader.tryRead(), undefined);
  await s.writer.write('abc');
  const r = s.reader.tryRead()!;
  assert.is(r.buffer.toString(), 'abc');
  assert.is(r.isCompleted, false);
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  assert.is(s.reader.tryRead(), undefined, 'everything was examined');
  await s.writer.write('d');
  const r2 = s.reader.tryRead()!;
  assert.is(r2.buffer.toString(), 'abcd');
  s.reader.advanceTo(r2.buffer.end);
  await s.writer.complete();
  const r3 = s.reader.tryRead()!;
  assert.is(r3.isCompleted, true);
  assert.is(r3.buffer.length, 0);
  s.reader.advanceTo(r3.buffer.end);
  await finish(s);
});

t('after advanceTo, read returns at once if unexamined data is buffered', async () => {
  const s = setup();
  await s.writer.write('line one\nline two');
  const r = await within(s.reader.read());
  const nl = r.buffer.positionOf(0x0a)!;
  // Consumed and examined up to the newline: the rest is unexamined, so the next read does not wait.
  s.reader.advanceTo(nl);
  const r2 = await within(s.reader.read(), 500, 'read with unexamined data buffered');
  assert.is(r2.buffer.toString(), '\nline two');
  // Consumed nothing, examined nothing more than before: still returns at once.
  s.reader.advanceTo(r2.buffer.start, r2.buffer.getPosition(3));
  const r3 = await within(s.reader.read(), 500);
  assert.is(r3.buffer.toString(), '\nline two');
  s.reader.advanceTo(r3.buffer.getPosition(1), r3.buffer.end);
  await finish(s);
});

t('after advanceTo examined everything, read waits for new data and returns old + new', async () => {
  const s = setup();
  await s.writer.write('partial');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  const pending = s.reader.read();
  assert.ok(await isPending(pending), 'no new data: the read waits');
  await s.writer.write(' record\n');
  const r2 = await within(pending);
  assert.is(r2.buffer.toString(), 'partial record\n');
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('readAtLeast waits for that many bytes, then returns everything buffered', async () => {
  const s = setup();
  await s.writer.write('abc');
  const pending = s.reader.readAtLeast(5);
  assert.ok(await isPending(pending));
  await s.writer.write('d');
  assert.ok(await isPending(pending), '4 < 5');
  await s.writer.write('efg');
  const r = await within(pending);
  assert.is(r.buffer.toString(), 'abcdefg');
  s.reader.advanceTo(r.buffer.getPosition(2), r.buffer.end);
  // Already enough buffered (5 >= 5): returns at once even though everything was examined.
  const r2 = await within(s.reader.readAtLeast(5), 500);
  assert.is(r2.buffer.toString(), 'cdefg');
  s.reader.advanceTo(r2.buffer.start, r2.buffer.end);
  await rejects(() => s.reader.readAtLeast(-1), RangeError, /readAtLeast\(-1\): minimumSize must be a non-negative integer/);
  await rejects(() => s.reader.readAtLeast(1.5), RangeError);
  // readAtLeast(0) is read(): everything was examined, so it waits for new data.
  const zero = s.reader.readAtLeast(0);
  assert.ok(await isPending(zero));
  await s.writer.write('h');
  const r3 = await within(zero);
  assert.is(r3.buffer.toString(), 'cdefgh');
  s.reader.advanceTo(r3.buffer.start, r3.buffer.end);
  // The writer completing ends the wait with fewer bytes.
  const short = s.reader.readAtLeast(100);
  assert.ok(await isPending(short));
  await s.writer.complete();
  const r4 = await within(short);
  assert.is(r4.isCompleted, true);
  assert.is(r4.buffer.toString(), 'cdefgh');
  s.reader.advanceTo(r4.buffer.end);
  await finish(s);
});

t('memory of fully consumed segments goes back to the pool as the reader advances', async () => {
  const s = setup({ minimumSegmentSize: 4096, pauseWriterThreshold: 0 });
  for (let i = 0; i < 4; i++) {
    s.writer.getMemory(4096).fill(i);
    s.writer.advance(4096);
  }
  await s.writer.flush();
  assert.is(s.pool.rentedBytes, 4 * 4096);
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(4096 * 2 + 10), r.buffer.end);
  assert.is(s.pool.rentedBytes, 2 * 4096, 'the two consumed blocks were returned, the partly consumed one kept');
  const r2 = await within(s.reader.readAtLeast(1));
  assert.is(r2.buffer.length, 2 * 4096 - 10);
  assert.is(r2.buffer.first[0], 2);
  s.reader.advanceTo(r2.buffer.end);
  assert.is(s.pool.rentedBytes, 0, 'everything consumed and the writer holds no memory');
  await finish(s);
});

t('pipe memory cannot be given back to the pool by hand: return() throws, the pipe still delivers', async () => {
  const s = setup();
  const memory = s.writer.getMemory(4096);
  await rejects(() => s.pool.return(memory), InvalidOperationError, /not rented from this pool/);
  memory.set(bytes('still mine'));
  s.writer.advance(10);
  await s.writer.flush();
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'still mine');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('memory handed out by getMemory stays the writer\'s while the reader consumes everything', async () => {
  const s = setup();
  await s.writer.write('abc');
  const memory = s.writer.getMemory(10); // continues the block that holds 'abc'
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end); // everything consumed: the block must not go back to the pool yet
  const other = s.pool.rent(memory.length);
  assert.is.not(other.buffer, memory.buffer, 'the writer\'s block was not handed to anyone else');
  s.pool.return(other);
  memory.set(bytes('defg'));
  s.writer.advance(4);
  await s.writer.flush();
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'defg');
  s.reader.advanceTo(r2.buffer.end);
  // The writer may still advance into the rest of that memory, so the block stays until it completes.
  assert.is(s.pool.rentedBytes, 4096);
  await finish(s);
});

t('pool.rentedBytes returns to 0 whichever side completes first', async () => {
  for (const order of ['writer-first', 'reader-first', 'reader-first-with-memory-out']) {
    const s = setup({ minimumSegmentSize: 4096 });
    await s.writer.write(randomBytes(10_000, 2));
    const r = await within(s.reader.read());
    s.reader.advanceTo(r.buffer.getPosition(5));
    if (order === 'writer-first') {
      s.writer.getMemory(100);
      s.writer.advance(50);
      await s.writer.complete();
      await s.reader.complete();
    } else {
      const m = s.writer.getMemory(100);
      await s.reader.complete();
      m.fill(1); // the writer still owns its memory after the reader completed
      s.writer.advance(50);
      if (order === 'reader-first-with-memory-out') s.writer.getMemory(100_000);
      assert.equal(await s.writer.flush(), { isCompleted: true, isCanceled: false });
      await s.writer.complete();
    }
    assert.is(s.pool.rentedBytes, 0, order);
  }
});

t('the shared pool is used by default', async () => {
  const before = BufferPool.shared.rentedBytes;
  const pipe = new Pipe();
  await pipe.writer.write('x');
  assert.ok(BufferPool.shared.rentedBytes > before);
  await pipe.writer.complete();
  await pipe.reader.complete();
  assert.is(BufferPool.shared.rentedBytes, before);
});

t('reset() makes a completed pipe usable again, and only a completed one', async () => {
  const s = setup();
  await rejects(() => s.pipe.reset(), InvalidOperationError, /reset\(\) while the pipe is in use: complete both the reader and the writer first/);
  await s.writer.write('first');
  const r = await within(s.reader.read());
  const oldPosition = r.buffer.end;
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  await s.writer.complete();
  await rejects(() => s.pipe.reset(), InvalidOperationError, /complete both/);
  await s.writer.write('x').then(() => assert.unreachable('write after complete'), () => {});
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0);
  s.pipe.reset();
  await s.writer.write('second');
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'second', 'nothing of the first life is left');
  assert.is(r2.isCompleted, false);
  await rejects(() => s.reader.advanceTo(oldPosition), InvalidOperationError, /belongs to another buffer/);
  s.reader.advanceTo(r2.buffer.end);
  await s.reader.complete();
  await rejects(() => s.pipe.reset(), InvalidOperationError, /complete both/);
  await s.writer.complete();
  s.pipe.reset();
  await rejects(() => s.pipe.reset(), InvalidOperationError, /complete both/);
  await finish(s);
});

t('getMemory hands out at least minimumSegmentSize bytes, whatever the hint', async () => {
  const s = setup({ minimumSegmentSize: 10_000 });
  assert.ok(s.writer.getMemory().length >= 10_000);
  s.writer.advance(1);
  await s.writer.flush();
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  assert.ok(s.writer.getMemory(1).length >= 10_000 - 1, 'the rest of that block');
  await finish(s);
});

t('getMemory uses the rest of the current block when the hint fits it exactly', async () => {
  const s = setup();
  const first = s.writer.getMemory(100);
  assert.is(first.length, 4096);
  s.writer.advance(4000);
  const rest = s.writer.getMemory(96);
  assert.is(rest.length, 96);
  assert.is(rest.buffer, first.buffer);
  assert.is(s.pool.rentedBytes, 4096, 'no second block');
  s.writer.advance(96);
  const next = s.writer.getMemory(1); // now it is full: a new block
  assert.is.not(next.buffer, first.buffer);
  await s.writer.flush();
  const r = await within(s.reader.read());
  assert.is(r.buffer.length, 4096);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('write() rents about what it stores: a long string or a large array is not padded to worst-case blocks', async () => {
  const s = setup({ pauseWriterThreshold: 0 });
  // A long string is encoded first (not into 3 bytes per character of pipe memory).
  const text = 'x'.repeat(100_000);
  await s.writer.write(text);
  assert.ok(s.pool.rentedBytes < 2 * text.length, `${s.pool.rentedBytes} bytes rented for ${text.length}`);
  let r = await within(s.reader.read());
  assert.is(r.buffer.length, text.length);
  s.reader.advanceTo(r.buffer.end);
  assert.is(s.pool.rentedBytes, 0);
  // An array larger than one step: the last step rents what is left, not another full step.
  const data = randomBytes(1536 * 1024, 9);
  await s.writer.write(data);
  assert.ok(s.pool.rentedBytes < data.length + 65536, `${s.pool.rentedBytes} bytes rented for ${data.length}`);
  r = await within(s.reader.read());
  equalBytes(r.buffer.toUint8Array(), data);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('reset() forgets cancels requested before it', async () => {
  const s = setup({ pauseWriterThreshold: 1 });
  s.reader.cancelPendingRead();
  s.writer.cancelPendingFlush();
  await s.writer.complete();
  await s.reader.complete();
  s.pipe.reset();
  const flushed = s.writer.write('a'); // pauses: the pipe is new, no cancel is waiting for it
  assert.ok(await isPending(flushed), 'a plain paused flush');
  const r = await within(s.reader.read());
  assert.equal({ text: r.buffer.toString(), isCanceled: r.isCanceled }, { text: 'a', isCanceled: false });
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(flushed), { isCompleted: false, isCanceled: false });
  await finish(s);
});

t('a block goes back to the pool as soon as its last byte is consumed', async () => {
  const s = setup({ minimumSegmentSize: 4096, pauseWriterThreshold: 0 });
  for (let i = 0; i < 3; i++) {
    s.writer.getMemory(4096).fill(i);
    s.writer.advance(4096);
  }
  await s.writer.flush();
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(4096)); // exactly the first block
  assert.is(s.pool.rentedBytes, 2 * 4096);
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.first[0], 1);
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('reset() forgets a writer error: the new pipe reads and completes cleanly', async () => {
  const s = setup();
  await s.writer.complete(new Error('first life failed'));
  await s.reader.complete();
  s.pipe.reset();
  await s.writer.write('fresh');
  await s.writer.complete();
  const r = await within(s.reader.read());
  assert.equal({ text: r.buffer.toString(), isCompleted: r.isCompleted }, { text: 'fresh', isCompleted: true });
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('reset() forgets a reader error and a buffer limit error', async () => {
  const s = setup({ pauseWriterThreshold: 0, maxBufferedBytes: 4 });
  assert.equal(await s.writer.write('12345'), { isCompleted: true, isCanceled: false }); // over the limit
  await s.reader.complete(new Error('parser gave up'));
  await s.writer.complete();
  s.pipe.reset();
  assert.equal(await s.writer.write('1234'), { isCompleted: false, isCanceled: false });
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), '1234');
  s.reader.advanceTo(r.buffer.end);
  await s.reader.complete(); // cleanly, this time
  assert.equal(await s.writer.write('x'), { isCompleted: true, isCanceled: false }, 'not the old reader error');
  await finish(s);
});

t.run();
