import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, Pipe, ReadOnlySequence, forEachLine } from '../../src/index.js';
import { bytes, rejects, within } from '../helpers.js';

const expired = (e: unknown) => e instanceof InvalidOperationError;
import { pipeReaderOver } from './kit.js';

const t = suite('forEachLine');

class Boom extends Error {}

t('calls back once per line and resolves with the count', async () => {
  const out: string[] = [];
  const n = await forEachLine([bytes('a\r\nb\n'), bytes('\nc')], (line) => out.push(line.toString()));
  assert.is(n, 4);
  assert.equal(out, ['a', 'b', '', 'c']);
});

t('empty input: no call, zero lines', async () => {
  let calls = 0;
  assert.is(await forEachLine([], () => calls++), 0);
  assert.is(await forEachLine(new Uint8Array(0), () => calls++), 0);
  assert.is(calls, 0);
});

t('zero copy, and a line is valid only during its callback', async () => {
  const chunk = bytes('one\ntwo\n');
  let kept: ReadOnlySequence | undefined;
  await forEachLine([chunk], (line) => {
    assert.is(line.first.buffer, chunk.buffer);
    assert.is(line.length, 3);
    if (kept !== undefined) assert.throws(() => kept!.toString(), expired, 'the previous line expired');
    kept = line;
  });
  assert.throws(() => kept!.toString(), expired);
});

t('keepLineEnds: lines include \\n or \\r\\n (also across chunks)', async () => {
  const out: string[] = [];
  await forEachLine([bytes('a\r'), bytes('\nb\nc')], (line) => out.push(line.toString()), { keepLineEnds: true });
  assert.equal(out, ['a\r\n', 'b\n', 'c']);
});

t('a throwing callback stops the loop, rejects with its error and completes the reader', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('a\nb\nc\n');
  let calls = 0;
  await rejects(() => forEachLine(pipe.reader, () => {
    if (++calls === 2) throw new Boom('bad line');
  }), Boom, /bad line/);
  assert.is(calls, 2);
  assert.equal(await pipe.writer.write('x'), { isCompleted: true, isCanceled: false });
});

t('a callback that returns a promise is a TypeError: lines expire when it returns', async () => {
  await rejects(() => forEachLine([bytes('a\nb\n')], async () => {}), TypeError, /synchronously/);
  // ...also on the general path (a line across chunks, the last line).
  await rejects(() => forEachLine([bytes('a'), bytes('b')], () => Promise.resolve()), TypeError, /synchronously/);
});

t('returning a non-promise value is fine', async () => {
  assert.is(await forEachLine([bytes('a\nb\n')], () => 42 as unknown as void), 2);
});

t('the callback must be a function', async () => {
  await rejects(() => forEachLine([bytes('a\n')], 'nope' as never), TypeError, /callback/);
});

t('leaveOpen with a PipeReader: advanced past the last line, the rest readable', async () => {
  const pipe = new Pipe();
  await pipe.writer.write('a\nb\npartial');
  await pipe.writer.complete();
  const n = await forEachLine(pipe.reader, () => {
    throw new Boom('stop after the first');
  }, { leaveOpen: true }).catch((e: unknown) => e);
  assert.instance(n, Boom);
  const r = await within(pipe.reader.read());
  assert.is(r.buffer.toString(), 'b\npartial');
  pipe.reader.advanceTo(r.buffer.end);
  await pipe.reader.complete();
});

t('signal: an abort between chunks rejects with its reason', async () => {
  const controller = new AbortController();
  const pipe = new Pipe();
  await pipe.writer.write('a\n');
  const done = forEachLine(pipe.reader, (line) => {
    if (line.toString() === 'a') controller.abort(new Boom('enough'));
  }, { signal: controller.signal });
  await rejects(() => within(done), Boom, /enough/);
});

t('a Pipe fed in awkward chunks: the same lines as one chunk', async () => {
  const text = 'alpha\r\nbeta\n\ngamma\r\rdelta\n'.repeat(50);
  const data = bytes(text);
  const chunks: Uint8Array[] = [];
  for (let o = 0, k = 1; o < data.length; o += k, k = (k % 13) + 1) chunks.push(data.subarray(o, o + k));
  const out: string[] = [];
  await forEachLine(pipeReaderOver(chunks), (line) => out.push(line.toString()));
  assert.equal(out, text.split('\n').slice(0, -1).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
});

t.run();
