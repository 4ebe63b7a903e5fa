import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReadOnlySequence, SequenceReader } from '../../src/index.js';
import { bytes, chunked, rejects } from '../helpers.js';

const t = suite('SequenceReader');
const text = (s: ReadOnlySequence | undefined): string | undefined => s?.toString();

/** A reader over `value` cut into chunks of the given sizes (default: one byte each). */
function over(value: string | number[], sizes: number[] = [1]): SequenceReader {
  return new SequenceReader(ReadOnlySequence.from(...chunked(bytes(value), sizes)));
}

/** Asserts the reader sits at `consumed` (and so did not move after a failed try…). */
function at(r: SequenceReader, consumed: number): void {
  assert.is(r.consumed, consumed, 'consumed');
  assert.is(r.remaining, r.length - consumed, 'remaining');
  assert.is(r.end, consumed === r.length, 'end');
  assert.is(r.sequence.getOffset(r.position), consumed, 'position');
}

t('counters, position, sequence and unreadSequence follow the cursor', () => {
  const seq = ReadOnlySequence.from(bytes('ab'), bytes('cde'));
  const r = new SequenceReader(seq);
  assert.is(r.sequence, seq);
  assert.is(r.length, 5);
  at(r, 0);
  assert.is(r.unreadSequence.toString(), 'abcde');
  r.advance(3);
  at(r, 3);
  assert.is(r.unreadSequence.toString(), 'de');
  assert.is(seq.slice(r.position).toString(), 'de');
  r.advanceToEnd();
  at(r, 5);
  assert.is(r.unreadSequence.length, 0);
  const empty = new SequenceReader(ReadOnlySequence.empty);
  assert.ok(empty.end);
  assert.is(empty.tryRead(), undefined);
});

t('tryPeek is relative to the current position and never moves', () => {
  const r = over('abcdef', [2, 1, 3]);
  assert.is(r.tryPeek(), 0x61);
  assert.is(r.tryPeek(3), 0x64);
  assert.is(r.tryPeek(5), 0x66);
  assert.is(r.tryPeek(6), undefined);
  assert.is(r.tryPeek(-1), undefined);
  r.advance(2);
  assert.is(r.tryPeek(), 0x63);
  assert.is(r.tryPeek(3), 0x66);
  assert.is(r.tryPeek(4), undefined);
  at(r, 2);
});

t('tryRead walks every byte across seams, then returns undefined without moving', () => {
  const r = over('xyz', [1, 2]);
  assert.equal([r.tryRead(), r.tryRead(), r.tryRead()], [0x78, 0x79, 0x7a]);
  assert.is(r.tryRead(), undefined);
  at(r, 3);
});

t('advance and rewind move by counts and reject impossible ones', async () => {
  const r = over('0123456789', [3, 3, 4]);
  r.advance(4);
  assert.is(r.tryPeek(), 0x34);
  r.rewind(2);
  at(r, 2);
  assert.is(r.tryPeek(), 0x32);
  r.advance(0);
  r.rewind(0);
  at(r, 2);
  r.advance(8);
  at(r, 10);
  r.rewind(10);
  at(r, 0);
  await rejects(() => r.advance(11), RangeError, /advance\(11\): must be an integer from 0 to the 10 remaining bytes/);
  await rejects(() => r.advance(-1), RangeError, /advance\(-1\)/);
  await rejects(() => r.rewind(1), RangeError, /rewind\(1\): must be an integer from 0 to the 0 consumed bytes/);
  r.advance(5);
  await rejects(() => r.rewind(6), RangeError, /5 consumed/);
  await rejects(() => r.advance(1.5), RangeError);
  at(r, 5);
});

t('isNext checks a byte or a pattern and moves past it only when asked', () => {
  const r = over('GET /', [2, 1, 2]);
  assert.ok(r.isNext(0x47));
  assert.not.ok(r.isNext(0x48));
  assert.ok(r.isNext(bytes('GET ')));
  assert.not.ok(r.isNext(bytes('GEX')));
  assert.not.ok(r.isNext(bytes('GET /x')), 'a pattern longer than what remains');
  at(r, 0);
  assert.ok(r.isNext(bytes('GET'), true));
  at(r, 3);
  assert.ok(r.isNext(0x20, true));
  at(r, 4);
  assert.not.ok(r.isNext(0x20, true));
  at(r, 4);
  assert.ok(r.isNext(new Uint8Array(0), true));
  at(r, 4);
  r.advanceToEnd();
  assert.not.ok(r.isNext(0x2f));
});

