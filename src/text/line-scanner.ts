/**
 * The line finder behind `lines()`, `lineSequences()` and `forEachLine()`: walks a reader's buffers,
 * finds line ends with the native byte search, and applies `maxLineLength`/`onLongLine`/`keepLineEnds`.
 * Internal (not exported from the entries).
 *
 * Between reads it remembers where scanning stopped (the buffer's end) and, when the next buffer still
 * starts at the same unfinished line, resumes there instead of scanning the line again: one line
 * arriving in many small chunks costs linear time.
 *
 * @module
 */
import { Chain, Lease, Segment, indexOfByte, lastIndexOfByte } from '../buffers/segment.js';
import { ReadOnlySequence } from '../buffers/sequence.js';
import { SequencePosition } from '../buffers/position.js';
import { LineTooLongError } from '../errors.js';
import { LONG_ERROR, LONG_SKIP, type ResolvedLineOptions } from './line-options.js';

const LF = 0x0a;
const CR = 0x0d;
/**
 * Bytes decoded at most in one go by `lines()`. Small runs are faster: a run with one non-ASCII
 * character becomes a two-byte string as a whole, and a small one is often pure ASCII (one byte per
 * character, copied rather than transcoded). About a dozen lines of text.
 */
const RUN_BYTES = 1024;

/** What {@link LineScanner.nextRun} found. */
export const NONE = 0;
export const LINE = 1;
export const RUN = 2;

/** Message of the error a line used after its turn throws. */
export const LINE_LEASE_MESSAGE =
  'This line was released: a line from lineSequences() or forEachLine() is only valid until the next ' +
  'line (or the end of the loop). Copy what you need (toString(), toUint8Array().slice()) before moving on.';

const NOWHERE = new Segment(new Chain(), new Uint8Array(0), 0, 0, false);

/** Where {@link LineScanner.locate} puts its answer (no array per call). */
const spot = { seg: NOWHERE, idx: 0 };

/** Byte-oriented scanner: a line ends at the byte `\n` (ASCII-compatible encodings). */
export class LineScanner {
  /** The lease of the lines handed out: `expire()` before each next line. */
  readonly lease = new Lease(LINE_LEASE_MESSAGE);
  readonly max: number;
  protected readonly mode: number;
  readonly keepEnds: boolean;
  protected readonly utf8: boolean;

  /** Stream offset (bytes consumed before it) of the current buffer's first byte. */
  protected base = 0;
  /** Chain offset of the current buffer's first byte. */
  protected startAbs = 0;
  protected endSeg = NOWHERE;
  protected endIdx = 0;
  protected endAbs = 0;
  /** The writer completed: the bytes after the last line end form a final line. */
  protected completed = false;

  /** Where scanning continues, and the byte before it (for a `\r` ending the previous segment). */
  seg = NOWHERE;
  idx = 0;
  protected prev = -1;
  /** Start of the line being scanned. */
  protected lineSeg = NOWHERE;
  protected lineIdx = 0;
  protected lineAbs = 0;
  /** Inside a line too long to keep (`onLongLine: 'skip'`): its bytes are dropped until its end. */
  protected skipping = false;
  /** Resume point for the next buffer: `resumeOffset` bytes after its start, at (`rSeg`, `rIdx`). */
  private resumeOffset = 0;
  private rSeg: Segment | null = null;
  private rIdx = 0;

  /** The line found by {@link nextLine}: segments, indexes and length. */
  oSeg = NOWHERE;
  oIdx = 0;
  oEndSeg = NOWHERE;
  oEndIdx = 0;
  oLen = 0;
  /** Chain offset of the found line's (or run's) first byte. */
  oAbs = 0;
  /** The run found by {@link nextRun}: whole lines `runData[runFrom, runTo)` (terminators inside). */
  runSeg = NOWHERE;
  runData: Uint8Array = NOWHERE.data;
  runFrom = 0;
  runTo = 0;

