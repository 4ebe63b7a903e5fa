/**
 * The state machine shared by a pipe's reader and writer: one linked list of segments, four absolute
 * offsets into it, and at most one waiting read and one waiting flush. Stream adapters drive the same
 * machine by appending their chunks as segments (zero copy) instead of writing into rented memory.
 *
 * Offsets are absolute byte counts since the pipe was created, in this order:
 *   consumed ≤ examined ≤ flushed ≤ written
 * `consumed`: released by the reader; `examined`: seen by the reader; `flushed`: visible to the reader;
 * `written`: committed by the writer with `advance()` but maybe not flushed yet.
 *
 * @module
 */
import { BufferPool } from '../buffers/pool.js';
import { Chain, Lease, READ_LEASE_MESSAGE, Segment } from '../buffers/segment.js';
import { ReadOnlySequence } from '../buffers/sequence.js';
import { SequencePosition } from '../buffers/position.js';
import { BufferLimitError, InvalidOperationError } from '../errors.js';
import { Waiter } from './waiter.js';
import {
  FLUSH_CANCELED, FLUSH_COMPLETED, FLUSH_OK, writeDataError,
  type FlushResult, type PipeOptions, type ReadResult, type WaitOptions,
} from './types.js';

const EMPTY = new Uint8Array(0);
const OK = Promise.resolve(FLUSH_OK);
const COMPLETED = Promise.resolve(FLUSH_COMPLETED);
const CANCELED = Promise.resolve(FLUSH_CANCELED);
const DONE = Promise.resolve();
const encoder = new TextEncoder();
/** Reads in a row returning the same buffer (nothing examined in between) that count as an endless loop. */
const SPIN_LIMIT = 1000;
const SPIN_MESSAGE =
  `read() returned the same buffer ${SPIN_LIMIT} times in a row: each advanceTo() examined nothing new, so read() ` +
  'never waits and the loop never ends. When the buffer holds no complete message, pass examined = buffer.end ' +
  '(advanceTo(consumed, buffer.end)) so the next read waits for more data; stop reading once isCompleted.';
/** Largest string encoded straight into pipe memory; longer ones are encoded first, then copied. */
const DIRECT_ENCODE_LIMIT = 16384;

export class PipeCore {
  readonly pool: BufferPool;
  readonly minimumSegmentSize: number;
  readonly pauseThreshold: number;
  readonly resumeThreshold: number;
  readonly maxBufferedBytes: number;

  /** Called when a read has to wait for data: a source-backed reader pulls its next chunk here. */
  demand: (() => void) | null = null;

  private chain!: Chain;
  private lease!: Lease;
  private head: Segment | null = null;
  private headIdx = 0;
  private tail: Segment | null = null;
  private flushedSeg: Segment | null = null;
  private flushedIdx = 0;
  private consumed = 0;
  private examined = 0;
  private flushed = 0;
  private written = 0;
  /** Absolute end of the buffer handed out by the last read; -1 when no read awaits `advanceTo`. */
  private readEnd = -1;
  /** Bytes of memory from `getMemory()` not yet advanced. */
  private handedOut = 0;
  private memo: Uint8Array = EMPTY;
  private memoSeg: Segment | null = null;
  private memoAt = -1;

  readerCompleted = false;
  writerCompleted = false;
  private readerFault: { error: unknown } | null = null;
  private writerFault: { error: unknown } | null = null;
  private limitError: BufferLimitError | null = null;
  private readCancel = false;
  /** Reads in a row that handed out the very same bytes, nothing consumed or examined in between. */
  private idleReads = 0;
  /** `consumed`, `examined` and `flushed` when the last result was handed out. */
  private lastRead = { consumed: -1, examined: -1, flushed: -1 };
  private flushCancel = false;
  private readonly readWaiter = new Waiter<ReadResult>();
  private pendingMinimum = 0;
  private readonly flushWaiter = new Waiter<FlushResult>();

