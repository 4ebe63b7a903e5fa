/**
 * The state machine behind a stream-backed `PipeWriter` (`PipeWriter.create(sink)`): the writer fills
 * blocks of memory, and `flush()` hands the committed bytes to the sink as views of those blocks (no
 * copy).
 *
 * What happens to a block after the sink got views of it is the memory-safety question. Many sinks keep a
 * chunk after their write callback / write promise settled: a `PassThrough` or an identity
 * `TransformStream` hands the very chunk on to whoever reads its other side, a test sink collects
 * chunks. So by default a block is written once, front to back, and never reused: each region is
 * handed out exactly once and the garbage collector takes the block when the sink lets go. With
 * `reuseMemory`, blocks come from the pool and go back once the sink settled every write of them: a
 * block is referenced by the writer while it is the current one and by each region of it queued or in
 * flight, and returned at zero.
 *
 * Regions are sent in the order they were committed: `queue` first (tails of retired blocks,
 * handed-off chunks), then the current block's `[start, written)`.
 *
 * @module
 */
import { BufferPool } from '../buffers/pool.js';
import type { ReadOnlySequence } from '../buffers/sequence.js';
import { InvalidOperationError } from '../errors.js';
import { copyInto, forEachSegment } from '../adapters/handoff.js';
import { openSink, type PipeSink, type StreamPipeWriterOptions } from '../adapters/sink.js';
import type { SinkDriver } from '../adapters/sink-driver.js';
import { FLUSH_CANCELED, FLUSH_COMPLETED, FLUSH_OK, writeDataError, type FlushResult, type WaitOptions } from './types.js';
import { Waiter } from './waiter.js';

const encoder = new TextEncoder();

interface Block {
  readonly bytes: Uint8Array;
  refs: number;
}

interface Region {
  readonly view: Uint8Array;
  /** The pooled block the view lies in; null for a chunk handed over as it is. */
  readonly block: Block | null;
}

export class SinkCore {
  readonly pool: BufferPool;
  readonly reuseMemory: boolean;
  readonly minimumBufferSize: number;
  readonly leaveOpen: boolean;
  private readonly driver: SinkDriver;

  private block: Block | null = null;
  private start = 0;
  private written = 0;
  private handedOut = 0;
  private queue: Region[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  private completion: Promise<void> | null = null;
  private fault: { error: unknown } | null = null;
  /** The sink was closed by someone else: flushes report `isCompleted`. */
  private sinkClosed = false;
  private flushCancel = false;
  private readonly flushWaiter = new Waiter<FlushResult>();

  constructor(sink: PipeSink, options: StreamPipeWriterOptions | undefined) {
    const min = options?.minimumBufferSize ?? 4096;
    if (!Number.isInteger(min) || min < 1) {
      throw new RangeError(`minimumBufferSize must be a positive integer, got ${min}.`);
    }
    this.minimumBufferSize = min;
    this.pool = options?.pool ?? BufferPool.shared;
    this.reuseMemory = options?.reuseMemory === true;
    this.leaveOpen = options?.leaveOpen === true;
    this.driver = openSink(sink, { error: (e) => this.onSinkError(e), closed: () => this.onSinkClosed() });
  }

  get completed(): boolean {
    return this.completion !== null;
  }

  get unflushedBytes(): number {
    return this.queuedBytes + (this.written - this.start);
  }

  // ---------------------------------------------------------------- memory

  getMemory(sizeHint: number): Uint8Array {
    if (this.completion !== null) {
      throw new InvalidOperationError('getMemory() after the writer completed. Do not write to a completed PipeWriter.');
    }
    if (!Number.isInteger(sizeHint) || sizeHint < 0) {
      throw new RangeError(`getMemory(${sizeHint}): sizeHint must be a non-negative integer.`);
    }
    let b = this.block;
    if (b === null || b.bytes.length - this.written < (sizeHint || 1)) {
      if (b !== null) this.retire();
      const size = Math.max(this.minimumBufferSize, sizeHint);
      b = this.block = { bytes: this.reuseMemory ? this.pool._rent(size) : new Uint8Array(size), refs: 1 };
      this.start = this.written = 0;
    }
    this.handedOut = b.bytes.length - this.written;
    return this.written === 0 ? b.bytes : b.bytes.subarray(this.written);
  }

  advance(bytes: number): void {
    if (this.completion !== null) {
      throw new InvalidOperationError('advance() after the writer completed. Do not write to a completed PipeWriter.');
    }
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > this.handedOut) {
      throw new RangeError(
        `advance(${bytes}): only ${this.handedOut} bytes of memory were handed out by getMemory(). Advance at most that many.`,
      );
    }
    this.written += bytes;
    this.handedOut -= bytes;
  }

  /** Moves the current block's committed, unsent bytes to the queue (the block stays current). */
  private commitCurrent(): void {
    const b = this.block;
    if (b === null || this.written === this.start) return;
    b.refs++;
    this.queue.push({ view: b.bytes.subarray(this.start, this.written), block: b });
    this.queuedBytes += this.written - this.start;
    this.start = this.written;
  }

  /** Stops using the current block: its unsent bytes are queued, the writer's reference dropped. */
  private retire(): void {
    this.commitCurrent();
    this.unref(this.block!);
    this.block = null;
    this.handedOut = 0;
  }

  private unref(b: Block): void {
    if (--b.refs === 0 && this.reuseMemory) this.pool._return(b.bytes);
  }

  /** Copies `data` into the writer's memory and commits it. */
  private copyIn(data: Uint8Array): void {
    copyInto(this, data, 1 << 20);
  }

