/**
 * The consumer mistakes the .NET Pipelines documentation warns about, one group each: what the user sees
 * (the error and its message) or the library behaviour that prevents the mistake. README.md (Common mistakes)
 * maps each to these outcomes. Universal.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BufferLimitError, BufferPool, FrameTooLargeError, InvalidOperationError, LineTooLongError, Pipe, PipeReader,
  ReadOnlySequence, SequenceReader, TruncatedFrameError, forEachLine, frames, lineSequences, lines, readFrame, writeFrame,
} from '../../src/index.js';
import { bytes, isPending, rejects, within } from '../helpers.js';

const t = suite('reliability: common mistakes');

// ------------------------------------------------------------------ 1. data loss: isCompleted checked before the buffer

t('data loss: the last result carries the final bytes together with isCompleted (a loop that breaks first drops them)', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('first\nlast without newline');
  await pipe.writer.complete();
  // The mistake: `if (result.isCompleted) break;` before parsing. The bytes are in that very result.
  const wrong: string[] = [];
  const r = await pipe.reader.read();
  assert.ok(r.isCompleted, 'completed at once');
  assert.is(r.buffer.toString(), 'first\nlast without newline', 'and the data is in the same result');
  if (!r.isCompleted) wrong.push(r.buffer.toString());
  assert.equal(wrong, [], 'the wrong loop saw nothing');
  pipe.reader.advanceTo(r.buffer.end);
  await pipe.reader.complete();
});

t('data loss is prevented by the helpers: lines() yields the unterminated last line, readFrame() reports a partial frame', async () => {
  const got: string[] = [];
  for await (const line of lines(bytes('a\nb\nlast'))) got.push(line);
  assert.equal(got, ['a', 'b', 'last']);
  let n = 0;
  await forEachLine(bytes('x\r\ny'), () => void n++);
  assert.is(n, 2);
  // A frame cut short is never dropped silently.
  const reader = PipeReader.create(Uint8Array.of(0, 0, 0, 9, 1, 2, 3));
  const error = (await rejects(() => readFrame(reader), TruncatedFrameError, /The input ended inside a frame: 7 of 13 bytes arrived/)) as TruncatedFrameError;
  assert.is(error.code, 'ERR_TRUNCATED_FRAME');
  await reader.complete();
});

// ------------------------------------------------------------------ 2. infinite loop: nothing examined

t('infinite loop: a loop whose advanceTo() examines nothing is stopped with an InvalidOperationError', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('an incomplete message');
  let reads = 0;
  const error = await rejects(async () => {
    for (;;) {
      const { buffer } = await pipe.reader.read();
      reads++;
      pipe.reader.advanceTo(buffer.start); // the mistake: "nothing consumed" with examined = consumed
    }
  }, InvalidOperationError, /read\(\) returned the same buffer 1000 times in a row: each advanceTo\(\) examined nothing new/);
  assert.match((error as Error).message, /pass examined = buffer\.end/);
  assert.is(reads, 1000, 'stopped after a thousand spins (well under a millisecond), not never');
  // The right call waits for more data instead.
  pipe.reader.cancelPendingRead();
  const r = await pipe.reader.read();
  pipe.reader.advanceTo(r.buffer.start, r.buffer.end);
  const next = pipe.reader.read();
  assert.ok(await isPending(next), 'with examined = end the read waits');
  await pipe.writer.complete();
  assert.ok((await within(next)).isCompleted);
});

t('infinite loop: after completion, a loop that never consumes the rest is stopped the same way', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('tail');
  await pipe.writer.complete();
  await rejects(async () => {
    // The mistake: the exit condition waits for an empty buffer that never comes.
    for (;;) {
      const { buffer, isCompleted } = await pipe.reader.read();
      if (isCompleted && buffer.isEmpty) break;
      pipe.reader.advanceTo(buffer.start, buffer.end);
    }
  }, InvalidOperationError, /returned the same buffer 1000 times in a row/);
});

t('a few reads of the same buffer are allowed (cancel, then look again), and progress resets the count', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('x');
  for (let i = 0; i < 5000; i++) {
    const { buffer } = await pipe.reader.read();
    pipe.reader.advanceTo(buffer.start);
    // Every 500 reads a byte arrives: never a thousand reads of the same buffer in a row.
    if (i % 500 === 499) await pipe.writer.write('x');
  }
  pipe.reader.cancelPendingRead();
  for (let i = 0; i < 3000; i++) {
    // Canceled reads never count: the caller asked for them.
    pipe.reader.cancelPendingRead();
    const r = await pipe.reader.read();
    assert.ok(r.isCanceled);
    pipe.reader.advanceTo(r.buffer.start);
  }
  await pipe.reader.complete();
  await pipe.writer.complete();
});

// ------------------------------------------------------------------ 3. hang: everything examined, one message handled

t('hang (stalled data): examining the whole buffer after taking one message makes the next read wait although a message is buffered', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('one\ntwo\n');
  const r = await pipe.reader.read();
  const cursor = new SequenceReader(r.buffer);
  assert.is(cursor.tryReadLine()!.toString(), 'one');
  pipe.reader.advanceTo(cursor.position, r.buffer.end); // the mistake: 'two' was not examined
  const next = pipe.reader.read();
  assert.ok(await isPending(next), 'the read waits for new data while "two\\n" sits in the buffer');
  pipe.reader.cancelPendingRead();
  assert.is((await next).buffer.toString(), 'two\n');
  await pipe.reader.complete();
});

t('the helpers hand out every complete message before they wait: no stall with the writer idle', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, 'one');
  await writeFrame(pipe.writer, 'two');
  await pipe.writer.write('three\n');
  // The writer now waits for answers and writes nothing more: both frames must come without new data.
  assert.is((await within(readFrame(pipe.reader)))!.toString(), 'one');
  assert.is((await within(readFrame(pipe.reader)))!.toString(), 'two');
  const it = lines(pipe.reader);
  assert.equal(await within(it.next()), { value: 'three', done: false });
  await it.return!();
});

// ------------------------------------------------------------------ 4. out of memory: a message that never ends

t('out of memory: a line that never ends stops at maxLineLength with LineTooLongError naming the limit and offset', async () => {
  const endless = (async function* () {
    yield bytes('ok\n');
    for (;;) yield new Uint8Array(4096).fill(0x61);
  })();
  const error = (await rejects(async () => {
    for await (const _ of lines(endless, { maxLineLength: 100_000 }));
  }, LineTooLongError, /A line starting at byte offset 3 is longer than maxLineLength \(100000 bytes\)\. Raise maxLineLength, or pass onLongLine/)) as LineTooLongError;
  assert.is(error.code, 'ERR_LINE_TOO_LONG');
  assert.is(error.offset, 3);
});

t('out of memory: a frame header announcing too much fails before the payload is buffered (FrameTooLargeError)', async () => {
  const pipe = new Pipe();
  await pipe.writer.write(Uint8Array.of(0x7f, 0xff, 0xff, 0xff));
  const error = (await rejects(() => readFrame(pipe.reader), FrameTooLargeError,
    /A frame of 2147483647 bytes exceeds maxFrameSize \(16777216 bytes\)/)) as FrameTooLargeError;
  assert.is(error.code, 'ERR_FRAME_TOO_LARGE');
  // frames() completes the reader with that error: the writer learns of it too.
  const p2 = new Pipe();
  await p2.writer.write(Uint8Array.of(0, 0, 1, 0));
  await rejects(async () => {
    for await (const _ of frames(p2.reader, { maxFrameSize: 255 }));
  }, FrameTooLargeError, /A frame of 256 bytes exceeds maxFrameSize \(255 bytes\)/);
  await rejects(() => p2.writer.write('more'), FrameTooLargeError);
});

t('out of memory: a hand-written parser that never consumes is stopped by maxBufferedBytes (BufferLimitError)', async () => {
  const source = (function* () {
    for (;;) yield new Uint8Array(1024);
  })();
  const reader = PipeReader.create(source, { maxBufferedBytes: 64 * 1024 });
  const error = (await rejects(async () => {
    for (;;) {
      const { buffer } = await reader.read();
      reader.advanceTo(buffer.start, buffer.end); // waits for a delimiter that never comes
    }
  }, BufferLimitError, /bytes are buffered but unconsumed, over maxBufferedBytes \(65536\)\. The reader examined the data without consuming it/)) as BufferLimitError;
  assert.is(error.code, 'ERR_BUFFER_LIMIT');
  await reader.complete();
});

// ------------------------------------------------------------------ 5. use after advanceTo

t('use after advanceTo: the buffer, its slices, readers and iterators over it throw InvalidOperationError', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('hello world');
  const { buffer } = await pipe.reader.read();
  const slice = buffer.slice(6);
  const cursor = new SequenceReader(buffer);
  const iterator = buffer[Symbol.iterator]();
  pipe.reader.advanceTo(buffer.end);
  const message = /This buffer was released by advanceTo\(\) or complete\(\) and must not be used any more\. Parse or copy/;
  for (const use of [() => buffer.toString(), () => slice.toUint8Array(), () => buffer.first, () => cursor.tryRead(), () => iterator.next(), () => buffer.indexOf(0x20)]) {
    await rejects(use, InvalidOperationError, message);
  }
  // What was copied before advanceTo stays valid.
  await pipe.writer.write('again');
  const r = await pipe.reader.read();
  const kept = r.buffer.toUint8Array().slice();
  pipe.reader.advanceTo(r.buffer.end);
  assert.is(new TextDecoder().decode(kept), 'again');
  await pipe.reader.complete();
});

t('use after the next line: a line from lineSequences()/forEachLine() expires when the loop moves on', async () => {
  const kept: ReadOnlySequence[] = [];
  for await (const line of lineSequences(bytes('a\nb\nc\n'))) kept.push(line);
  const message = /This line was released: a line from lineSequences\(\) or forEachLine\(\) is only valid until the next line/;
  for (const line of kept) await rejects(() => line.toString(), InvalidOperationError, message);
  let saved: ReadOnlySequence | undefined;
  await forEachLine(bytes('x\ny\n'), (line) => void (saved ??= line));
  await rejects(() => saved!.toString(), InvalidOperationError, message);
});

t('use after free is impossible for pooled memory: a returned block is never visible through a live sequence', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, minimumSegmentSize: 4096 });
  await pipe.writer.write(new Uint8Array(4096).fill(1));
  const old = await pipe.reader.read();
  const view = old.buffer.first; // a raw view: the one thing the lease cannot guard
  pipe.reader.advanceTo(old.buffer.end); // the block goes back to the pool
  await pipe.writer.write(new Uint8Array(4096).fill(2)); // may reuse it
  const r = await pipe.reader.read();
  assert.ok(r.buffer.first.every((b) => b === 2), 'the live buffer has the new bytes');
  pipe.reader.advanceTo(r.buffer.end);
  // The stale raw view may show anything: that is why the lease throws on every method of the sequence.
  void view;
  await pipe.reader.complete();
  await pipe.writer.complete();
});

// ------------------------------------------------------------------ 6. forgetting complete()

t('forgetting complete(): pooled memory stays rented and the writer is never told to stop; complete() releases both', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, pauseWriterThreshold: 8 });
  const flush = pipe.writer.write('0123456789'); // paused: the reader is behind
  const r = await pipe.reader.read();
  pipe.reader.advanceTo(r.buffer.start);
  // The mistake: the reader walks away here. What the user sees:
  assert.ok(pool.rentedBytes > 0, 'memory still out on loan');
  assert.ok(await isPending(flush), 'the writer waits forever');
  await pipe.reader.complete();
  assert.is(pool.rentedBytes, 0, 'complete() returns it');
  assert.equal(await within(flush), { isCompleted: true, isCanceled: false }, 'and tells the writer to stop');
  await pipe.writer.complete();
});

t('forgetting complete() is prevented by the helpers: breaking out of or throwing inside a loop completes the reader', async () => {
  for (const leave of ['break', 'throw'] as const) {
    const pool = new BufferPool();
    const pipe = new Pipe({ pool });
    await pipe.writer.write('a\nb\nc\n');
    const boom = new Error('consumer failed');
    try {
      for await (const _ of lines(pipe.reader)) {
        if (leave === 'break') break;
        throw boom;
      }
    } catch (e) {
      assert.is(e, boom);
    }
    assert.is(pool.rentedBytes, 0, `${leave}: memory returned`);
    assert.equal(await pipe.writer.write('more'), { isCompleted: true, isCanceled: false }, `${leave}: the writer is told`);
    await pipe.writer.complete();
  }
});

t.run();
