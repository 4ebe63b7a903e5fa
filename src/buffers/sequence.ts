import { Chain, Segment, findByte, findPattern, hit, type Lease } from './segment.js';
import { SequencePosition } from './position.js';
import { InvalidOperationError } from '../errors.js';

const EMPTY_BYTES = new Uint8Array(0);
const decoders = new Map<string, TextDecoder>();

/** Options of {@link ReadOnlySequence.toString}. */
export interface DecodeOptions {
  /** Throw a `TypeError` on invalid input instead of substituting U+FFFD. Default false. */
  fatal?: boolean;
}

/**
 * A read-only view over one or more `Uint8Array` segments, such as the buffer of a `ReadResult`.
 * Slicing, searching and iterating never copy: iteration yields the segments' own views.
 *
 * A sequence handed out by a pipe is a lease: after `advanceTo()` (or `complete()`) every method throws
 * `InvalidOperationError`. Copy what you need to keep (`toUint8Array()`, `toString()`) before that.
 *
 * @example
 * ```ts
 * const seq = ReadOnlySequence.from(new TextEncoder().encode('hello '), new TextEncoder().encode('world'));
 * seq.length;                    // 11
 * seq.indexOf(0x77);             // 6 ('w')
 * seq.slice(6).toString();       // 'world'
 * ```
 */
export class ReadOnlySequence implements Iterable<Uint8Array> {
  /** The empty sequence. */
  static readonly empty: ReadOnlySequence = ReadOnlySequence.from();

  /** Number of bytes in the sequence. */
  readonly length: number;
  /** @internal */ readonly _startSeg: Segment;
  /** @internal */ readonly _startIdx: number;
  /** @internal */ readonly _endSeg: Segment;
  /** @internal */ readonly _endIdx: number;
  /** @internal */ readonly _lease: Lease | null;
  /** @internal */ readonly _generation: number;

  /**
   * @internal Use {@link ReadOnlySequence.from}, `slice`, or a pipe's `read()`. Takes its ends as they
   * are: a caller whose start may sit at a segment's end, or whose end at a segment's start, uses
   * {@link ReadOnlySequence._span}. Kept to field stores so that it inlines into per-line hot paths.
   */
  constructor(startSeg: Segment, startIdx: number, endSeg: Segment, endIdx: number, length: number, lease: Lease | null) {
    this._startSeg = startSeg;
    this._startIdx = startIdx;
    this._endSeg = endSeg;
    this._endIdx = endIdx;
    this.length = length;
    this._lease = lease;
    this._generation = lease === null ? 0 : lease.generation;
  }

  /** @internal A sequence over `[start, end)` with both ends normalised, so a seam is one place. */
  static _span(startSeg: Segment, startIdx: number, endSeg: Segment, endIdx: number, length: number, lease: Lease | null): ReadOnlySequence {
    // A start at a segment's end moves onto the next segment so `first` is the first data...
    while (startSeg !== endSeg && startIdx >= startSeg.data.length) {
      startSeg = startSeg.next!;
      startIdx = 0;
    }
    // ...and an end at a segment's start back onto the last data before it, so a seam is one place
    // whichever segment named it (isSingleSegment, first and toUint8Array agree). Rare: no walk otherwise.
    if (endIdx === 0 && startSeg !== endSeg) {
      let last = startSeg;
      for (let s = startSeg.next!; s !== endSeg; s = s.next!) if (s.data.length > 0) last = s;
      endSeg = last;
      endIdx = last.data.length;
    }
    return new ReadOnlySequence(startSeg, startIdx, endSeg, endIdx, length, lease);
  }

