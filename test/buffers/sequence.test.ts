import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, Pipe, PipeReader, ReadOnlySequence, SequencePosition, type ReadResult } from '../../src/index.js';
import { bytes, concat, equalBytes, rejects, within } from '../helpers.js';

const t = suite('ReadOnlySequence');

/** 'hello world' in three segments: 'hel' | 'lo w' | 'orld'. */
function threeParts(): { chunks: Uint8Array[]; seq: ReadOnlySequence } {
  const chunks = [bytes('hel'), bytes('lo w'), bytes('orld')];
  return { chunks, seq: ReadOnlySequence.from(...chunks) };
}

t('empty has no bytes, one (empty) segment and equal start/end', () => {
  const e = ReadOnlySequence.empty;
  assert.is(e.length, 0);
  assert.ok(e.isEmpty);
  assert.ok(e.isSingleSegment);
  assert.is(e.first.length, 0);
  assert.is(e.getOffset(e.start), 0);
  assert.is(e.getOffset(e.end), 0);
  assert.equal([...e], []);
  assert.is(e.toUint8Array().length, 0);
  assert.is(e.toString(), '');
  assert.is(e.indexOf(0), -1);
  assert.is(e.positionOf(0), null);
  assert.is(ReadOnlySequence.from().length, 0);
  assert.is(ReadOnlySequence.from(new Uint8Array(0), new Uint8Array(0)).length, 0);
});

t('from() does not copy: segments are the given views and writes show through', () => {
  const backing = bytes('abcdefgh');
  const a = backing.subarray(0, 3);
  const b = backing.subarray(3);
  const seq = ReadOnlySequence.from(a, b);
  const parts = [...seq];
  assert.is(parts.length, 2);
  assert.is(parts[0], a, 'first segment is the very view passed in');
  assert.is(parts[1], b);
  assert.is(seq.first, a);
  backing[4] = 0x5a; // 'Z'
  assert.is(seq.toString(), 'abcdZfgh');
});

t('from() skips empty chunks and rejects non-Uint8Array chunks with TypeError', async () => {
  const seq = ReadOnlySequence.from(new Uint8Array(0), bytes('ab'), new Uint8Array(0), bytes('c'), new Uint8Array(0));
  assert.is(seq.length, 3);
  assert.equal([...seq].map((c) => c.length), [2, 1]);
  await rejects(() => ReadOnlySequence.from('abc' as unknown as Uint8Array), TypeError, /Uint8Array chunks, got string/);
  await rejects(() => ReadOnlySequence.from([1, 2] as unknown as Uint8Array), TypeError, /got Array/);
  await rejects(() => ReadOnlySequence.from(null as unknown as Uint8Array), TypeError, /got null/);
});

t('length, isEmpty, isSingleSegment, first', () => {
  const { seq, chunks } = threeParts();
  assert.is(seq.length, 11);
  assert.not.ok(seq.isEmpty);
  assert.not.ok(seq.isSingleSegment);
  assert.is(seq.first, chunks[0]);
  const single = ReadOnlySequence.from(bytes('xyz'));
  assert.ok(single.isSingleSegment);
  assert.is(single.first.length, 3);
  // A slice inside one segment is single-segment; its first is a view of just the slice.
  const inner = seq.slice(4, 6);
  assert.ok(inner.isSingleSegment);
  assert.is(inner.first.buffer, chunks[1]!.buffer);
  assert.is(new TextDecoder().decode(inner.first), 'o ');
  // A slice starting exactly at a seam has the next segment's bytes as first.
  const atSeam = seq.slice(3);
  assert.is(new TextDecoder().decode(atSeam.first), 'lo w');
});

t('start and end are positions at offsets 0 and length', () => {
  const { seq } = threeParts();
  assert.instance(seq.start, SequencePosition);
  assert.is(seq.getOffset(seq.start), 0);
  assert.is(seq.getOffset(seq.end), 11);
  const s = seq.slice(2, 9);
  assert.is(seq.getOffset(s.start), 2);
  assert.is(seq.getOffset(s.end), 9);
  assert.is(s.getOffset(s.end), 7);
});