  constructor(options: PipeOptions | undefined) {
    const pause = options?.pauseWriterThreshold ?? 65536;
    const resume = options?.resumeWriterThreshold ?? Math.floor(pause / 2);
    checkSize(pause, 'pauseWriterThreshold');
    checkSize(resume, 'resumeWriterThreshold');
    if (resume > pause && pause !== 0) {
      throw new RangeError(`resumeWriterThreshold (${resume}) must not be above pauseWriterThreshold (${pause}).`);
    }
    this.pauseThreshold = pause;
    this.resumeThreshold = resume;
    this.minimumSegmentSize = checkSize(options?.minimumSegmentSize ?? 4096, 'minimumSegmentSize') || 1;
    this.maxBufferedBytes = checkSize(options?.maxBufferedBytes ?? 0, 'maxBufferedBytes');
    this.pool = options?.pool ?? BufferPool.shared;
    this.init();
  }

  private init(): void {
    this.chain = new Chain();
    this.lease = new Lease(READ_LEASE_MESSAGE);
  }

  // ---------------------------------------------------------------- backpressure

  /*
   * The crossing rules, in one place. Backpressure counts flushed bytes the reader has not examined:
   *   a flush pauses when   flushed - examined ≥ pauseThreshold   (pauseThreshold 0: never)
   *   it resumes when       flushed - examined < resumeThreshold
   * except while a readAtLeast(n) waits for more than is buffered: pausing then would deadlock, so the
   * writer runs until n bytes are there.
   */
  private shouldPause(): boolean {
    return this.pauseThreshold > 0 && this.flushed - this.examined >= this.pauseThreshold && !this.relieved();
  }
  private canResume(): boolean {
    // Everything examined always resumes: with resumeThreshold 0 (e.g. pause 1) `< 0` could never hold.
    const unexamined = this.flushed - this.examined;
    return unexamined < this.resumeThreshold || unexamined === 0 || this.relieved();
  }
  private relieved(): boolean {
    return this.readWaiter.pending && this.pendingMinimum > this.flushed - this.consumed;
  }

  // ---------------------------------------------------------------- reader side

  /** Bytes flushed and not yet consumed. */
  get buffered(): number {
    return this.flushed - this.consumed;
  }

  /** A read is waiting for data (a source adapter keeps its source flowing only then). */
  get readWaiting(): boolean {
    return this.readWaiter.pending;
  }

