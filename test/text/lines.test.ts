import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BufferLimitError, BufferPool, InvalidOperationError, Pipe, PipeReader, ReadOnlySequence, lines,
  type ReadResult, type SequencePosition,
} from '../../src/index.js';
import { bytes, concat, rejects, within } from '../helpers.js';
import { pipeReaderOver, viaLines } from './kit.js';

const t = suite('lines');

class Boom extends Error {}

/** A WHATWG stream over `chunks` that records whether it was canceled. */
function trackedStream(chunks: Uint8Array[], options?: { errorAfter?: unknown; endless?: boolean }) {
  const state = { canceled: false, pulls: 0 };
  let k = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (k < chunks.length) controller.enqueue(chunks[k++]!);
      else if (options?.endless) controller.enqueue(bytes('more\n'));
      else if (options?.errorAfter !== undefined) controller.error(options.errorAfter);
      else controller.close();
    },
    cancel() {
      state.canceled = true;
    },
  });
  return { stream, state };
}

t('yields each line as a string, without its line end; the last line may lack one', async () => {
  assert.equal(await viaLines([bytes('one\ntwo\r\nthree')]), ['one', 'two', 'three']);
});

t('keepLineEnds keeps \\n and \\r\\n as they were', async () => {
  assert.equal(await viaLines([bytes('one\ntwo\r'), bytes('\nthree')], { keepLineEnds: true }), ['one\n', 'two\r\n', 'three']);
});

t('a character split across chunks decodes whole; invalid UTF-8 becomes U+FFFD', async () => {
  const euro = bytes('€'); // e2 82 ac
  assert.equal(await viaLines([bytes('a'), euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2), bytes('\n')]), ['a€']);
  assert.equal(await viaLines([bytes([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0xe2])]), ['a\ufffd', '\ufffd', '\ufffd']);
});

t('a byte order mark is dropped at the start of the input only', async () => {
  const bom = [0xef, 0xbb, 0xbf];
  assert.equal(await viaLines([bytes([...bom, 0x61, 0x0a, ...bom, 0x62, 0x0a])]), ['a', '\ufeffb']);
  // ...also when the first line spans chunks, or comes alone.
  assert.equal(await viaLines([bytes([0xef, 0xbb]), bytes([0xbf, 0x61, 0x0a])]), ['a']);
  assert.equal(await viaLines([bytes([...bom])]), ['']);
  assert.equal(await viaLines([bytes('x\n'), bytes([...bom, 0x0a])]), ['x', '\ufeff']);
});

t('works on a Uint8Array and a ReadOnlySequence, with no buffer limit (the bytes are in memory)', async () => {
  const big = new Uint8Array(3 * 1024 * 1024).fill(0x61);
  for (let i = 999; i < big.length; i += 1000) big[i] = 0x0a;
  let n = 0;
  for await (const line of lines(big, { maxBufferedBytes: 4096, maxLineLength: 2000 })) {
    if (line.length !== 999 && line.length !== big.length % 1000) assert.unreachable(`line of ${line.length}`);
    n++;
  }
  assert.is(n, Math.ceil(big.length / 1000));
});

t('breaking out of the loop completes the reader and cancels the source', async () => {
  const { stream, state } = trackedStream([bytes('a\nb\nc\n'), bytes('d\n')]);
  for await (const line of lines(stream)) {
    assert.is(line, 'a');
    break;
  }
  assert.is(state.canceled, true, 'the source was canceled');
});

t('breaking out completes a Pipe reader: the writer sees isCompleted', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('a\nb\n');
  for await (const line of lines(pipe.reader)) {
    assert.is(line, 'a');
    break;
  }
  assert.equal(await pipe.writer.write('more'), { isCompleted: true, isCanceled: false });
});

t('leaveOpen with a stream source: breaking out leaves the stream usable', async () => {
  const { stream, state } = trackedStream([bytes('a\n'), bytes('b\n')]);
  for await (const line of lines(stream, { leaveOpen: true })) {
    assert.is(line, 'a');
    break;
  }
  assert.is(state.canceled, false);
  assert.is(stream.locked, false, 'the lock was released');
  const reader = stream.getReader();
  const next = await reader.read();
  assert.is(new TextDecoder().decode(next.value), 'b\n');
});

t('leaveOpen with a PipeReader: it is advanced past the last line handed out, even mid-chunk', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('one\ntwo\nthree\nrest');
  await pipe.writer.complete();
  const seen: string[] = [];
  for await (const line of lines(pipe.reader, { leaveOpen: true })) {
    seen.push(line);
    if (line === 'two') break;
  }
  assert.equal(seen, ['one', 'two']);
  const r = await within(pipe.reader.read());
  assert.is(r.buffer.toString(), 'three\nrest', 'the rest is still there');
  pipe.reader.advanceTo(r.buffer.end);
  await pipe.reader.complete();
});

