import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, ReadOnlySequence, SequenceReader } from '../../src/index.js';
import { isPending, rejects, within } from '../helpers.js';
import { finish, setup } from './kit.js';

const t = suite('leases and misuse');
const RELEASED = /This buffer was released by advanceTo\(\) or complete\(\) and must not be used any more\. Parse or copy/;

t('a read buffer, its slices and a SequenceReader over it throw after advanceTo', async () => {
  const s = setup();
  await s.writer.write('hello world');
  const r = await within(s.reader.read());
  const buffer = r.buffer;
  const slice = buffer.slice(6);
  const sub = slice.slice(1, 3);
  const reader = new SequenceReader(buffer);
  const lineReader = new SequenceReader(slice);
  const start = buffer.start;
  assert.is(slice.toString(), 'world', 'valid before advanceTo');
  s.reader.advanceTo(buffer.getPosition(5));
  const uses: [string, () => unknown][] = [
    ['toString', () => buffer.toString()],
    ['toUint8Array', () => buffer.toUint8Array()],
    ['first', () => buffer.first],
    ['isSingleSegment', () => buffer.isSingleSegment],
    ['start', () => buffer.start],
    ['end', () => buffer.end],
    ['iterate', () => [...buffer]],
    ['slice', () => buffer.slice(1)],
    ['indexOf', () => buffer.indexOf(0x20)],
    ['positionOf', () => buffer.positionOf(0x20)],
    ['getPosition', () => buffer.getPosition(1)],
    ['getOffset', () => buffer.getOffset(start)],
    ['copyTo', () => buffer.copyTo(new Uint8Array(20))],
    ['slice.toString', () => slice.toString()],
    ['slice.slice.toUint8Array', () => sub.toUint8Array()],
    ['reader.tryRead', () => reader.tryRead()],
    ['reader.tryPeek', () => reader.tryPeek()],
    ['reader.tryReadTo', () => reader.tryReadTo(0x20)],
    ['reader.tryReadLine', () => lineReader.tryReadLine()],
    ['reader.position', () => reader.position],
    ['reader.unreadSequence', () => reader.unreadSequence],
    ['reader.advance', () => reader.advance(1)],
    ['reader.tryReadUint32', () => reader.tryReadUint32()],
    ['reader.tryCopyTo', () => reader.tryCopyTo(new Uint8Array(1))],
    ['new SequenceReader', () => new SequenceReader(buffer)],
  ];
  for (const [what, use] of uses) await rejects(use, InvalidOperationError, RELEASED).catch((e) => {
    throw new Error(`${what}: ${(e as Error).message}`);
  });
  // The next read's buffer is valid, and so is a fresh reader over it.
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), ' world');
  assert.is(new SequenceReader(r2.buffer).tryReadExact(3)!.toString(), ' wo');
  s.reader.advanceTo(r2.buffer.end);
  await rejects(() => r2.buffer.toString(), InvalidOperationError, RELEASED);
  await finish(s);
});

t('an iteration in progress throws at its next step once the buffer is released', async () => {
  const s = setup({ pauseWriterThreshold: 0 });
  for (let i = 0; i < 3; i++) {
    s.writer.getMemory(4096).fill(i);
    s.writer.advance(4096);
  }
  await s.writer.flush();
  const r = await within(s.reader.read());
  const it = r.buffer[Symbol.iterator]();
  assert.is(it.next().value![0], 0);
  s.reader.advanceTo(r.buffer.getPosition(4096 * 2), r.buffer.end);
  await rejects(() => it.next(), InvalidOperationError, RELEASED);
  await finish(s);
});

t('after the last segment too: the step that would end the iteration throws once the buffer is released', async () => {
  const s = setup();
  await s.writer.write('one segment');
  const r = await within(s.reader.read());
  const it = r.buffer[Symbol.iterator]();
  assert.is(it.next().value!.length, 11);
  s.reader.advanceTo(r.buffer.end);
  await rejects(() => it.next(), InvalidOperationError, RELEASED);
  await finish(s);
});