  read(options: WaitOptions | undefined, minimum: number): Promise<ReadResult> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const misuse = this.readMisuse('read()');
    if (misuse !== null) return Promise.reject(misuse);
    if (this.readReady(minimum)) {
      try {
        return Promise.resolve(this.takeResult());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const promise = this.readWaiter.wait(signal);
    this.pendingMinimum = minimum;
    // A writer paused on a smaller threshold than this read needs is let go (see relieved()).
    if (minimum > 0 && this.flushWaiter.pending && this.canResume()) this.flushWaiter.fulfil(FLUSH_OK);
    this.demand?.();
    return promise;
  }

  tryRead(): ReadResult | undefined {
    const misuse = this.readMisuse('tryRead()');
    if (misuse !== null) throw misuse;
    if (this.readReady(0)) return this.takeResult();
    this.demand?.();
    return undefined;
  }

  private readMisuse(what: string): InvalidOperationError | null {
    if (this.readerCompleted) {
      return new InvalidOperationError(`${what} after the reader completed. Do not read from a completed PipeReader.`);
    }
    if (this.readWaiter.pending) {
      return new InvalidOperationError(`${what} while another read is pending. Await each read before starting the next.`);
    }
    if (this.readEnd >= 0) {
      return new InvalidOperationError(
        `${what} before advanceTo(): the previous ReadResult was not advanced. Call advanceTo(consumed, examined) after each read.`,
      );
    }
    return null;
  }

  private readReady(minimum: number): boolean {
    if (this.readCancel || this.writerCompleted || this.limitError !== null) return true;
    return minimum > 0 ? this.flushed - this.consumed >= minimum : this.flushed > this.examined;
  }

  /** Builds the result for a read that can complete now, or throws the error it must reject with. */
  private takeResult(): ReadResult {
    if (this.limitError !== null) throw this.limitError;
    const isCanceled = this.readCancel;
    this.readCancel = false;
    // A faulted writer: flushed bytes are delivered first, the error once everything was examined.
    if (this.writerFault !== null && !isCanceled && this.flushed === this.examined) throw this.writerFault.error;
    const isCompleted = this.writerCompleted && this.writerFault === null;
    // The endless-loop mistake: advanceTo() examined nothing, so each read returns the same buffer at once
    // and the loop never waits (never lets a producer run). A few such reads can be deliberate; thousands
    // in a row cannot.
    const last = this.lastRead;
    if (!isCanceled && last.flushed === this.flushed && last.examined === this.examined && last.consumed === this.consumed) {
      if (++this.idleReads >= SPIN_LIMIT) {
        this.idleReads = 0;
        throw new InvalidOperationError(SPIN_MESSAGE);
      }
    } else {
      this.idleReads = 0;
      last.flushed = this.flushed;
      last.examined = this.examined;
      last.consumed = this.consumed;
    }
    this.readEnd = this.flushed;
    return { buffer: this.snapshot(), isCompleted, isCanceled };
  }

  private snapshot(): ReadOnlySequence {
    let head = this.head;
    if (head === null) {
      head = new Segment(this.chain, EMPTY, 0, this.consumed, false);
      return new ReadOnlySequence(head, 0, head, 0, 0, this.lease);
    }
    return ReadOnlySequence._span(head, this.headIdx, this.flushedSeg!, this.flushedIdx, this.flushed - this.consumed, this.lease);
  }

  advanceTo(consumed: SequencePosition, examined: SequencePosition = consumed): void {
    if (this.readerCompleted) {
      throw new InvalidOperationError('advanceTo() after the reader completed. Do not use a completed PipeReader.');
    }
    if (this.readEnd < 0) {
      throw new InvalidOperationError(
        'advanceTo() without a preceding read(): each read() result is advanced exactly once. Call read() first.',
      );
    }
    const c = this.offsetOf(consumed, 'consumed');
    const e = examined === consumed ? c : this.offsetOf(examined, 'examined');
    if (e < c) {
      throw new InvalidOperationError(
        `advanceTo(): examined (${e - this.consumed}) is before consumed (${c - this.consumed}). Pass an examined position at or after consumed.`,
      );
    }
    if (e < this.examined) {
      throw new InvalidOperationError(
        'advanceTo(): examined is before the previously examined position. Examined only moves forward: ' +
          'pass at least the position you examined last time (often result.buffer.end).',
      );
    }
    this.lease.expire();
    this.readEnd = -1;
    this.consumed = c;
    this.examined = e;
    this.releaseConsumed();
    if (this.flushWaiter.pending && this.canResume()) this.flushWaiter.fulfil(this.flushCancelResult());
  }

  private offsetOf(position: SequencePosition, what: string): number {
    if (!(position instanceof SequencePosition)) {
      throw new TypeError(`advanceTo(): ${what} must be a SequencePosition from the ReadResult's buffer.`);
    }
    if (position._segment.chain !== this.chain) {
      throw new InvalidOperationError(
        `advanceTo(): the ${what} position belongs to another buffer. Pass positions from this reader's last ReadResult.`,
      );
    }
    const abs = position._absolute;
    if (abs < this.consumed) {
      throw new InvalidOperationError(
        `advanceTo(): the ${what} position was already consumed and released. Pass positions from the last ReadResult.`,
      );
    }
    if (abs > this.readEnd) {
      throw new InvalidOperationError(`advanceTo(): the ${what} position is past the end of the last ReadResult's buffer.`);
    }
    return abs;
  }

  cancelPendingRead(): void {
    if (this.readWaiter.pending) {
      this.readCancel = true;
      this.wakeReader();
    } else {
      this.readCancel = true;
    }
  }

  completeReader(error?: unknown, hasError = error !== undefined): Promise<void> {
    if (this.readerCompleted) return DONE;
    this.readerCompleted = true;
    if (hasError) this.readerFault = { error };
    this.lease.expire();
    this.readEnd = -1;
    if (this.readWaiter.pending) {
      this.readWaiter.fail(new InvalidOperationError('The reader was completed while this read was pending.'));
    }
    this.settleFlushForReaderEnd();
    this.releaseAll();
    return DONE;
  }

  private settleFlushForReaderEnd(): void {
    const w = this.flushWaiter;
    if (!w.pending) return;
    if (this.readerFault !== null) w.fail(this.readerFault.error);
    else w.fulfil(FLUSH_COMPLETED);
  }

  // ---------------------------------------------------------------- writer side

  get unflushedBytes(): number {
    return this.written - this.flushed;
  }

  getMemory(sizeHint: number): Uint8Array {
    if (this.writerCompleted) {
      throw new InvalidOperationError('getMemory() after the writer completed. Do not write to a completed PipeWriter.');
    }
    if (!Number.isInteger(sizeHint) || sizeHint < 0) {
      throw new RangeError(`getMemory(${sizeHint}): sizeHint must be a non-negative integer.`);
    }
    const need = sizeHint === 0 ? 1 : sizeHint;
    let t = this.tail;
    if (t === null || !t.pooled || t.bytes.length - t.written < need) t = this.appendSegment(sizeHint);
    if (this.memoSeg !== t || this.memoAt !== t.written) {
      // A fresh block is handed out as it is: a subarray would cost an allocation per chunk.
      this.memo = t.written === 0 ? t.bytes : t.bytes.subarray(t.written);
      this.memoSeg = t;
      this.memoAt = t.written;
    }
    this.handedOut = this.memo.length;
    return this.memo;
  }

  advance(bytes: number): void {
    if (this.writerCompleted) {
      throw new InvalidOperationError('advance() after the writer completed. Do not write to a completed PipeWriter.');
    }
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > this.handedOut) {
      throw new RangeError(
        `advance(${bytes}): only ${this.handedOut} bytes of memory were handed out by getMemory(). Advance at most that many.`,
      );
    }
    if (bytes === 0) return;
    this.tail!.written += bytes;
    this.written += bytes;
    this.handedOut -= bytes;
  }