t('advancePast and advancePastAny return the count skipped', () => {
  const r = over('   \t \txyz', [2]);
  assert.is(r.advancePast(0x20), 3);
  assert.is(r.advancePast(0x20), 0);
  assert.is(r.advancePastAny([0x20, 0x09]), 3);
  assert.is(r.tryPeek(), 0x78);
  assert.is(r.advancePastAny(bytes('zyx')), 3);
  at(r, 9);
  assert.is(r.advancePast(0x78), 0);
  assert.is(r.advancePastAny([]), 0);
});

t('tryReadTo a byte: moves past the delimiter by default, or stops on it', () => {
  const r = over('key=value;next', [3]);
  assert.is(text(r.tryReadTo(0x3d)), 'key');
  at(r, 4);
  assert.is(text(r.tryReadTo(0x3b, false)), 'value');
  at(r, 9);
  assert.ok(r.isNext(0x3b));
  assert.is(text(r.tryReadTo(0x3b, { advancePastDelimiter: true })), '');
  at(r, 10);
  assert.is(r.tryReadTo(0x3d), undefined, 'no delimiter: undefined');
  at(r, 10);
});

t('tryReadTo a pattern found across seams', () => {
  const r = over('a--b---c', [1]);
  assert.is(text(r.tryReadTo(bytes('--'))), 'a');
  at(r, 3);
  assert.is(text(r.tryReadTo(bytes('---'), { advancePastDelimiter: false })), 'b');
  at(r, 4);
  assert.ok(r.isNext(bytes('---')));
  assert.is(r.tryReadTo(bytes('----')), undefined);
  at(r, 4);
});

t('tryReadTo with escape skips escaped delimiters and keeps the escapes', () => {
  const bs = 0x5c; // backslash
  const r = over('a\\,b,c\\\\,d\\\\\\,e', [2]);
  // 'a\,b' (escaped comma) then ','; then 'c\\' (the escape is escaped) then ','; then 'd\\\,e' (odd run).
  assert.is(text(r.tryReadTo(0x2c, { escape: bs })), 'a\\,b');
  assert.is(text(r.tryReadTo(0x2c, { escape: bs })), 'c\\\\');
  assert.is(r.tryReadTo(0x2c, { escape: bs }), undefined, 'only an escaped delimiter is left');
  assert.is(text(r.unreadSequence), 'd\\\\\\,e');
  // An escape right at the reader's position counts too.
  const first = over('\\,x,y', [1]);
  assert.is(text(first.tryReadTo(0x2c, { escape: bs })), '\\,x');
  assert.is(text(first.unreadSequence), 'y');
  // Escapes with a multi-byte delimiter, not moving past it.
  const p = over('x\\::y::z', [3]);
  assert.is(text(p.tryReadTo(bytes('::'), { escape: bs, advancePastDelimiter: false })), 'x\\::y');
  assert.ok(p.isNext(bytes('::')));
});

t('tryReadToAny stops at the first of several delimiters', () => {
  const r = over('ab;cd,ef', [3]);
  assert.is(text(r.tryReadToAny([0x2c, 0x3b])), 'ab');
  at(r, 3);
  assert.is(text(r.tryReadToAny(bytes(',;'), false)), 'cd');
  at(r, 5);
  assert.is(r.tryReadToAny([0x7c]), undefined);
  at(r, 5);
  assert.is(r.tryReadToAny([]), undefined);
});

t('tryAdvanceTo moves to or past a delimiter, or returns false without moving', () => {
  const r = over('skip|here', [4]);
  assert.not.ok(r.tryAdvanceTo(0x23));
  at(r, 0);
  assert.ok(r.tryAdvanceTo(0x7c, false));
  at(r, 4);
  assert.ok(r.tryAdvanceTo(0x7c));
  at(r, 5);
  assert.ok(r.tryAdvanceTo(bytes('er')));
  at(r, 8);
});

t('tryReadExact returns exactly count bytes or undefined without moving', async () => {
  const r = over('abcdef', [4]);
  assert.is(text(r.tryReadExact(3)), 'abc');
  assert.is(text(r.tryReadExact(0)), '');
  assert.is(r.tryReadExact(4), undefined);
  at(r, 3);
  assert.is(text(r.tryReadExact(3)), 'def');
  await rejects(() => r.tryReadExact(-1), RangeError, /count must be a non-negative integer/);
});

