import { ReadOnlySequence } from './sequence.js';
import { SequencePosition } from './position.js';
import { findByte, hit, indexOfByte, type Segment } from './segment.js';

const CR = 0x0d;
const LF = 0x0a;
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

/** Options of {@link SequenceReader.tryReadTo}. */
export interface ReadToOptions {
  /** A byte that, when it precedes the delimiter an odd number of times, makes that delimiter data. */
  escape?: number;
  /** Move past the delimiter (default true) or stop on it. */
  advancePastDelimiter?: boolean;
}

/**
 * A forward cursor over a {@link ReadOnlySequence} for parsing in place. Every `try…` method returns the
 * value, or `undefined` (and leaves the reader where it was) when the sequence holds too few bytes;
 * sequences it returns are zero-copy slices.
 *
 * @example
 * ```ts
 * const result = await pipe.reader.read();
 * const reader = new SequenceReader(result.buffer);
 * let line;
 * while ((line = reader.tryReadLine()) !== undefined) handle(line.toString());
 * pipe.reader.advanceTo(reader.position, result.buffer.end);
 * ```
 */
export class SequenceReader {
  /** The sequence being read. */
  readonly sequence: ReadOnlySequence;
  private seg: Segment;
  private idx: number;
  private _consumed = 0;

  constructor(sequence: ReadOnlySequence) {
    sequence._check();
    this.sequence = sequence;
    this.seg = sequence._startSeg;
    this.idx = sequence._startIdx;
  }

  /** Bytes read so far. */
  get consumed(): number {
    return this._consumed;
  }
  /** Bytes left. */
  get remaining(): number {
    return this.sequence.length - this._consumed;
  }
  /** Length of the whole sequence. */
  get length(): number {
    return this.sequence.length;
  }
  /** True when every byte was read. */
  get end(): boolean {
    return this._consumed === this.sequence.length;
  }
  /** The current position, to pass to `advanceTo()` or `slice()`. */
  get position(): SequencePosition {
    this.sequence._check();
    return new SequencePosition(this.seg, this.idx);
  }
  /** The bytes not read yet. No copy. */
  get unreadSequence(): ReadOnlySequence {
    this.sequence._check();
    return this.sliceFrom(this.seg, this.idx, this.remaining);
  }

  /** The byte `offset` bytes ahead of the current position, without moving; `undefined` past the end. */
  tryPeek(offset = 0): number | undefined {
    const seq = this.sequence;
    seq._check();
    if (!(offset >= 0) || offset >= this.remaining) return undefined;
    let seg = this.seg;
    let i = this.idx + offset;
    for (;;) {
      const data = seg.data;
      const limit = seg === seq._endSeg ? seq._endIdx : data.length;
      if (i < limit) return data[i];
      i -= limit;
      seg = seg.next!;
    }
  }

  /** The next byte, advancing past it; `undefined` at the end. */
  tryRead(): number | undefined {
    const seq = this.sequence;
    seq._check();
    if (this._consumed === seq.length) return undefined;
    this.skipExhausted();
    this._consumed++;
    return this.seg.data[this.idx++];
  }

  /**
   * Moves forward `count` bytes.
   * @throws {RangeError} when fewer than `count` bytes remain, or `count` is negative.
   */
  advance(count: number): void {
    this.sequence._check();
    if (!Number.isInteger(count) || count < 0 || count > this.remaining) {
      throw new RangeError(`advance(${count}): must be an integer from 0 to the ${this.remaining} remaining bytes.`);
    }
    this.moveBy(count);
  }

  /**
   * Moves back `count` bytes.
   * @throws {RangeError} when more than `consumed`, or negative.
   */
  rewind(count: number): void {
    this.sequence._check();
    if (!Number.isInteger(count) || count < 0 || count > this._consumed) {
      throw new RangeError(`rewind(${count}): must be an integer from 0 to the ${this._consumed} consumed bytes.`);
    }
    const target = this._consumed - count;
    const [seg, idx] = this.sequence._seek(target);
    this.seg = seg;
    this.idx = idx;
    this._consumed = target;
  }

  /** Moves to the end. */
  advanceToEnd(): void {
    const seq = this.sequence;
    seq._check();
    this.seg = seq._endSeg;
    this.idx = seq._endIdx;
    this._consumed = seq.length;
  }

  /** True when the next bytes are `value` (a byte or a pattern); moves past them if `advancePast`. */
  isNext(value: number | Uint8Array, advancePast = false): boolean {
    this.sequence._check();
    if (typeof value === 'number') {
      if (this.tryPeek() !== value) return false;
      if (advancePast) this.moveBy(1);
      return true;
    }
    if (value.length > this.remaining) return false;
    for (let k = 0; k < value.length; k++) if (this.tryPeek(k) !== value[k]) return false;
    if (advancePast) this.moveBy(value.length);
    return true;
  }

