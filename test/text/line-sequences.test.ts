import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, Pipe, ReadOnlySequence, SequenceReader, lineSequences } from '../../src/index.js';
import { bytes, rejects, within } from '../helpers.js';

const expired = (e: unknown) => e instanceof InvalidOperationError;

const t = suite('lineSequences');

t('zero copy: a line is a view of the chunk it came in', async () => {
  const backing = bytes('xxhello\nworld\n');
  const chunk = backing.subarray(2);
  for await (const line of lineSequences([chunk])) {
    const view = line.first;
    assert.is(view.buffer, backing.buffer, 'same memory');
    assert.is(view.byteOffset, chunk.byteOffset, 'same place');
    assert.is(line.toString(), 'hello');
    break;
  }
});

t('a line across chunks is one sequence over several segments', async () => {
  const seen: ReadOnlySequence[] = [];
  const out: string[] = [];
  for await (const line of lineSequences([bytes('he'), bytes('ll'), bytes('o\r'), bytes('\nx')])) {
    seen.push(line);
    out.push(line.toString());
    if (out.length === 1) assert.is(line.isSingleSegment, false);
  }
  assert.equal(out, ['hello', 'x']);
});

t('each line expires at the next step, even when the next line came in the same chunk', async () => {
  const it = lineSequences([bytes('one\ntwo\nthree\n')]);
  const first = (await it.next()).value as ReadOnlySequence;
  const slice = first.slice(1);
  const cursor = new SequenceReader(first);
  assert.is(first.toString(), 'one');
  const second = (await it.next()).value as ReadOnlySequence;
  assert.is(second.toString(), 'two');
  assert.throws(() => first.toString(), expired);
  assert.throws(() => first.first, expired);
  assert.throws(() => slice.toUint8Array(), expired, 'slices expire with their line');
  assert.throws(() => cursor.tryRead(), expired, 'so do readers over it');
  assert.throws(() => [...first], (e: unknown) => e instanceof InvalidOperationError && /lineSequences\(\)/.test((e as Error).message));
  await it.return!();
  assert.throws(() => second.toString(), expired, 'the last line expires when the loop ends');
});

t('the last line expires when the iteration ends by itself', async () => {
  let last: ReadOnlySequence | undefined;
  for await (const line of lineSequences([bytes('a\nb')])) last = line;
  assert.throws(() => last!.toString(), expired);
});

t('keepLineEnds includes the line end bytes', async () => {
  const out: string[] = [];
  for await (const line of lineSequences([bytes('a\r'), bytes('\nb\n\nc')], { keepLineEnds: true })) out.push(line.toString());
  assert.equal(out, ['a\r\n', 'b\n', '\n', 'c']);
});

t('lines are bytes: a BOM stays, invalid UTF-8 stays as it was', async () => {
  const out: Uint8Array[] = [];
  for await (const line of lineSequences([bytes([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xff, 0x0a])])) out.push(line.toUint8Array().slice());
  assert.equal(out.map((l) => [...l]), [[0xef, 0xbb, 0xbf, 0x61], [0xff]]);
});

t('breaking out completes the reader; a waiting writer sees isCompleted', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 4 });
  const writing = pipe.writer.write('abc\ndef\nghi\n');
  for await (const line of lineSequences(pipe.reader)) {
    assert.is(line.toString(), 'abc');
    break;
  }
  assert.equal(await within(writing), { isCompleted: true, isCanceled: false });
});

t('a source error after some lines: those lines, then the error', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('a\nb\nc');
  await pipe.writer.complete(new RangeError('peer reset'));
  const out: string[] = [];
  await rejects(async () => {
    for await (const line of lineSequences(pipe.reader)) out.push(line.toString());
  }, RangeError, /peer reset/);
  assert.equal(out, ['a', 'b']);
});

t('next() calls that overlap resolve in order; an aborted signal rejects the next step', async () => {
  const pipe = new Pipe();
  const controller = new AbortController();
  const it = lineSequences(pipe.reader, { signal: controller.signal });
  const a = it.next();
  const b = it.next();
  await pipe.writer.write('1\n2\n3\n');
  // The first line was handed out, but the overlapping second step already ended its turn.
  assert.instance((await within(a)).value, ReadOnlySequence);
  const second = (await within(b)).value as ReadOnlySequence;
  assert.is(second.toString(), '2');
  controller.abort(new TypeError('stop'));
  await rejects(() => it.next(), TypeError, /stop/);
  assert.equal(await it.next(), { value: undefined, done: true });
});

t.run();