  flush(options: WaitOptions | undefined): Promise<FlushResult> {
    const misuse = this.flushMisuse('flush()');
    if (misuse !== null) return Promise.reject(misuse);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return this.publishAndWait(signal);
  }

  private flushMisuse(what: string): InvalidOperationError | null {
    if (this.writerCompleted) {
      return new InvalidOperationError(`${what} after the writer completed. Do not write to a completed PipeWriter.`);
    }
    if (this.flushWaiter.pending) {
      return new InvalidOperationError(`${what} while another flush is pending. Await each flush before the next write.`);
    }
    return null;
  }

  private publishAndWait(signal: AbortSignal | undefined): Promise<FlushResult> {
    if (this.readerCompleted || this.limitError !== null) {
      this.discardUnflushed();
      return this.readerFault !== null ? Promise.reject(this.readerFault.error) : COMPLETED;
    }
    this.publish();
    if (this.limitError !== null) return COMPLETED;
    // A cancel remembered from before this flush ends it at once, like a cancel while it waits.
    if (!this.shouldPause() || this.flushCancel) return this.flushCancelResult() === FLUSH_CANCELED ? CANCELED : OK;
    return this.flushWaiter.wait(signal);
  }

  private flushCancelResult(): FlushResult {
    if (!this.flushCancel) return FLUSH_OK;
    this.flushCancel = false;
    return FLUSH_CANCELED;
  }