  /** Skips consecutive `byte`s; returns how many were skipped. */
  advancePast(byte: number): number {
    this.sequence._check();
    let n = 0;
    while (this.tryPeek() === byte) {
      this.moveBy(1);
      n++;
    }
    return n;
  }

  /** Skips consecutive bytes that are any of `bytes`; returns how many were skipped. */
  advancePastAny(bytes: ArrayLike<number>): number {
    this.sequence._check();
    const set = Array.from(bytes);
    let n = 0;
    for (let b = this.tryPeek(); b !== undefined && set.includes(b); b = this.tryPeek()) {
      this.moveBy(1);
      n++;
    }
    return n;
  }

  /**
   * Reads up to `delimiter` (a byte or a pattern) and returns the bytes before it; moves past the
   * delimiter unless told otherwise. With `escape`, a delimiter preceded by an odd number of escape
   * bytes is data (the escapes stay in the result). `undefined` when no delimiter is found.
   */
  tryReadTo(delimiter: number | Uint8Array, options?: boolean | ReadToOptions): ReadOnlySequence | undefined {
    const seq = this.sequence;
    seq._check();
    const opts = typeof options === 'object' ? options : undefined;
    const advancePastDelimiter = typeof options === 'boolean' ? options : (opts?.advancePastDelimiter ?? true);
    const escape = opts?.escape;
    const delimLength = typeof delimiter === 'number' ? 1 : delimiter.length;
    let from = 0;
    for (;;) {
      const [seg, idx] = from === 0 ? [this.seg, this.idx] : seq._seek(this._consumed + from);
      if (!seq._find(delimiter, seg, idx)) return undefined;
      const at = from + hit.distance;
      const hSeg = hit.segment!;
      const hIdx = hit.index;
      if (escape !== undefined && this.escapedAt(at, escape)) {
        from = at + 1;
        continue;
      }
      const result = this.sliceFrom(this.seg, this.idx, at);
      this.seg = hSeg;
      this.idx = hIdx;
      this._consumed += at;
      if (advancePastDelimiter) this.moveBy(delimLength);
      return result;
    }
  }

  /** Reads up to the first of any of `bytes`; like {@link tryReadTo}. */
  tryReadToAny(bytes: ArrayLike<number>, advancePastDelimiter = true): ReadOnlySequence | undefined {
    this.sequence._check();
    let best = -1;
    for (let k = 0; k < bytes.length; k++) {
      if (findByte(this.seg, this.idx, this.sequence._endSeg, this.sequence._endIdx, bytes[k]!)) {
        if (best === -1 || hit.distance < best) best = hit.distance;
      }
    }
    if (best === -1) return undefined;
    const result = this.sliceFrom(this.seg, this.idx, best);
    this.moveBy(best + (advancePastDelimiter ? 1 : 0));
    return result;
  }

  /** Moves to (or past) the next `delimiter`; false (and no move) when there is none. */
  tryAdvanceTo(delimiter: number | Uint8Array, advancePastDelimiter = true): boolean {
    return this.tryReadTo(delimiter, advancePastDelimiter) !== undefined;
  }