t('slice with numbers is [start, end) and copies nothing', () => {
  const { seq, chunks } = threeParts();
  assert.is(seq.slice(0).toString(), 'hello world');
  assert.is(seq.slice(0, 11), seq, 'the whole range is the sequence itself');
  assert.is(seq.slice(2, 9).toString(), 'llo wor');
  assert.is(seq.slice(3, 7).toString(), 'lo w');
  assert.is(seq.slice(5, 5).length, 0);
  assert.is(seq.slice(11).length, 0);
  assert.is(seq.slice(2, 9).slice(1, 4).toString(), 'lo ');
  const parts = [...seq.slice(1, 10)];
  assert.equal(parts.map((p) => p.buffer), chunks.map((c) => c.buffer));
  assert.equal(parts.map((p) => p.byteOffset), [1, 0, 0]);
});

t('slice rejects negative, past-end and reversed ranges with RangeError (no clamping)', async () => {
  const { seq } = threeParts();
  await rejects(() => seq.slice(-1), RangeError, /non-negative integer, got -1/);
  await rejects(() => seq.slice(0, -2), RangeError, /non-negative/);
  await rejects(() => seq.slice(12), RangeError, /past the end of the sequence \(length 11\)/);
  await rejects(() => seq.slice(0, 12), RangeError, /past the end/);
  await rejects(() => seq.slice(5, 4), RangeError, /end \(4\) is before start \(5\)/);
  await rejects(() => seq.slice(1.5), RangeError, /non-negative integer/);
  await rejects(() => seq.slice(seq.end, seq.start), RangeError, /before start/);
  await rejects(() => seq.slice('1' as unknown as number), TypeError, /number or a SequencePosition, got string/);
});

t('slice with positions, and positions at a seam are equal whichever segment names them', () => {
  const { seq } = threeParts();
  const endOfFirst = seq.getPosition(3); // names the end of 'hel'
  assert.is(seq.getOffset(seq.positionOf(0x6c /* 'l' */)!), 2);
  const seamViaSearch = seq.positionOf(bytes('lo'))!; // 'lo' starts the second segment
  assert.is(seq.getOffset(seamViaSearch), 3);
  assert.is(seq.getOffset(endOfFirst), 3);
  assert.is(seq.slice(endOfFirst).toString(), 'lo world');
  assert.is(seq.slice(seamViaSearch).toString(), 'lo world');
  assert.is(seq.slice(0, endOfFirst).toString(), 'hel');
  assert.is(seq.slice(0, seamViaSearch).toString(), 'hel');
  // Every combination of the two names of the same seam gives the same (empty) slice.
  for (const a of [endOfFirst, seamViaSearch]) {
    for (const b of [endOfFirst, seamViaSearch]) {
      const s = seq.slice(a, b);
      assert.is(s.length, 0);
      assert.equal([...s], []);
      assert.is(s.toUint8Array().length, 0);
      assert.is(s.toString(), '');
    }
  }
  // Mixed numbers and positions.
  assert.is(seq.slice(1, seamViaSearch).toString(), 'el');
  assert.is(seq.slice(seamViaSearch, 8).toString(), 'lo wo');
});

t('a sub-slice ending at a seam still slices correctly with the other name of that seam', () => {
  const { seq } = threeParts();
  const head = seq.slice(0, 3); // 'hel', ends at the end of segment 1
  const seamB = seq.positionOf(bytes('lo'))!; // names the start of segment 2
  const rest = head.slice(seamB);
  assert.is(rest.length, 0);
  assert.equal([...rest], []);
  assert.is(head.slice(0, seamB).toString(), 'hel');
  const tail = seq.slice(seamB); // starts at segment 2
  const rest2 = tail.slice(0, seq.getPosition(3));
  assert.is(rest2.length, 0);
  assert.equal([...rest2], []);
});