  constructor(options: ResolvedLineOptions) {
    this.max = options.maxLineLength;
    this.mode = options.onLongLine;
    this.keepEnds = options.keepLineEnds;
    this.utf8 = options.utf8;
  }

  /** Starts on a new read's buffer (which begins at the line start the last {@link consumed} returned). */
  begin(buffer: ReadOnlySequence, completed: boolean): void {
    buffer._check();
    const s = buffer._startSeg;
    const si = buffer._startIdx;
    const startAbs = s.runningIndex + si;
    this.startAbs = startAbs;
    this.endSeg = buffer._endSeg;
    this.endIdx = buffer._endIdx;
    this.endAbs = startAbs + buffer.length;
    this.completed = completed;
    this.lineSeg = s;
    this.lineIdx = si;
    this.lineAbs = startAbs;
    const carried = Math.min(this.resumeOffset, buffer.length);
    const r = this.rSeg;
    if (carried === 0) {
      this.seg = s;
      this.idx = si;
    } else if (r !== null && r.chain === s.chain && !r.released && r.runningIndex + this.rIdx === startAbs + carried) {
      this.seg = r;
      this.idx = this.rIdx;
    } else {
      // A reader that hands out fresh segments each time: find the resume point by walking.
      this.locate(startAbs + carried);
      this.seg = spot.seg;
      this.idx = spot.idx;
    }
  }

  /**
   * The position to consume to after the last line found (the start of the unfinished line), for
   * `advanceTo(consumed, buffer.end)`. Remembers where to resume in the next buffer.
   */
  consumed(): SequencePosition {
    this.resumeOffset = this.seg.runningIndex + this.idx - this.lineAbs;
    this.rSeg = this.seg;
    this.rIdx = this.idx;
    this.base += this.lineAbs - this.startAbs;
    this.startAbs = this.lineAbs;
    return new SequencePosition(this.lineSeg, this.lineIdx);
  }

  /** Position just after the `count`-th line of the last run (for a caller that stopped inside it). */
  afterRunLines(count: number): SequencePosition {
    let at = this.runFrom;
    for (let k = 0; k < count; k++) at = indexOfByte(this.runData, LF, at) + 1;
    return new SequencePosition(this.runSeg, at);
  }

  /** Stream offset of a chain offset in the current buffer. */
  streamOffset(abs: number): number {
    return this.base + (abs - this.startAbs);
  }

  /** The line found last, as a sequence under {@link lease}. */
  sequence(): ReadOnlySequence {
    return ReadOnlySequence._span(this.oSeg, this.oIdx, this.oEndSeg, this.oEndIdx, this.oLen, this.lease);
  }

  /**
   * Finds the next line in the buffer: true with `o…` set, or false when only an unfinished line (or
   * nothing) is left. At completion the unfinished rest is the last line.
   * @throws {LineTooLongError} for a line over the limit when `onLongLine` is `'error'`.
   */
  nextLine(): boolean {
    let seg = this.seg;
    let idx = this.idx;
    const endSeg = this.endSeg;
    for (;;) {
      const data = seg.data;
      const limit = seg === endSeg ? this.endIdx : data.length;
      if (idx < limit) {
        const i = indexOfByte(data, LF, idx);
        if (i !== -1 && i < limit) {
          const lfAbs = seg.runningIndex + i;
          let len = lfAbs - this.lineAbs;
          const cr = len > 0 && (i > idx ? data[i - 1] : this.prev) === CR;
          if (cr) len--;
          this.seg = seg;
          this.idx = i + 1;
          this.prev = LF;
          if (len > this.max || this.skipping) {
            const r = this.special(seg, i, len, cr);
            if (r >= 0) return r === 1;
            seg = this.seg;
            idx = this.idx;
            continue;
          }
          // The common case: one line, found with one native search; no walk, no array.
          this.oSeg = this.lineSeg;
          this.oIdx = this.lineIdx;
          this.oAbs = this.lineAbs;
          if (this.keepEnds) {
            this.oEndSeg = seg;
            this.oEndIdx = i + 1;
            this.oLen = lfAbs + 1 - this.lineAbs;
          } else if (!cr || i > 0) {
            this.oEndSeg = seg;
            this.oEndIdx = cr ? i - 1 : i;
            this.oLen = len;
          } else {
            this.locate(this.lineAbs + len); // the `\r` ended the segment before: rare
            this.oEndSeg = spot.seg;
            this.oEndIdx = spot.idx;
            this.oLen = len;
          }
          this.lineSeg = seg;
          this.lineIdx = i + 1;
          this.lineAbs = lfAbs + 1;
          return true;
        }
        this.prev = data[limit - 1]!;
        idx = limit;
      }
      if (seg === endSeg || seg.next === null) {
        this.seg = seg;
        this.idx = idx;
        return this.atEnd() === 1;
      }
      seg = seg.next;
      idx = 0;
    }
  }