  write(data: Uint8Array | string, options: WaitOptions | undefined): Promise<FlushResult> {
    const misuse = this.flushMisuse('write()');
    if (misuse !== null) return Promise.reject(misuse);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const bad = writeDataError(data);
    if (bad !== null) return Promise.reject(bad);
    if (this.readerCompleted || this.limitError !== null) return this.publishAndWait(signal);
    if (typeof data === 'string') {
      if (data.length <= DIRECT_ENCODE_LIMIT) {
        const memory = this.getMemory(data.length * 3);
        this.advance(encoder.encodeInto(data, memory).written);
        this.handedOut = 0;
        return this.publishAndWait(signal);
      }
      data = encoder.encode(data);
    }
    for (let offset = 0; offset < data.length; ) {
      const memory = this.getMemory(Math.min(data.length - offset, 1 << 20));
      const n = Math.min(memory.length, data.length - offset);
      memory.set(n === data.length ? data : data.subarray(offset, offset + n));
      this.advance(n);
      offset += n;
    }
    // write() used that memory itself: none of it is the caller's to advance(), and the pipe may free it.
    this.handedOut = 0;
    return this.publishAndWait(signal);
  }

  cancelPendingFlush(): void {
    if (this.flushWaiter.pending) this.flushWaiter.fulfil(FLUSH_CANCELED);
    else this.flushCancel = true;
  }

  completeWriter(error?: unknown, hasError = error !== undefined): Promise<void> {
    if (this.writerCompleted) return DONE;
    if (!this.readerCompleted && this.limitError === null) this.publish();
    this.writerCompleted = true;
    if (hasError) this.writerFault = { error };
    this.handedOut = 0;
    if (this.flushWaiter.pending) this.flushWaiter.fulfil(this.readerCompleted ? FLUSH_COMPLETED : FLUSH_OK);
    this.wakeReader();
    if (this.readerCompleted) this.releaseAll();
    return DONE;
  }