  /** The next `count` bytes as a sequence, or `undefined` when fewer remain. */
  tryReadExact(count: number): ReadOnlySequence | undefined {
    this.sequence._check();
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`tryReadExact(${count}): count must be a non-negative integer.`);
    if (count > this.remaining) return undefined;
    const result = this.sliceFrom(this.seg, this.idx, count);
    this.moveBy(count);
    return result;
  }

  /**
   * The next line, without its terminator: `\n` or `\r\n` (also when split across segments) end a
   * line; a lone `\r` is data. `undefined` when no terminator follows (the caller decides what an
   * unterminated last line means).
   */
  tryReadLine(): ReadOnlySequence | undefined {
    const seq = this.sequence;
    seq._check();
    // Fast path: the line ends in the current segment (one native search, no walk, no result slots).
    const seg = this.seg;
    const data = seg.data;
    const idx = this.idx;
    const limit = seg === seq._endSeg ? seq._endIdx : data.length;
    const i = idx < limit ? indexOfByte(data, LF, idx) : -1;
    if (i !== -1 && i < limit) {
      const end = i > idx && data[i - 1] === CR ? i - 1 : i;
      this.idx = i + 1;
      this._consumed += i + 1 - idx;
      return new ReadOnlySequence(seg, idx, seg, end, end - idx, seq._lease);
    }
    return this.readLineAcross(seq);
  }

  /** {@link tryReadLine} when the line does not end in the current segment: walks the segments. */
  private readLineAcross(seq: ReadOnlySequence): ReadOnlySequence | undefined {
    const seg = this.seg;
    const idx = this.idx;
    if (!findByte(seg, idx, seq._endSeg, seq._endIdx, LF)) return undefined;
    const distance = hit.distance;
    const hSeg = hit.segment!;
    const hIdx = hit.index;
    const cr = hit.prev === CR;
    const lineLength = cr ? distance - 1 : distance;
    // The line ends in the terminator's segment unless a `\r` ending the segment before it is cut off:
    // then walk (rare). No seek, no [segment, index] pair per line.
    const result = cr && hIdx === 0
      ? this.sliceFrom(seg, idx, lineLength)
      : ReadOnlySequence._span(seg, idx, hSeg, cr ? hIdx - 1 : hIdx, lineLength, seq._lease);
    this.seg = hSeg;
    this.idx = hIdx + 1;
    this._consumed += distance + 1;
    return result;
  }

  /** Copies the next `target.length` bytes into `target` without moving; false when fewer remain. */
  tryCopyTo(target: Uint8Array): boolean {
    const seq = this.sequence;
    seq._check();
    const n = target.length;
    if (n > this.remaining) return false;
    let seg = this.seg;
    let i = this.idx;
    let written = 0;
    while (written < n) {
      const data = seg.data;
      const limit = seg === seq._endSeg ? seq._endIdx : data.length;
      const take = Math.min(limit - i, n - written);
      if (take > 0) {
        target.set(take === data.length ? data : data.subarray(i, i + take), written);
        written += take;
      }
      if (written < n) {
        seg = seg.next!;
        i = 0;
      }
    }
    return true;
  }

  tryReadUint8(): number | undefined {
    return this.tryRead();
  }
  tryReadInt8(): number | undefined {
    const v = this.tryRead();
    return v === undefined ? undefined : (v << 24) >> 24;
  }
  tryReadUint16(littleEndian = false): number | undefined {
    return this.fill(2) ? scratch.getUint16(0, littleEndian) : undefined;
  }
  tryReadInt16(littleEndian = false): number | undefined {
    return this.fill(2) ? scratch.getInt16(0, littleEndian) : undefined;
  }
  tryReadUint32(littleEndian = false): number | undefined {
    return this.fill(4) ? scratch.getUint32(0, littleEndian) : undefined;
  }
  tryReadInt32(littleEndian = false): number | undefined {
    return this.fill(4) ? scratch.getInt32(0, littleEndian) : undefined;
  }
  tryReadFloat32(littleEndian = false): number | undefined {
    return this.fill(4) ? scratch.getFloat32(0, littleEndian) : undefined;
  }
  tryReadFloat64(littleEndian = false): number | undefined {
    return this.fill(8) ? scratch.getFloat64(0, littleEndian) : undefined;
  }
  tryReadBigUint64(littleEndian = false): bigint | undefined {
    return this.fill(8) ? scratch.getBigUint64(0, littleEndian) : undefined;
  }
  tryReadBigInt64(littleEndian = false): bigint | undefined {
    return this.fill(8) ? scratch.getBigInt64(0, littleEndian) : undefined;
  }

  /** Reads `n` bytes into the shared scratch buffer and advances; false (no move) if too few remain. */
  private fill(n: number): boolean {
    this.sequence._check();
    if (n > this.remaining) return false;
    this.skipExhausted();
    const data = this.seg.data;
    const limit = this.seg === this.sequence._endSeg ? this.sequence._endIdx : data.length;
    if (this.idx + n <= limit) {
      // Fast path: all in this segment; copy without making a subarray.
      for (let k = 0; k < n; k++) scratchBytes[k] = data[this.idx + k]!;
      this.idx += n;
      this._consumed += n;
      return true;
    }
    for (let k = 0; k < n; k++) scratchBytes[k] = this.tryRead()!;
    return true;
  }

  /** Moves the cursor off a segment it has read to the end of (never past the sequence end). */
  private skipExhausted(): void {
    const seq = this.sequence;
    while (this.seg !== seq._endSeg && this.idx >= this.seg.data.length) {
      this.seg = this.seg.next!;
      this.idx = 0;
    }
  }

  private moveBy(count: number): void {
    const [seg, idx] = this.sequence._seekFrom(this.seg, this.idx, count);
    this.seg = seg;
    this.idx = idx;
    this._consumed += count;
  }

  private sliceFrom(seg: Segment, idx: number, length: number): ReadOnlySequence {
    const seq = this.sequence;
    const [eSeg, eIdx] = seq._seekFrom(seg, idx, length);
    return ReadOnlySequence._span(seg, idx, eSeg, eIdx, length, seq._lease);
  }

  /** Whether the delimiter `at` bytes ahead is preceded by an odd run of escape bytes. */
  private escapedAt(at: number, escape: number): boolean {
    let run = 0;
    for (let k = at - 1; k >= 0 && this.tryPeek(k) === escape; k--) run++;
    return (run & 1) === 1;
  }
}