t('tryReadLine: \\n and \\r\\n end lines (also split across segments); a lone \\r is data', () => {
  const r = new SequenceReader(ReadOnlySequence.from(bytes('one\r'), bytes('\ntwo\n'), bytes('th\rree\r\n\r'), bytes('\n')));
  assert.is(text(r.tryReadLine()), 'one');
  assert.is(text(r.tryReadLine()), 'two');
  assert.is(text(r.tryReadLine()), 'th\rree');
  assert.is(text(r.tryReadLine()), '');
  assert.ok(r.end);
  const partial = over('a\nno end\r', [1]);
  assert.is(text(partial.tryReadLine()), 'a');
  assert.is(partial.tryReadLine(), undefined, 'no terminator: undefined');
  at(partial, 2);
  // A \r consumed as data of the previous line does not shorten the next one.
  const cr = new SequenceReader(ReadOnlySequence.from(bytes('x\r'), bytes('\n'), bytes('\n')));
  assert.is(text(cr.tryReadLine()), 'x');
  assert.is(text(cr.tryReadLine()), '');
  const lone = over('a\rb\n', [2]);
  assert.is(text(lone.tryReadLine()), 'a\rb');
});

t('tryCopyTo copies the next bytes without moving and returns a boolean', () => {
  const r = over('abcdefgh', [3]);
  r.advance(1);
  const target = new Uint8Array(5);
  assert.ok(r.tryCopyTo(target));
  assert.is(new TextDecoder().decode(target), 'bcdef');
  at(r, 1);
  assert.not.ok(r.tryCopyTo(new Uint8Array(8)));
  assert.ok(r.tryCopyTo(new Uint8Array(0)));
  assert.ok(r.tryCopyTo(new Uint8Array(7)));
  at(r, 1);
  const whole = new SequenceReader(ReadOnlySequence.from(bytes('xyz')));
  const out = new Uint8Array(3);
  assert.ok(whole.tryCopyTo(out));
  assert.is(new TextDecoder().decode(out), 'xyz');
});

t('typed reads decode big- and little-endian values across seams', () => {
  const buf = new ArrayBuffer(39);
  const dv = new DataView(buf);
  dv.setUint8(0, 0xfe);
  dv.setInt8(1, -2);
  dv.setUint16(2, 0xbeef);
  dv.setInt16(4, -12345, true);
  dv.setUint32(6, 0xdeadbeef, true);
  dv.setInt32(10, -123456789);
  dv.setFloat32(14, 1.5, true);
  dv.setFloat64(18, -Math.PI);
  dv.setBigUint64(26, 0xfedcba9876543210n, true);
  dv.setUint8(34, 0x80); // Int8 -128
  dv.setUint32(35, 0x01020304);
  const all = new Uint8Array(buf);
  for (const sizes of [[1], [3], [5, 2, 7], [39]]) {
    const r = new SequenceReader(ReadOnlySequence.from(...chunked(all, sizes)));
    assert.is(r.tryReadUint8(), 0xfe);
    assert.is(r.tryReadInt8(), -2);
    assert.is(r.tryReadUint16(), 0xbeef);
    assert.is(r.tryReadInt16(true), -12345);
    assert.is(r.tryReadUint32(true), 0xdeadbeef);
    assert.is(r.tryReadInt32(), -123456789);
    assert.is(r.tryReadFloat32(true), 1.5);
    assert.is(r.tryReadFloat64(), -Math.PI);
    assert.is(r.tryReadBigUint64(true), 0xfedcba9876543210n);
    assert.is(r.tryReadInt8(), -128);
    r.rewind(9);
    assert.is(r.tryReadBigInt64(true), -0x123456789abcdf0n, `sizes ${sizes}`);
    r.advance(1);
    assert.is(r.tryReadUint32(true), 0x04030201);
    r.rewind(4);
    assert.is(r.tryReadInt16(), 0x0102);
    r.rewind(2);
    assert.is(r.tryReadUint16(true), 0x0201);
    r.rewind(2);
    assert.is(r.tryReadInt32(true), 0x04030201);
    r.rewind(4);
    assert.is(r.tryReadFloat32(), new DataView(all.buffer, 35, 4).getFloat32(0));
    at(r, 39);
  }
});

t('typed reads with too few bytes return undefined without moving', () => {
  const r = over([1, 2, 3, 4, 5, 6, 7], [2, 2]);
  r.advance(1);
  assert.is(r.tryReadFloat64(), undefined);
  assert.is(r.tryReadBigUint64(), undefined);
  assert.is(r.tryReadBigInt64(true), undefined);
  at(r, 1);
  r.advance(4);
  assert.is(r.tryReadUint32(), undefined);
  assert.is(r.tryReadInt32(), undefined);
  assert.is(r.tryReadFloat32(), undefined);
  at(r, 5);
  assert.is(r.tryReadUint16(), 0x0607);
  assert.is(r.tryReadInt16(), undefined);
  assert.is(r.tryReadUint16(true), undefined);
  assert.is(r.tryReadUint8(), undefined);
  at(r, 7);
  assert.is(r.tryReadInt8(), undefined);
});

