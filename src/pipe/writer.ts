import type { PipeCore } from './core.js';
import type { FlushResult, WaitOptions } from './types.js';

/**
 * The writing side of a pipe. Get memory, fill it, commit it, flush:
 *
 * @example
 * ```ts
 * const memory = writer.getMemory(5);
 * memory.set(new TextEncoder().encode('hello'));
 * writer.advance(5);
 * const { isCompleted } = await writer.flush(); // waits while the reader is behind
 * if (isCompleted) return;                      // the reader stopped: stop writing
 * await writer.complete();
 * ```
 */
export abstract class PipeWriter {
  /**
   * Writable memory of at least `sizeHint` bytes (never empty). Fill a prefix of it and call `advance()`.
   * @throws {RangeError} for a negative `sizeHint`.
   */
  abstract getMemory(sizeHint?: number): Uint8Array;
  /**
   * Commits `bytes` of the memory from the last `getMemory()`.
   * @throws {RangeError} beyond the memory handed out.
   */
  abstract advance(bytes: number): void;
  /** Makes committed bytes visible to the reader; waits while the reader is too far behind. */
  abstract flush(options?: WaitOptions): Promise<FlushResult>;
  /** Copies `data` (a string is written as UTF-8), then flushes. */
  abstract write(data: Uint8Array | string, options?: WaitOptions): Promise<FlushResult>;
  /** Ends the pending flush (or the next one) with `isCanceled: true`. */
  abstract cancelPendingFlush(): void;
  /** Commits what was advanced and ends the stream; with an `error`, the reader's read rejects with it. */
  abstract complete(error?: unknown): Promise<void>;
  /** Bytes advanced but not flushed yet. */
  abstract get unflushedBytes(): number;
  /** Whether {@link unflushedBytes} is available. */
  get canGetUnflushedBytes(): boolean {
    return true;
  }
}

/** @internal The Pipe's writer. */
export class CorePipeWriter extends PipeWriter {
  /** @internal */
  constructor(readonly _core: PipeCore) {
    super();
  }
  getMemory(sizeHint = 0): Uint8Array {
    return this._core.getMemory(sizeHint);
  }
  advance(bytes: number): void {
    this._core.advance(bytes);
  }
  flush(options?: WaitOptions): Promise<FlushResult> {
    return this._core.flush(options);
  }
  write(data: Uint8Array | string, options?: WaitOptions): Promise<FlushResult> {
    return this._core.write(data, options);
  }
  cancelPendingFlush(): void {
    this._core.cancelPendingFlush();
  }
  complete(error?: unknown): Promise<void> {
    return this._core.completeWriter(error, arguments.length > 0 && error !== undefined);
  }
  get unflushedBytes(): number {
    return this._core.unflushedBytes;
  }
}