t('read() or tryRead() before advanceTo() of the previous result', async () => {
  const s = setup();
  await s.writer.write('abc');
  const r = await within(s.reader.read());
  await rejects(() => s.reader.read(), InvalidOperationError,
    /read\(\) before advanceTo\(\): the previous ReadResult was not advanced\. Call advanceTo\(consumed, examined\) after each read/);
  await rejects(() => s.reader.readAtLeast(1), InvalidOperationError, /before advanceTo\(\)/);
  await rejects(() => s.reader.tryRead(), InvalidOperationError, /tryRead\(\) before advanceTo\(\)/);
  assert.is(r.buffer.toString(), 'abc', 'the misuse did not release the buffer');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('two overlapping read() calls', async () => {
  const s = setup();
  const first = s.reader.read();
  await rejects(() => s.reader.read(), InvalidOperationError,
    /read\(\) while another read is pending\. Await each read before starting the next/);
  await rejects(() => s.reader.tryRead(), InvalidOperationError, /tryRead\(\) while another read is pending/);
  assert.ok(await isPending(first), 'the first read still waits');
  await s.writer.write('ok');
  const r = await within(first);
  assert.is(r.buffer.toString(), 'ok');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('advanceTo() without a read, or twice for one read', async () => {
  const s = setup();
  const foreign = ReadOnlySequence.from(new Uint8Array(1));
  await rejects(() => s.reader.advanceTo(foreign.start), InvalidOperationError,
    /advanceTo\(\) without a preceding read\(\): each read\(\) result is advanced exactly once\. Call read\(\) first/);
  await s.writer.write('abc');
  const r = await within(s.reader.read());
  const end = r.buffer.end;
  s.reader.advanceTo(r.buffer.start);
  await rejects(() => s.reader.advanceTo(end), InvalidOperationError, /without a preceding read/);
  const r2 = await within(s.reader.read());
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('examined before consumed', async () => {
  const s = setup();
  await s.writer.write('abcdef');
  const r = await within(s.reader.read());
  await rejects(() => s.reader.advanceTo(r.buffer.getPosition(4), r.buffer.getPosition(2)), InvalidOperationError,
    /advanceTo\(\): examined \(2\) is before consumed \(4\)\. Pass an examined position at or after consumed/);
  // The failed call changed nothing: the result can still be advanced correctly.
  assert.is(r.buffer.toString(), 'abcdef');
  s.reader.advanceTo(r.buffer.getPosition(2), r.buffer.getPosition(4));
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'cdef');
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('examined before the previous examined', async () => {
  const s = setup();
  await s.writer.write('abcdef');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.getPosition(4));
  const r2 = await within(s.reader.read());
  await rejects(() => s.reader.advanceTo(r2.buffer.getPosition(1)), InvalidOperationError,
    /examined is before the previously examined position\. Examined only moves forward: pass at least the position you examined last time \(often result\.buffer\.end\)/);
  s.reader.advanceTo(r2.buffer.getPosition(1), r2.buffer.getPosition(4));
  const r3 = await within(s.reader.read(), 500, 'bytes after the examined ones are still unexamined');
  assert.is(r3.buffer.toString(), 'bcdef');
  s.reader.advanceTo(r3.buffer.end);
  await finish(s);
});

t('a position from another buffer', async () => {
  const s = setup();
  const other = setup();
  await s.writer.write('abc');
  await other.writer.write('abc');
  const r = await within(s.reader.read());
  const o = await within(other.reader.read());
  await rejects(() => s.reader.advanceTo(o.buffer.end), InvalidOperationError,
    /advanceTo\(\): the consumed position belongs to another buffer\. Pass positions from this reader's last ReadResult/);
  await rejects(() => s.reader.advanceTo(r.buffer.start, o.buffer.end), InvalidOperationError,
    /the examined position belongs to another buffer/);
  await rejects(() => s.reader.advanceTo(ReadOnlySequence.from(new Uint8Array(3)).end), InvalidOperationError, /another buffer/);
  await rejects(() => s.reader.advanceTo(3 as never), TypeError, /consumed must be a SequencePosition from the ReadResult's buffer/);
  await rejects(() => r.buffer.slice(o.buffer.start), InvalidOperationError, /position belongs to another buffer/);
  s.reader.advanceTo(r.buffer.end);
  other.reader.advanceTo(o.buffer.end);
  await finish(s);
  await finish(other);
});

t('a position already consumed and released', async () => {
  const s = setup();
  await s.writer.write('abcdef');
  const r = await within(s.reader.read());
  const early = r.buffer.getPosition(1);
  s.reader.advanceTo(r.buffer.getPosition(3));
  const r2 = await within(s.reader.read());
  await rejects(() => s.reader.advanceTo(early), InvalidOperationError,
    /advanceTo\(\): the consumed position was already consumed and released\. Pass positions from the last ReadResult/);
  await rejects(() => r2.buffer.slice(early), RangeError, /lies outside this sequence/);
  s.reader.advanceTo(r2.buffer.getPosition(1));
  const r3 = await within(s.reader.read());
  assert.is(r3.buffer.toString(), 'ef');
  s.reader.advanceTo(r3.buffer.end);
  await finish(s);
});

t('flush() or write() while another flush is pending', async () => {
  const s = setup({ pauseWriterThreshold: 2 });
  const paused = s.writer.write('ab');
  assert.ok(await isPending(paused));
  await rejects(() => s.writer.flush(), InvalidOperationError,
    /flush\(\) while another flush is pending\. Await each flush before the next write/);
  await rejects(() => s.writer.write('c'), InvalidOperationError, /write\(\) while another flush is pending/);
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'ab', 'the rejected write copied nothing');
  s.reader.advanceTo(r.buffer.end);
  await within(paused);
  await finish(s);
});

t('errors carry a stable name and code', async () => {
  const s = setup();
  const e = (await rejects(() => s.reader.advanceTo(ReadOnlySequence.empty.start), InvalidOperationError)) as InvalidOperationError;
  assert.is(e.name, 'InvalidOperationError');
  assert.is(e.code, 'ERR_INVALID_OPERATION');
  assert.instance(e, Error);
  await finish(s);
});

t('an empty result must be advanced too before the next read', async () => {
  const s = setup();
  s.reader.cancelPendingRead();
  const r = await within(s.reader.read());
  assert.is(r.isCanceled, true);
  assert.is(r.buffer.length, 0);
  // (Without the check this read would wait for data: within() turns that into a failure, not a stuck run.)
  await rejects(() => within(s.reader.read(), 1000, 'read before advanceTo'), InvalidOperationError, /read\(\) before advanceTo\(\)/);
  await rejects(() => s.reader.tryRead(), InvalidOperationError, /tryRead\(\) before advanceTo\(\)/);
  s.reader.advanceTo(r.buffer.end);
  await s.writer.write('ok');
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'ok');
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('examined before consumed: the offsets in the message are within the last buffer', async () => {
  const s = setup();
  await s.writer.write('abcdefghij');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.getPosition(3)); // 'abc' consumed
  const r2 = await within(s.reader.read());
  assert.is(r2.buffer.toString(), 'defghij');
  await rejects(() => s.reader.advanceTo(r2.buffer.getPosition(4), r2.buffer.getPosition(1)), InvalidOperationError,
    /advanceTo\(\): examined \(1\) is before consumed \(4\)\./);
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('reads that examine or consume a little more each time are progress, not an endless loop', async () => {
  const s = setup();
  await s.writer.write(new Uint8Array(1500));
  // Looking for a delimiter a byte at a time: nothing consumed, one more byte examined per read.
  for (let i = 1; i <= 1200; i++) {
    const r = await s.reader.read();
    assert.is(r.buffer.length, 1500);
    s.reader.advanceTo(r.buffer.start, r.buffer.getPosition(i));
  }
  // After completion every read returns at once; consuming one record per read still makes progress.
  await s.writer.complete();
  for (let i = 0; i < 1200; i++) {
    const r = await s.reader.read();
    assert.is(r.isCompleted, true);
    assert.is(r.buffer.length, 1500 - i);
    s.reader.advanceTo(r.buffer.getPosition(1), r.buffer.end);
  }
  const r = await within(s.reader.read());
  assert.is(r.buffer.length, 300);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('a read loop that never examines anything is stopped with an error that says how to fix it', async () => {
  const s = setup();
  await s.writer.write('no end of message');
  let reads = 0;
  const error = await rejects(async () => {
    for (;;) {
      const r = await s.reader.read();
      reads++;
      s.reader.advanceTo(r.buffer.start); // the mistake: examined = consumed = start, every time
    }
  }, InvalidOperationError);
  assert.is(reads, 1000);
  assert.is((error as Error).message,
    'read() returned the same buffer 1000 times in a row: each advanceTo() examined nothing new, so read() never waits ' +
    'and the loop never ends. When the buffer holds no complete message, pass examined = buffer.end ' +
    '(advanceTo(consumed, buffer.end)) so the next read waits for more data; stop reading once isCompleted.');
  await finish(s);
});

t.run();