  /** A sequence over `chunks` as they are: no byte is copied. Empty chunks are skipped. */
  static from(...chunks: Uint8Array[]): ReadOnlySequence {
    const chain = new Chain();
    let head: Segment | null = null;
    let tail: Segment | null = null;
    let total = 0;
    for (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError(`ReadOnlySequence.from() takes Uint8Array chunks, got ${describe(chunk)}.`);
      }
      if (chunk.length === 0) continue;
      const seg = new Segment(chain, chunk, chunk.length, total, false);
      total += chunk.length;
      if (tail === null) head = seg;
      else tail.next = seg;
      tail = seg;
    }
    if (head === null) head = tail = new Segment(chain, EMPTY_BYTES, 0, 0, false);
    return new ReadOnlySequence(head, 0, tail!, tail!.data.length, total, null);
  }

  /** @internal Throws if the lease this sequence was handed out under has expired. */
  _check(): void {
    const lease = this._lease;
    if (lease !== null && lease.generation !== this._generation) lease.fail();
  }

  /** True when the sequence has no bytes. */
  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** True when all bytes are in one segment (then `first` is the whole sequence). */
  get isSingleSegment(): boolean {
    this._check();
    return this._startSeg === this._endSeg;
  }

  /** The first segment's view (the whole sequence when single-segment). No copy. */
  get first(): Uint8Array {
    this._check();
    const seg = this._startSeg;
    return view(seg, this._startIdx, seg === this._endSeg ? this._endIdx : seg.data.length);
  }

  /** Position of the first byte. */
  get start(): SequencePosition {
    this._check();
    return new SequencePosition(this._startSeg, this._startIdx);
  }

  /** Position just past the last byte. */
  get end(): SequencePosition {
    this._check();
    return new SequencePosition(this._endSeg, this._endIdx);
  }

  /** Yields each segment's view in order (empty segments are skipped). No copy. */
  [Symbol.iterator](): IterableIterator<Uint8Array> {
    this._check();
    return new SegmentIterator(this);
  }

  /**
   * The bytes `[start, end)`. Numbers are offsets from this sequence's start; positions must come from
   * this sequence (or one sharing its memory) and lie within it. No copy.
   * @throws {RangeError} for a negative offset, one past the end, or `end` before `start`.
   */
  slice(start: number | SequencePosition, end?: number | SequencePosition): ReadOnlySequence {
    this._check();
    const from = this._offsetOf(start, 'start');
    const to = end === undefined ? this.length : this._offsetOf(end, 'end');
    if (to < from) throw new RangeError(`slice(): end (${to}) is before start (${from}).`);
    if (from === 0 && to === this.length) return this;
    const [sSeg, sIdx] = typeof start === 'number' ? this._seek(from) : this._locate(start, from);
    // An empty slice ends where it starts: its two positions may name one seam from both sides.
    const [eSeg, eIdx] =
      to === from ? [sSeg, sIdx]
      : end === undefined ? [this._endSeg, this._endIdx]
      : typeof end === 'number' ? this._seekFrom(sSeg, sIdx, to - from) : this._locate(end, to);
    return ReadOnlySequence._span(sSeg, sIdx, eSeg, eIdx, to - from, this._lease);
  }

  /**
   * The position `offset` bytes after `origin` (default: this sequence's start).
   * @throws {RangeError} when that would leave the sequence.
   */
  getPosition(offset: number, origin?: SequencePosition): SequencePosition {
    this._check();
    const base = origin === undefined ? 0 : this._offsetOf(origin, 'origin');
    const target = base + checkOffset(offset, 'offset');
    if (target > this.length) {
      throw new RangeError(`getPosition(): offset ${offset} from ${base} is past the end (length ${this.length}).`);
    }
    const [seg, idx] = this._seek(target);
    return new SequencePosition(seg, idx);
  }

  /** The offset of `position` from this sequence's start. */
  getOffset(position: SequencePosition): number {
    this._check();
    return this._offsetOf(position, 'position');
  }

  /** The position of the first occurrence of `value` (a byte or a byte pattern), or `null`. */
  positionOf(value: number | Uint8Array): SequencePosition | null {
    this._check();
    if (!this._find(value, this._startSeg, this._startIdx)) return null;
    return new SequencePosition(hit.segment!, hit.index);
  }

  /**
   * The offset of the first occurrence of `value` at or after `fromIndex`, or -1. A pattern is found
   * across segment seams.
   */
  indexOf(value: number | Uint8Array, fromIndex = 0): number {
    this._check();
    checkOffset(fromIndex, 'fromIndex');
    if (fromIndex > this.length) return -1;
    const [seg, idx] = this._seek(fromIndex);
    return this._find(value, seg, idx) ? fromIndex + hit.distance : -1;
  }

  /** The bytes as one `Uint8Array`: the segment view itself when single-segment, else one copy. */
  toUint8Array(): Uint8Array {
    this._check();
    if (this._startSeg === this._endSeg) return view(this._startSeg, this._startIdx, this._endIdx);
    const out = new Uint8Array(this.length);
    this.copyTo(out);
    return out;
  }

  /**
   * Copies every byte into `target` starting at `offset`.
   * @throws {RangeError} when `target` is too small.
   */
  copyTo(target: Uint8Array, offset = 0): void {
    this._check();
    checkOffset(offset, 'offset');
    if (offset + this.length > target.length) {
      throw new RangeError(`copyTo(): ${this.length} bytes do not fit in a target of ${target.length} at offset ${offset}.`);
    }
    for (const chunk of this) {
      target.set(chunk, offset);
      offset += chunk.length;
    }
  }

  /**
   * Decodes the bytes. A character split across segments decodes correctly; invalid input becomes
   * U+FFFD unless `{ fatal: true }`, which throws a `TypeError`.
   */
  toString(encoding = 'utf-8', options?: DecodeOptions): string {
    this._check();
    const decoder = decoderFor(encoding, options?.fatal === true);
    if (this._startSeg === this._endSeg) return decoder.decode(view(this._startSeg, this._startIdx, this._endIdx));
    let out = '';
    for (const chunk of this) out += decoder.decode(chunk, { stream: true });
    return out + decoder.decode();
  }

  /** @internal Searches from (`seg`, `idx`); fills `hit`. */
  _find(value: number | Uint8Array, seg: Segment, idx: number): boolean {
    return typeof value === 'number'
      ? findByte(seg, idx, this._endSeg, this._endIdx, value)
      : findPattern(seg, idx, this._endSeg, this._endIdx, value);
  }

  /** @internal (segment, index) of an offset known to be within [0, length]. */
  _seek(offset: number): [Segment, number] {
    return this._seekFrom(this._startSeg, this._startIdx, offset);
  }

  /** @internal */
  _seekFrom(seg: Segment, idx: number, offset: number): [Segment, number] {
    idx += offset;
    for (;;) {
      const limit = seg === this._endSeg ? this._endIdx : seg.data.length;
      if (idx <= limit || seg === this._endSeg) return [seg, idx];
      idx -= limit;
      seg = seg.next!;
    }
  }

  /**
   * @internal The segment and index of a validated position. A seam has two names (the end of one
   * segment, the start of the next); at this sequence's own edges its own name is used, so a slice never
   * starts in a segment after the one it ends in (nor in released memory before this sequence).
   */
  _locate(position: SequencePosition, offset: number): [Segment, number] {
    if (offset === 0) return [this._startSeg, this._startIdx];
    if (offset === this.length) return [this._endSeg, this._endIdx];
    return [position._segment, position._index];
  }

  /** @internal Offset of a number or position, validated against this sequence. */
  _offsetOf(value: number | SequencePosition, what: string): number {
    if (typeof value === 'number') {
      checkOffset(value, what);
      if (value > this.length) throw new RangeError(`${what} offset ${value} is past the end of the sequence (length ${this.length}).`);
      return value;
    }
    if (!(value instanceof SequencePosition)) {
      throw new TypeError(`${what} must be a number or a SequencePosition, got ${describe(value)}.`);
    }
    const name = what === 'position' ? 'The position' : `The ${what} position`;
    if (value._segment.chain !== this._startSeg.chain) {
      throw new InvalidOperationError(
        `${name} belongs to another buffer. Use positions obtained from this sequence (or a slice of it).`,
      );
    }
    const offset = value._absolute - (this._startSeg.runningIndex + this._startIdx);
    if (offset < 0 || offset > this.length) {
      throw new RangeError(`${name} lies outside this sequence (offset ${offset}, length ${this.length}).`);
    }
    return offset;
  }
}