t('positions from another sequence, or outside this one, are rejected', async () => {
  const { seq } = threeParts();
  const other = ReadOnlySequence.from(bytes('hello world'));
  await rejects(() => seq.slice(other.start), InvalidOperationError, /start position belongs to another buffer/);
  await rejects(() => seq.getOffset(other.end), InvalidOperationError, /^The position belongs to another buffer/);
  const mid = seq.slice(4, 8);
  await rejects(() => mid.slice(seq.start), RangeError, /outside this sequence \(offset -4, length 4\)/);
  await rejects(() => mid.getOffset(seq.end), RangeError, /outside this sequence/);
  await rejects(() => mid.slice(0, seq.getPosition(9)), RangeError, /end position lies outside/);
});

t('getPosition and getOffset round-trip, also from an origin', async () => {
  const { seq } = threeParts();
  for (let i = 0; i <= seq.length; i++) assert.is(seq.getOffset(seq.getPosition(i)), i);
  const origin = seq.getPosition(4);
  assert.is(seq.getOffset(seq.getPosition(3, origin)), 7);
  assert.is(seq.slice(seq.getPosition(2, origin)).toString(), 'world');
  await rejects(() => seq.getPosition(12), RangeError, /past the end \(length 11\)/);
  await rejects(() => seq.getPosition(8, origin), RangeError, /offset 8 from 4 is past the end/);
  await rejects(() => seq.getPosition(-1), RangeError, /non-negative/);
});

t('indexOf and positionOf find bytes in any segment', () => {
  const { seq } = threeParts();
  assert.is(seq.indexOf(0x68 /* h */), 0);
  assert.is(seq.indexOf(0x20 /* space */), 5);
  assert.is(seq.indexOf(0x64 /* d */), 10);
  assert.is(seq.indexOf(0x7a /* z */), -1);
  assert.is(seq.indexOf(0x6f /* o */), 4);
  assert.is(seq.indexOf(0x6f, 5), 7);
  assert.is(seq.indexOf(0x6f, 8), -1);
  assert.is(seq.indexOf(0x68, 11), -1);
  assert.is(seq.indexOf(0x68, 99), -1);
  assert.is(seq.getOffset(seq.positionOf(0x72 /* r */)!), 8);
  assert.is(seq.positionOf(0x7a), null);
  assert.throws(() => seq.indexOf(0x68, -1), RangeError);
  // Values that are not bytes are never found (a byte search must not wrap 256 to 0 or -1 to 255).
  const edge = ReadOnlySequence.from(bytes([1, 0, 255]), bytes([7]));
  for (const v of [256, -1, 0.5, NaN, 511]) {
    assert.is(edge.indexOf(v), -1, `indexOf(${v})`);
    assert.is(edge.positionOf(v), null, `positionOf(${v})`);
  }
});

t('multi-byte patterns are found across seams, including one spanning 3+ segments', () => {
  // 'ab' | 'c' | 'd' | 'ef' | 'abcdef' : 'bcde' spans four segments; 'cdef' also appears within one.
  const seq = ReadOnlySequence.from(bytes('ab'), bytes('c'), bytes('d'), bytes('ef'), bytes('abcdef'));
  assert.is(seq.indexOf(bytes('bcde')), 1);
  assert.is(seq.indexOf(bytes('bcde'), 2), 7);
  assert.is(seq.indexOf(bytes('abcdef')), 0);
  assert.is(seq.indexOf(bytes('fa')), 5);
  assert.is(seq.indexOf(bytes('efab')), 4);
  assert.is(seq.indexOf(bytes('xyz')), -1);
  assert.is(seq.indexOf(bytes('efx')), -1, 'a partial match at a seam that fails');
  assert.is(seq.indexOf(bytes('abcdefg')), -1, 'a pattern running past the end');
  assert.is(seq.indexOf(bytes('f')), 5);
  assert.is(seq.indexOf(new Uint8Array(0), 3), 3, 'the empty pattern matches at fromIndex');
  assert.is(seq.getOffset(seq.positionOf(bytes('cdefab'))!), 2);
  assert.is(seq.getOffset(seq.positionOf(bytes('fab'))!), 5);
  // A slice limits the search: no match may run past its end.
  assert.is(seq.slice(0, 4).indexOf(bytes('bcde')), -1);
  assert.is(seq.slice(0, 5).indexOf(bytes('bcde')), 1);
  assert.is(seq.slice(2).indexOf(bytes('ab')), 4);
  // Overlapping candidates: the first candidate fails, the next one matches.
  const rep = ReadOnlySequence.from(bytes('aa'), bytes('a'), bytes('ab'));
  assert.is(rep.indexOf(bytes('aab')), 2);
});