  /**
   * Views of the bytes flushed but not consumed, in order (no copy). A source adapter that leaves its
   * source open hands them back to it before the reader completes.
   */
  unconsumedChunks(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let s = this.head, i = this.headIdx; s !== null; s = s.next, i = 0) {
      const stop = s === this.flushedSeg ? this.flushedIdx : s.data.length;
      if (stop > i) out.push(s.data.subarray(i, stop));
      if (s === this.flushedSeg) break;
    }
    return out;
  }

  /**
   * Appends a caller's chunk as a segment of its own, without copying, and publishes it. Used by the
   * stream adapters; the chunk must not be modified afterwards.
   */
  appendChunk(chunk: Uint8Array): void {
    if (this.writerCompleted || chunk.length === 0) return;
    const seg = new Segment(this.chain, chunk, chunk.length, this.written, false);
    this.link(seg);
    this.written += chunk.length;
    if (this.readerCompleted) this.releaseAll();
    else this.publish();
  }

  /**
   * Appends `length` bytes of a block rented from this core's pool (e.g. filled by a file read) and
   * publishes them. The block goes back to the pool once the reader consumed it.
   */
  appendRented(block: Uint8Array, length: number): void {
    if (this.writerCompleted || this.readerCompleted || length === 0) {
      this.pool._return(block);
      return;
    }
    const seg = new Segment(this.chain, block, length, this.written, true);
    this.link(seg);
    this.written += length;
    this.publish();
  }

  // ---------------------------------------------------------------- segments

  private appendSegment(sizeHint: number): Segment {
    const bytes = this.pool._rent(Math.max(this.minimumSegmentSize, sizeHint));
    const seg = new Segment(this.chain, bytes, 0, this.written, true);
    this.link(seg);
    return seg;
  }

  private link(seg: Segment): void {
    if (this.tail === null) {
      this.head = this.tail = this.flushedSeg = seg;
      this.headIdx = this.flushedIdx = 0;
    } else {
      this.tail.next = seg;
      this.tail = seg;
    }
  }

  /** Makes every written byte visible to the reader and wakes it. */
  private publish(): void {
    if (this.written === this.flushed) return;
    for (let s: Segment | null = this.flushedSeg; s !== null; s = s.next) {
      if (s.data.length !== s.written) s.data = s.written === s.bytes.length ? s.bytes : s.bytes.subarray(0, s.written);
    }
    this.flushed = this.written;
    this.flushedSeg = this.tail;
    this.flushedIdx = this.tail!.written;
    const max = this.maxBufferedBytes;
    if (max > 0 && this.flushed - this.consumed > max) {
      this.limitError = new BufferLimitError(max, this.flushed - this.consumed);
      if (this.flushWaiter.pending) this.flushWaiter.fulfil(FLUSH_COMPLETED);
    }
    this.wakeReader();
  }

  private wakeReader(): void {
    const w = this.readWaiter;
    if (!w.pending) return;
    if (!this.readReady(this.pendingMinimum)) {
      this.demand?.();
      return;
    }
    let result: ReadResult;
    try {
      result = this.takeResult();
    } catch (error) {
      w.fail(error);
      return;
    }
    w.fulfil(result);
  }

  /** Returns the memory of fully consumed segments to the pool. */
  private releaseConsumed(): void {
    const c = this.consumed;
    let head = this.head;
    while (head !== null && head !== this.tail && head.runningIndex + head.written <= c) {
      if (head === this.flushedSeg) {
        this.flushedSeg = head.next;
        this.flushedIdx = 0;
      }
      const next = head.next;
      this.free(head);
      head = next;
    }
    this.head = head;
    if (head === null) return;
    this.headIdx = c - head.runningIndex;
    // The last segment goes too once it is read to the end and the writer holds none of its memory.
    if (head === this.tail && this.headIdx === head.written && this.handedOut === 0 && this.written === this.flushed) {
      this.free(head);
      this.head = this.tail = this.flushedSeg = null;
      this.headIdx = this.flushedIdx = 0;
    }
  }

  /** After the reader completed: nothing will be read, so all memory goes back (bar what the writer holds). */
  private releaseAll(): void {
    const keep = this.handedOut > 0 && !this.writerCompleted ? this.tail : null;
    for (let s = this.head; s !== null && s !== keep; ) {
      const next: Segment | null = s.next;
      this.free(s);
      s = next;
    }
    this.head = this.tail = this.flushedSeg = keep;
    if (keep !== null) keep.next = null;
    this.consumed = this.examined = this.flushed = this.written;
    this.headIdx = this.flushedIdx = keep === null ? 0 : keep.written;
  }

  /** Drops bytes written after the reader stopped (or hit its limit): nobody will read them. */
  private discardUnflushed(): void {
    if (this.readerCompleted) {
      this.releaseAll();
      return;
    }
    if (this.written === this.flushed || this.handedOut > 0) return;
    const last = this.flushedSeg!;
    for (let s = last.next; s !== null; ) {
      const next: Segment | null = s.next;
      this.free(s);
      s = next;
    }
    last.next = null;
    last.written = this.flushedIdx;
    this.tail = last;
    this.written = this.flushed;
  }

  private free(seg: Segment): void {
    seg.released = true;
    if (seg.pooled) this.pool._return(seg.bytes);
    // Drop what a stale position or expired sequence could otherwise pin: the memory and the chain after it.
    seg.bytes = seg.data = EMPTY;
    seg.next = null;
    if (seg === this.memoSeg) {
      this.memoSeg = null;
      this.memo = EMPTY;
    }
  }

  /** Starts over after both sides completed. */
  reset(): void {
    if (!this.readerCompleted || !this.writerCompleted) {
      throw new InvalidOperationError('reset() while the pipe is in use: complete both the reader and the writer first.');
    }
    this.releaseAll();
    this.head = this.tail = this.flushedSeg = null;
    this.headIdx = this.flushedIdx = 0;
    this.consumed = this.examined = this.flushed = this.written = 0;
    this.readEnd = -1;
    this.handedOut = 0;
    this.readerCompleted = this.writerCompleted = false;
    this.readerFault = this.writerFault = null;
    this.limitError = null;
    this.readCancel = this.flushCancel = false;
    this.idleReads = 0;
    this.lastRead = { consumed: -1, examined: -1, flushed: -1 };
    this.init();
  }
}

function checkSize(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}.`);
  return value;
}