/** Iterates a sequence's segment views; a class rather than a generator, to keep `for…of` light. */
class SegmentIterator implements IterableIterator<Uint8Array> {
  private seg: Segment | null;
  private start: number;
  constructor(private readonly seq: ReadOnlySequence) {
    this.seg = seq._startSeg;
    this.start = seq._startIdx;
  }
  next(): IteratorResult<Uint8Array> {
    const seq = this.seq;
    seq._check();
    for (let seg = this.seg; seg !== null; seg = this.seg) {
      const last = seg === seq._endSeg;
      const stop = last ? seq._endIdx : seg.data.length;
      const start = this.start;
      this.seg = last ? null : seg.next;
      this.start = 0;
      if (stop > start) return { value: view(seg, start, stop), done: false };
    }
    return { value: undefined, done: true };
  }
  [Symbol.iterator](): IterableIterator<Uint8Array> {
    return this;
  }
}

/** @internal A view of `seg.data[start, stop)`, without allocating when it is the whole block. */
export function view(seg: Segment, start: number, stop: number): Uint8Array {
  const data = seg.data;
  return start === 0 && stop === data.length ? data : data.subarray(start, stop);
}

function checkOffset(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}.`);
  }
  return value;
}

function decoderFor(encoding: string, fatal: boolean): TextDecoder {
  // A fatal decoder may keep state after it throws, so it is never shared.
  if (fatal) return new TextDecoder(encoding, { fatal });
  const key = encoding;
  let d = decoders.get(key);
  if (d === undefined) {
    d = new TextDecoder(encoding);
    decoders.set(key, d);
  }
  return d;
}

/** @internal A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
