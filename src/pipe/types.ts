import { describe, type ReadOnlySequence } from '../buffers/sequence.js';
import type { BufferPool } from '../buffers/pool.js';

/** What a read returns. `buffer` is leased until the next `advanceTo()` or `complete()`. */
export interface ReadResult {
  /** The unconsumed bytes: everything flushed and not yet consumed. Zero-copy. */
  readonly buffer: ReadOnlySequence;
  /** The writer completed: no more data will come. Process `buffer` first! */
  readonly isCompleted: boolean;
  /** The read was ended by `cancelPendingRead()`. */
  readonly isCanceled: boolean;
}

/** What a flush returns. */
export interface FlushResult {
  /** The reader completed: stop writing. */
  readonly isCompleted: boolean;
  /** The flush was ended by `cancelPendingFlush()`. */
  readonly isCanceled: boolean;
}

/** Options of a wait: an `AbortSignal` rejects it with `signal.reason`. */
export interface WaitOptions {
  signal?: AbortSignal;
}

/** Options of {@link Pipe}. */
export interface PipeOptions {
  /**
   * A flush waits once this many flushed bytes are unexamined by the reader. Default 65536; 0 never
   * pauses the writer.
   */
  pauseWriterThreshold?: number;
  /** A paused flush resumes once unexamined bytes drop below this. Default: half the pause threshold. */
  resumeWriterThreshold?: number;
  /** Smallest block rented from the pool for the writer. Default 4096. */
  minimumSegmentSize?: number;
  /** Where segment memory comes from. Default `BufferPool.shared`. */
  pool?: BufferPool;
  /**
   * Most bytes flushed but not consumed; over it the reader's `read()` rejects with `BufferLimitError`
   * and the writer sees `isCompleted`. Stops a reader that examines everything but never consumes.
   * Default 0 (off).
   */
  maxBufferedBytes?: number;
}

export const FLUSH_OK: FlushResult = Object.freeze({ isCompleted: false, isCanceled: false });
export const FLUSH_COMPLETED: FlushResult = Object.freeze({ isCompleted: true, isCanceled: false });
export const FLUSH_CANCELED: FlushResult = Object.freeze({ isCompleted: false, isCanceled: true });

/** @internal The error of a `write()` given neither bytes nor text, or null when `data` is fine. */
export function writeDataError(data: unknown): TypeError | null {
  if (typeof data === 'string' || data instanceof Uint8Array) return null;
  return new TypeError(`write() takes a Uint8Array or a string, got ${describe(data)}. Encode other values first.`);
}