t('leaveOpen with a PipeReader: a line across chunks, then more lines of one chunk', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('par');
  const it = lines(pipe.reader, { leaveOpen: true });
  const first = it.next();
  await pipe.writer.write('tial\nx\ny\nz');
  await pipe.writer.complete();
  assert.equal(await first, { value: 'partial', done: false });
  assert.equal(await it.next(), { value: 'x', done: false });
  await it.return!();
  const r = await within(pipe.reader.read());
  assert.is(r.buffer.toString(), 'y\nz');
  pipe.reader.advanceTo(r.buffer.end);
});

t('a source error: the lines before it come first, then the iteration rejects with it', async () => {
  const boom = new Boom('source failed');
  const { stream } = trackedStream([bytes('a\nb')], { errorAfter: boom });
  const seen: string[] = [];
  const error = await rejects(async () => {
    for await (const line of lines(stream)) seen.push(line);
  }, Boom);
  assert.is(error, boom);
  assert.equal(seen, ['a'], 'the unfinished line is not a line: the input did not end');
});

t('an error thrown in the loop body completes the reader and propagates', async () => {
  const { stream, state } = trackedStream([bytes('a\nb\n')], { endless: true });
  await rejects(async () => {
    for await (const _ of lines(stream)) throw new Boom('consumer failed');
  }, Boom, /consumer failed/);
  assert.is(state.canceled, true);
});

t('signal: aborting mid-input rejects with its reason and cancels the source', async () => {
  const { stream, state } = trackedStream([bytes('a\n')], { endless: true });
  const controller = new AbortController();
  const reason = new Boom('stop');
  let n = 0;
  const error = await rejects(async () => {
    for await (const _ of lines(stream, { signal: controller.signal })) {
      if (++n === 3) controller.abort(reason);
    }
  }, Boom);
  assert.is(error, reason);
  assert.is(n, 3, 'no line after the abort');
  assert.is(state.canceled, true);
});

t('signal: an abort while a read waits rejects that wait', async () => {
  const pipe = new Pipe();
  const controller = new AbortController();
  const it = lines(pipe.reader, { signal: controller.signal });
  const pending = it.next();
  controller.abort();
  const error = await rejects(() => within(pending), DOMException);
  assert.is((error as DOMException).name, 'AbortError');
  assert.equal(await pipe.writer.write('x'), { isCompleted: true, isCanceled: false }, 'the reader was completed');
});

t('signal: already aborted rejects at the first step', async () => {
  const reason = new Boom('early');
  await rejects(() => viaLines([bytes('a\n')], { signal: AbortSignal.abort(reason) }), Boom, /early/);
});

t('cancelPendingRead() on the reader ends the iteration without an error', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('a\nhalf');
  const seen: string[] = [];
  const done = (async () => {
    for await (const line of lines(pipe.reader)) seen.push(line);
  })();
  await new Promise((r) => setTimeout(r, 0));
  pipe.reader.cancelPendingRead();
  await within(done);
  assert.equal(seen, ['a'], 'an unfinished line is not yielded on cancel');
});

t('next() calls that overlap still yield the lines in order', async () => {
  const pipe = new Pipe();
  const it = lines(pipe.reader);
  const all = Promise.all([it.next(), it.next(), it.next(), it.next()]);
  await pipe.writer.write('1\n2');
  await pipe.writer.write('\n3\n');
  await pipe.writer.complete();
  assert.equal((await within(all)).map((r) => r.value), ['1', '2', '3', undefined]);
  assert.equal(await it.next(), { value: undefined, done: true }, 'and stays done');
});

t('it is its own async iterator; return() before any next() completes the reader', async () => {
  const pipe = new Pipe();
  const it = lines(pipe.reader);
  assert.is(it[Symbol.asyncIterator](), it);
  assert.equal(await it.return!(), { value: undefined, done: true });
  assert.equal(await pipe.writer.write('x'), { isCompleted: true, isCanceled: false });
  assert.equal(await it.next(), { value: undefined, done: true });
});

t('maxBufferedBytes: a chunk over the limit rejects with BufferLimitError (never below maxLineLength + 2)', async () => {
  const { stream } = trackedStream([bytes('short\n'), new Uint8Array(100).fill(0x61)]);
  const seen: string[] = [];
  await rejects(async () => {
    for await (const line of lines(stream, { maxBufferedBytes: 50, maxLineLength: 10, onLongLine: 'skip' })) seen.push(line);
  }, BufferLimitError);
  assert.equal(seen, ['short']);
  // The limit is raised to fit a legal line: maxLineLength 60 (+ line end) fits under an effective 62.
  const line = 'b'.repeat(60);
  assert.equal(await viaLines(trackedStream([bytes(`${line}\r\n`)]).stream, { maxBufferedBytes: 10, maxLineLength: 60 }), [line]);
});