t('toUint8Array returns the view itself when single-segment, else one copy', () => {
  const chunk = bytes('abcdef');
  const single = ReadOnlySequence.from(chunk);
  assert.is(single.toUint8Array(), chunk);
  const part = single.slice(1, 4).toUint8Array();
  assert.is(part.buffer, chunk.buffer, 'a single-segment slice is a view too');
  assert.is(part.byteOffset, 1);
  const { seq, chunks } = threeParts();
  const flat = seq.toUint8Array();
  equalBytes(flat, concat(chunks));
  assert.is.not(flat.buffer, chunks[0]!.buffer);
});

t('copyTo copies at an offset and rejects a target that is too small', async () => {
  const { seq } = threeParts();
  const target = new Uint8Array(15).fill(0x2e); // '.'
  seq.copyTo(target, 2);
  assert.is(new TextDecoder().decode(target), '..hello world..');
  const exact = new Uint8Array(11);
  seq.copyTo(exact);
  assert.is(new TextDecoder().decode(exact), 'hello world');
  seq.slice(3, 7).copyTo(exact, 7);
  assert.is(new TextDecoder().decode(exact), 'hello wlo w');
  await rejects(() => seq.copyTo(new Uint8Array(10)), RangeError, /11 bytes do not fit in a target of 10 at offset 0/);
  await rejects(() => seq.copyTo(new Uint8Array(11), 1), RangeError, /at offset 1/);
  await rejects(() => seq.copyTo(new Uint8Array(20), -1), RangeError, /non-negative/);
});

t('toString decodes a character split across segments', () => {
  const euro = bytes('€'); // e2 82 ac
  const snowman = bytes('a☃b');
  assert.is(ReadOnlySequence.from(euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)).toString(), '€');
  assert.is(ReadOnlySequence.from(snowman.subarray(0, 2), snowman.subarray(2)).toString(), 'a☃b');
  const emoji = bytes('x😀y'); // 4-byte character
  for (let cut = 1; cut < emoji.length; cut++) {
    assert.is(ReadOnlySequence.from(emoji.subarray(0, cut), emoji.subarray(cut)).toString(), 'x😀y');
  }
  // The shared decoder keeps no state between calls, even after an incomplete tail.
  assert.is(ReadOnlySequence.from(bytes('a'), euro.subarray(0, 2)).toString(), 'a\uFFFD');
  assert.is(ReadOnlySequence.from(bytes('o'), bytes('k')).toString(), 'ok');
  assert.is(ReadOnlySequence.from(bytes('héllo')).toString('utf-8'), 'héllo');
  assert.is(ReadOnlySequence.from(bytes([0x68, 0xe9])).toString('latin1'), 'hé');
});

t('invalid UTF-8 becomes U+FFFD; { fatal: true } throws TypeError', async () => {
  const bad = ReadOnlySequence.from(bytes([0x61, 0xff]), bytes([0x62]));
  assert.is(bad.toString(), 'a\uFFFDb');
  await rejects(() => bad.toString('utf-8', { fatal: true }), TypeError);
  const single = ReadOnlySequence.from(bytes([0xc3]));
  await rejects(() => single.toString('utf-8', { fatal: true }), TypeError);
  // A fatal decode that threw leaves nothing behind for the next decode.
  assert.is(ReadOnlySequence.from(bytes('fine')).toString('utf-8', { fatal: true }), 'fine');
  assert.is(ReadOnlySequence.from(bytes('€').subarray(0, 1), bytes('€').subarray(1)).toString('utf-8', { fatal: true }), '€');
});