  /**
   * Whether the cursor is at a line start inside its segment, with nothing special pending: then a
   * caller may find the lines wholly inside that segment itself (see `forEachLine`), and tell the
   * scanner where it stopped with {@link skipTo}.
   */
  get atLineStart(): boolean {
    return !this.skipping && this.seg.runningIndex + this.idx === this.lineAbs;
  }

  /** Ends of the cursor's segment within the buffer (for a caller scanning it itself). */
  get limit(): number {
    return this.seg === this.endSeg ? this.endIdx : this.seg.data.length;
  }

  /** The caller handed out the lines before `idx` in the cursor's segment (`idx` follows a `\n`). */
  skipTo(idx: number): void {
    if (idx === this.idx) return;
    this.idx = this.lineIdx = idx;
    this.lineSeg = this.seg;
    this.lineAbs = this.seg.runningIndex + idx;
    this.prev = LF;
  }

  /**
   * For `lines()`: the next lines that can be decoded in one go — a run of whole lines inside one
   * segment, none over the limit (`RUN`, in `run…`) — or else one line as {@link nextLine} finds it
   * (`LINE`), or `NONE`.
   */
  nextRun(): number {
    if (!this.skipping) {
      let seg = this.seg;
      let idx = this.idx;
      if (seg.runningIndex + idx === this.lineAbs) {
        let limit = seg === this.endSeg ? this.endIdx : seg.data.length;
        while (idx >= limit && seg !== this.endSeg && seg.next !== null) {
          seg = seg.next;
          idx = 0;
          limit = seg === this.endSeg ? this.endIdx : seg.data.length;
        }
        if (idx < limit) {
          const data = seg.data;
          // The last line end within maxLineLength + 1 bytes: every line up to it is short enough. Runs
          // are also kept small, so their strings stay small (and in the young generation).
          const j = lastIndexOfByte(data, LF, Math.min(limit - 1, idx + (this.max < RUN_BYTES ? this.max : RUN_BYTES)));
          if (j >= idx) {
            this.runSeg = seg;
            this.runData = data;
            this.runFrom = idx;
            this.runTo = this.keepEnds ? j + 1 : j;
            this.oAbs = this.lineAbs;
            this.seg = this.lineSeg = seg;
            this.idx = this.lineIdx = j + 1;
            this.lineAbs = seg.runningIndex + j + 1;
            this.prev = LF;
            return RUN;
          }
        }
      }
    }
    return this.nextLine() ? LINE : NONE;
  }

  /**
   * A line end after a line over the limit, or ending a skipped line. Returns 1 (a line is in `o…`),
   * 0 (none) or -1 (keep scanning from the cursor).
   */
  protected special(seg: Segment, i: number, len: number, cr: boolean): number {
    if (this.skipping || this.mode === LONG_SKIP) {
      this.skipping = false;
      this.lineSeg = this.seg;
      this.lineIdx = this.idx;
      this.lineAbs = this.seg.runningIndex + this.idx;
      return -1;
    }
    if (this.mode === LONG_ERROR) throw this.tooLong();
    // Split: hand out a piece, and scan to this same line end again for the rest.
    this.piece(len);
    this.seg = seg;
    this.idx = i;
    this.prev = cr ? CR : 0;
    return 1;
  }