t('options are checked before anything is read', async () => {
  const src = [bytes('a\n')];
  assert.throws(() => lines(src, { encoding: 'no-such-encoding' }), (e: unknown) => e instanceof RangeError && /unknown encoding/.test((e as Error).message));
  assert.throws(() => lines(src, { maxLineLength: 0 }), RangeError);
  assert.throws(() => lines(src, { maxLineLength: 1.5 }), RangeError);
  assert.throws(() => lines(src, { onLongLine: 'truncate' as never }), /onLongLine/);
  assert.throws(() => lines(src, { maxBufferedBytes: -1 }), RangeError);
  assert.throws(() => lines(src, { signal: {} as AbortSignal }), TypeError);
  assert.throws(() => lines(42 as never), TypeError);
});

t('lines share nothing with pipe memory: they stay valid after the loop and the pool reuse', async () => {
  const pool = new BufferPool();
  const got = await viaLines(pipeReaderOver([bytes('hello\nwor'), bytes('ld\n')], pool));
  assert.equal(got, ['hello', 'world']);
  assert.is(pool.rentedBytes, 0, 'all pipe memory went back');
  const again = pool.rent(4096);
  again.fill(0x7a);
  assert.equal(got, ['hello', 'world']);
});

t('a reader already completed makes the iteration reject with InvalidOperationError', async () => {
  const pipe = new Pipe();
  await pipe.reader.complete();
  await rejects(() => viaLines(pipe.reader), InvalidOperationError);
});

t('many lines over many reads: the count and the text add up', async () => {
  const parts: Uint8Array[] = [];
  const expected: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const line = `line ${i} ${'é'.repeat(i % 7)}`;
    expected.push(line);
    parts.push(bytes(`${line}${i % 3 === 0 ? '\r\n' : '\n'}`));
  }
  const data = concat(parts);
  const chunks: Uint8Array[] = [];
  for (let o = 0, k = 1; o < data.length; o += k, k = (k * 7) % 251 + 1) chunks.push(data.subarray(o, o + k));
  assert.equal(await viaLines(pipeReaderOver(chunks)), expected);
});


/**
 * A reader of the caller's own making: each read hands out a fresh copy (new segments every time), so
 * the line helpers cannot resume on the segments they saw before and must find their place again.
 */
class CopyingReader extends PipeReader {
  private last: { copy: ReadOnlySequence; original: ReadOnlySequence } | null = null;
  constructor(private readonly inner: PipeReader) {
    super();
  }
  private wrap(r: ReadResult): ReadResult {
    const bytes = r.buffer.toUint8Array().slice();
    // Two segments, so seams fall in odd places too.
    const half = bytes.length >> 1;
    const copy = ReadOnlySequence.from(bytes.subarray(0, half), bytes.subarray(half));
    this.last = { copy, original: r.buffer };
    return { ...r, buffer: copy };
  }
  async read(): Promise<ReadResult> {
    return this.wrap(await this.inner.read());
  }
  async readAtLeast(n: number): Promise<ReadResult> {
    return this.wrap(await this.inner.readAtLeast(n));
  }
  tryRead(): ReadResult | undefined {
    const r = this.inner.tryRead();
    return r && this.wrap(r);
  }
  advanceTo(consumed: SequencePosition, examined?: SequencePosition): void {
    const { copy, original } = this.last!;
    const at = (p: SequencePosition) => original.getPosition(copy.getOffset(p));
    this.inner.advanceTo(at(consumed), examined === undefined ? undefined : at(examined));
  }
  cancelPendingRead(): void {
    this.inner.cancelPendingRead();
  }
  complete(error?: unknown): Promise<void> {
    return this.inner.complete(error);
  }
}

t('a reader of your own that hands out fresh sequences each read works the same', async () => {
  const text = 'alpha\r\nbeta\n' + 'x'.repeat(300) + '\nγ\n\nend';
  const data = bytes(text);
  const chunks: Uint8Array[] = [];
  for (let o = 0, k = 1; o < data.length; o += k, k = (k % 7) + 1) chunks.push(data.subarray(o, o + k));
  const expected = text.split('\n').map((l) => l.replace(/\r$/, ''));
  assert.equal(await viaLines(new CopyingReader(pipeReaderOver(chunks))), expected);
  const skipped = await viaLines(new CopyingReader(pipeReaderOver(chunks)), { maxLineLength: 100, onLongLine: 'skip' });
  assert.equal(skipped, expected.filter((l) => l.length <= 100));
});

t('long lines across chunks decode whole (joined before decoding)', async () => {
  for (const size of [5000, 100_000]) {
    const line = 'ü'.repeat(size);
    const data = bytes(`${line}\n${line}`);
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < data.length; o += 999) chunks.push(data.subarray(o, o + 999));
    assert.equal(await viaLines(chunks), [line, line], `${size} characters`);
  }
});

t.run();