t('iteration yields the original views, in order, skipping empty ones', () => {
  const a = bytes('one');
  const b = bytes('two');
  const seq = ReadOnlySequence.from(a, new Uint8Array(0), b);
  const seen = [...seq];
  assert.is(seen.length, 2);
  assert.is(seen[0], a);
  assert.is(seen[1], b);
  const sliced = [...seq.slice(1, 5)];
  assert.equal(sliced.map((v) => new TextDecoder().decode(v)), ['ne', 'tw']);
  assert.is(sliced[0]!.buffer, a.buffer);
  assert.is(sliced[1]!.buffer, b.buffer);
});

t('a pattern search in a slice never matches bytes past the slice\'s end', () => {
  // 'abcd' of one chunk 'abcdef': 'de' would match if the search read on into the chunk.
  const one = ReadOnlySequence.from(bytes('abcdef')).slice(0, 4);
  assert.is(one.indexOf(bytes('de')), -1);
  assert.is(one.positionOf(bytes('def')), null);
  assert.is(one.indexOf(bytes('cd')), 2);
  // 'ab' | 'c' of 'cdef': a match starting in the first segment must stop at the slice's end too.
  const two = ReadOnlySequence.from(bytes('ab'), bytes('cdef')).slice(0, 3);
  assert.is(two.indexOf(bytes('bcd')), -1);
  assert.is(two.positionOf(bytes('bcd')), null);
  assert.is(two.indexOf(bytes('bc')), 1);
});

t('errors name the argument that was wrong', async () => {
  const { seq } = threeParts();
  const other = ReadOnlySequence.from(bytes('x'));
  await rejects(() => seq.getPosition(-1), RangeError, /^offset must be a non-negative integer, got -1\.$/);
  await rejects(() => seq.getPosition(0, other.start), InvalidOperationError, /The origin position belongs to another buffer/);
  await rejects(() => seq.indexOf(0x68, -1), RangeError, /^fromIndex must be a non-negative integer, got -1\.$/);
  await rejects(() => seq.getOffset('1' as unknown as SequencePosition), TypeError, /^position must be a number or a SequencePosition, got string\.$/);
  // A value without a constructor is described, not dereferenced.
  await rejects(() => ReadOnlySequence.from(Object.create(null) as Uint8Array), TypeError, /Uint8Array chunks, got an object\.$/);
});

t('a position kept from an earlier read still slices a later buffer that starts there', async () => {
  const pipe = new Pipe();
  await pipe.writer.write(bytes('abc'));
  const first = await within(pipe.reader.read());
  const boundary = first.buffer.end; // names the end of the first buffer's memory
  pipe.reader.advanceTo(boundary); // ...which goes back to the pool here
  await pipe.writer.write(bytes('defg'));
  const second = await within(pipe.reader.read());
  assert.is(second.buffer.getOffset(boundary), 0);
  assert.is(second.buffer.slice(boundary, 2).toString(), 'de');
  assert.is(second.buffer.slice(boundary, second.buffer.getPosition(3)).toString(), 'def');
  pipe.reader.advanceTo(second.buffer.end);
  await pipe.writer.complete();
  await pipe.reader.complete();
});

t('chunks given to from() are handed on as they are: copyTo() passes them without a copy', async () => {
  const a = bytes('abc');
  const b = bytes('de');
  /** A reader (not a pipe's) whose one buffer is a sequence over caller chunks. */
  class ChunkReader extends PipeReader {
    readonly result: ReadResult = { buffer: ReadOnlySequence.from(a, b), isCompleted: true, isCanceled: false };
    read(): Promise<ReadResult> {
      return Promise.resolve(this.result);
    }
    readAtLeast(): Promise<ReadResult> {
      return this.read();
    }
    tryRead(): ReadResult {
      return this.result;
    }
    advanceTo(): void {}
    cancelPendingRead(): void {}
    complete(): Promise<void> {
      return Promise.resolve();
    }
  }
  const got: Uint8Array[] = [];
  await within(new ChunkReader().copyTo(new WritableStream<Uint8Array>({ write: (chunk) => void got.push(chunk) })));
  assert.is(got.length, 2);
  assert.is(got[0], a, 'the very chunk passed to from()');
  assert.is(got[1], b);
});

t.run();