  /** The buffer is scanned to its end: decide about the unfinished line. Returns 1 or 0 as `special`. */
  protected atEnd(): number {
    const pending = this.endAbs - this.lineAbs;
    if (this.skipping) {
      this.lineSeg = this.seg = this.endSeg;
      this.lineIdx = this.idx = this.endIdx;
      this.lineAbs = this.endAbs;
      return 0;
    }
    if (pending === 0) return 0;
    if (this.completed) {
      if (pending > this.max) return this.longAtEnd();
      // The last line, without terminator (a `\r` at its end is data: only `\r\n` ends a line).
      this.oSeg = this.lineSeg;
      this.oIdx = this.lineIdx;
      this.oAbs = this.lineAbs;
      this.oEndSeg = this.endSeg;
      this.oEndIdx = this.endIdx;
      this.oLen = pending;
      this.lineSeg = this.seg = this.endSeg;
      this.lineIdx = this.idx = this.endIdx;
      this.lineAbs = this.endAbs;
      return 1;
    }
    // Unfinished: a `\r` at the end may still become part of `\r\n`, so it does not count yet.
    return pending - this.trailingTerminatorBytes() > this.max ? this.longAtEnd() : 0;
  }

  /** Bytes at the end of an unfinished line that may be the start of its terminator. */
  protected trailingTerminatorBytes(): number {
    return this.prev === CR ? 1 : 0;
  }

  private longAtEnd(): number {
    if (this.mode === LONG_ERROR) throw this.tooLong();
    if (this.mode === LONG_SKIP) {
      this.skipping = true;
      return this.atEnd();
    }
    this.piece(this.endAbs - this.lineAbs);
    return 1;
  }

  protected tooLong(): LineTooLongError {
    return new LineTooLongError(this.max, this.streamOffset(this.lineAbs));
  }

  /** Hands out the first piece (at most `max` bytes) of the current line of `len` (> max) bytes. */
  protected piece(len: number): void {
    const cut = this.cut(len);
    this.oSeg = this.lineSeg;
    this.oIdx = this.lineIdx;
    this.oAbs = this.lineAbs;
    this.locate(this.lineAbs + cut);
    this.oEndSeg = spot.seg;
    this.oEndIdx = spot.idx;
    this.oLen = cut;
    this.lineSeg = spot.seg;
    this.lineIdx = spot.idx;
    this.lineAbs += cut;
  }

  /** Where to cut a long line: at `max`, moved back onto a UTF-8 character boundary when it can be. */
  protected cut(_len: number): number {
    if (!this.utf8) return this.max;
    for (let cut = this.max; cut > 0 && cut > this.max - 4; cut--) {
      if ((this.byteAt(this.lineAbs + cut) & 0xc0) !== 0x80) return cut;
    }
    return this.max; // not UTF-8 there anyway
  }

  /** The byte at chain offset `abs` (at or after the line start, before the buffer end). */
  protected byteAt(abs: number): number {
    let s = this.lineSeg;
    let i = this.lineIdx + (abs - this.lineAbs);
    while (i >= s.data.length) {
      i -= s.data.length;
      s = s.next!;
    }
    return s.data[i]!;
  }

  /** Sets {@link spot} to chain offset `abs` (at or after the line start), naming a seam by its left side. */
  protected locate(abs: number): void {
    let s = this.lineSeg;
    let i = this.lineIdx + (abs - this.lineAbs);
    while (i > s.data.length && s.next !== null) {
      i -= s.data.length;
      s = s.next;
    }
    spot.seg = s;
    spot.idx = i;
  }
}

/** @internal The answer of {@link LineScanner.locate}, for the UTF-16 scanner. */
export { spot };