t('results are zero-copy views of the reader\'s segments', () => {
  const chunk = bytes('hello, world');
  const r = new SequenceReader(ReadOnlySequence.from(chunk));
  const word = r.tryReadTo(0x2c)!;
  assert.is(word.first.buffer, chunk.buffer);
  assert.is(word.first.byteOffset, 0);
  r.advancePast(0x20);
  const rest = r.tryReadExact(5)!;
  assert.is(rest.first.byteOffset, 7);
  assert.is(rest.first.buffer, chunk.buffer);
});

t('tryPeek never looks behind the position: a negative offset is undefined after the reader moved', () => {
  const r = over('abcd', [2]);
  r.advance(3);
  assert.is(r.tryPeek(-1), undefined);
  assert.is(r.tryPeek(-3), undefined);
  assert.is(r.tryPeek(0), 0x64);
  at(r, 3);
});

t('rewind by a negative count is rejected, not turned into a move forward', async () => {
  const r = over('abcdef', [4]);
  r.advance(2);
  await rejects(() => r.rewind(-1), RangeError, /rewind\(-1\): must be an integer from 0 to the 2 consumed bytes/);
  at(r, 2);
});

t('isNext matches a pattern exactly as long as the bytes that remain', () => {
  const r = over('GET /', [2, 1, 2]);
  r.advance(2);
  assert.ok(r.isNext(bytes('T /')));
  assert.ok(r.isNext(bytes('T /'), true));
  at(r, 5);
  assert.ok(r.isNext(new Uint8Array(0)), 'the empty pattern at the end');
});

t('tryReadToAny looks only at the first `length` entries of an array-like', () => {
  const r = over('ab,cd;ef', [3]);
  // An array-like whose element past its length would be a nearer delimiter (',').
  const semicolon: ArrayLike<number> = { length: 1, 0: 0x3b, 1: 0x2c };
  assert.is(text(r.tryReadToAny(semicolon)), 'ab,cd');
  at(r, 6);
});

t('tryReadLine: line lengths are the bytes of the line, also for later lines in one segment', () => {
  const r = new SequenceReader(ReadOnlySequence.from(bytes('ab\ncd\r\nefg\n')));
  const lines = [r.tryReadLine()!, r.tryReadLine()!, r.tryReadLine()!];
  assert.equal(lines.map((l) => l.length), [2, 2, 3]);
  assert.equal(lines.map((l) => l.toString()), ['ab', 'cd', 'efg']);
  assert.equal(lines.map((l) => l.toUint8Array().length), [2, 2, 3]);
  assert.ok(r.end);
});

t('tryReadLine: a \\r the reader already moved past does not shorten the empty line after it', () => {
  // In one segment: the reader stops between \r and \n.
  const one = new SequenceReader(ReadOnlySequence.from(bytes('a\r\nb\n')));
  assert.is(text(one.tryReadTo(0x0d)), 'a');
  const empty = one.tryReadLine()!;
  assert.is(empty.length, 0);
  assert.is(empty.toString(), '');
  at(one, 3);
  assert.is(text(one.tryReadLine()), 'b');
  // Across a seam: the \r ends the first segment, the reader sits at that segment's end.
  const seam = new SequenceReader(ReadOnlySequence.from(bytes('a\r'), bytes('\nb\n')));
  assert.is(text(seam.tryReadTo(0x0d)), 'a');
  at(seam, 2);
  const line = seam.tryReadLine()!;
  assert.is(line.length, 0);
  assert.is(line.toString(), '');
  assert.equal([...line], []);
  at(seam, 3);
  assert.is(text(seam.tryReadLine()), 'b');
  assert.ok(seam.end);
});

t('64-bit reads are big-endian by default', () => {
  const value = [0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0xf7];
  for (const sizes of [[8], [3, 5]]) {
    const r = over(value, sizes);
    assert.is(r.tryReadBigUint64(), 0x80010203040506f7n, `unsigned, sizes ${sizes}`);
    r.rewind(8);
    assert.is(r.tryReadBigInt64(), 0x80010203040506f7n - (1n << 64n), `signed, sizes ${sizes}`);
    at(r, 8);
  }
});

t.run();