  /** Takes a read buffer's bytes: source chunks as they are (no copy), pooled pipe memory copied. */
  handOff(buffer: ReadOnlySequence): void {
    if (this.completion !== null) {
      throw new InvalidOperationError('write after the writer completed. Do not write to a completed PipeWriter.');
    }
    forEachSegment(buffer, (view, pooled) => {
      if (pooled) {
        this.copyIn(view);
        return;
      }
      this.commitCurrent();
      this.queue.push({ view, block: null });
      this.queuedBytes += view.length;
    });
  }

  // ---------------------------------------------------------------- sending

  /** Hands every committed byte to the sink, in order. Returns false when the sink asks to wait. */
  private send(): boolean {
    let ready = true;
    if (this.queue.length > 0) {
      for (const r of this.queue) ready = this.sendRegion(r.view, r.block);
      this.queue = [];
      this.queuedBytes = 0;
    }
    const b = this.block;
    if (b !== null && this.written > this.start) {
      b.refs++;
      ready = this.sendRegion(b.bytes.subarray(this.start, this.written), b);
      this.start = this.written;
    }
    return ready;
  }

  private sendRegion(view: Uint8Array, block: Block | null): boolean {
    this.inFlight++;
    return this.driver.write(view, (error) => this.sent(block, error));
  }

  /** The sink is done with a region's memory. */
  private sent(block: Block | null, error: unknown): void {
    if (block !== null) this.unref(block);
    if (error !== undefined && error !== null) this.onSinkError(error);
    if (--this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Drops committed bytes that will never be sent. */
  private discardUnsent(): void {
    for (const r of this.queue) if (r.block !== null) this.unref(r.block);
    this.queue = [];
    this.queuedBytes = 0;
    this.start = this.written;
  }

  private idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---------------------------------------------------------------- flush

  private misuse(what: string): InvalidOperationError | null {
    if (this.completion !== null) {
      return new InvalidOperationError(`${what} after the writer completed. Do not write to a completed PipeWriter.`);
    }
    if (this.flushWaiter.pending) {
      return new InvalidOperationError(`${what} while another flush is pending. Await each flush before the next write.`);
    }
    return null;
  }

  flush(options: WaitOptions | undefined): Promise<FlushResult> {
    const misuse = this.misuse('flush()');
    if (misuse !== null) return Promise.reject(misuse);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return this.sendAndWait(signal);
  }

  write(data: Uint8Array | string, options: WaitOptions | undefined): Promise<FlushResult> {
    const misuse = this.misuse('write()');
    if (misuse !== null) return Promise.reject(misuse);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const bad = writeDataError(data);
    if (bad !== null) return Promise.reject(bad);
    this.driver.poll();
    if (this.fault === null && !this.sinkClosed) this.copyIn(typeof data === 'string' ? encoder.encode(data) : data);
    return this.sendAndWait(signal);
  }

  private sendAndWait(signal: AbortSignal | undefined): Promise<FlushResult> {
    this.driver.poll();
    if (this.fault !== null) {
      this.discardUnsent();
      return Promise.reject(this.fault.error);
    }
    if (this.sinkClosed) {
      this.discardUnsent();
      return Promise.resolve(FLUSH_COMPLETED);
    }
    const ready = this.send();
    if (ready && !this.driver.needsDrain) return Promise.resolve(this.cancelResult());
    const w = this.flushWaiter;
    const promise = w.wait(signal);
    const ticket = w.ticket;
    this.driver.ready().then(
      () => {
        // Not for a later flush: this readiness was for the bytes this one sent.
        if (w.isWaiting(ticket)) w.fulfil(this.cancelResult());
      },
      (error: unknown) => this.onSinkError(error),
    );
    return promise;
  }

  private cancelResult(): FlushResult {
    if (!this.flushCancel) return FLUSH_OK;
    this.flushCancel = false;
    return FLUSH_CANCELED;
  }

  cancelPendingFlush(): void {
    if (this.flushWaiter.pending) this.flushWaiter.fulfil(FLUSH_CANCELED);
    else this.flushCancel = true;
  }

  private onSinkError(error: unknown): void {
    if (this.fault !== null || this.completion !== null) return;
    this.fault = { error };
    this.flushWaiter.fail(error);
  }

  private onSinkClosed(): void {
    if (this.fault !== null || this.completion !== null) return;
    this.sinkClosed = true;
    this.flushWaiter.fulfil(FLUSH_COMPLETED);
  }

  // ---------------------------------------------------------------- complete

  /** Completes the writer side; an `error` (anything but undefined) aborts the sink unless `leaveOpen`. */
  complete(error?: unknown): Promise<void> {
    if (this.completion === null) {
      this.flushWaiter.fulfil(this.sinkClosed ? FLUSH_COMPLETED : FLUSH_OK);
      this.completion = this.finish(error, error !== undefined);
    }
    return this.completion;
  }

  private async finish(error: unknown, hasError: boolean): Promise<void> {
    const healthy = !hasError && this.fault === null && !this.sinkClosed;
    // Advanced bytes are committed: a completed writer's data is delivered (unless it failed).
    if (healthy) this.send();
    else this.discardUnsent();
    if (this.block !== null) {
      this.unref(this.block);
      this.block = null;
    }
    this.handedOut = 0;
    const aborting = hasError && !this.leaveOpen;
    // A live sink calls back for every write: complete() resolves once it is done with all our memory.
    // A failed, closed or aborted one may never call back for a write it was in the middle of; its
    // memory then returns whenever (if ever) it does, without holding complete() up.
    const wait = this.fault === null && !this.sinkClosed && !aborting;
    try {
      if (aborting) this.driver.abort(error);
      else if (healthy && !this.leaveOpen) await this.driver.end();
    } finally {
      if (wait) await this.idle();
      if (this.leaveOpen) this.driver.release();
    }
  }
}
