/**
 * The engine shared by every source adapter: it feeds a {@link PipeCore} from a source one chunk at a
 * time, only when the core asks (`core.demand`: a read is waiting with nothing unexamined), so a slow
 * consumer never makes the adapter buffer more than one chunk beyond what it left unconsumed.
 *
 * @module
 */
import type { PipeCore } from '../pipe/core.js';
import { describe } from '../buffers/sequence.js';

/** What a source reader needs from its driver. */
export interface SourceHandle {
  /** The reader completes: stop pulling and destroy the source, or (`leaveOpen`) hand it back usable. */
  close(leaveOpen: boolean, reason: unknown): void;
}

/**
 * Pulls one chunk per demand. Subclasses implement `pull()` (fetch one chunk, then call `deliver()` or
 * `finish()` once, synchronously or later) and `release()`.
 */
export abstract class SourceDriver implements SourceHandle {
  /** A chunk is being fetched: a demand meanwhile is already served by it. */
  private pulling = false;
  /** Inside the pull loop: a demand raised by a synchronous delivery loops instead of recursing. */
  private looping = false;
  private again = false;
  /** The source ended or failed. */
  protected done = false;
  /** The reader completed: late events are ignored. */
  protected closed = false;

  constructor(protected readonly core: PipeCore) {
    core.demand = () => this.demand();
  }

  /** Starts fetching one chunk. */
  protected abstract pull(): void;
  /** Gives the source up: destroy/cancel it, or leave it usable. */
  protected abstract release(leaveOpen: boolean, reason: unknown): void;

  private demand(): void {
    if (this.done || this.closed) return;
    if (this.looping) {
      this.again = true;
      return;
    }
    if (this.pulling) return;
    // A synchronous source (an Iterable) delivers inside pull(); its delivery may raise the next demand
    // (readAtLeast wants more). Looping here keeps a long run of small chunks off the call stack.
    this.looping = true;
    try {
      do {
        this.again = false;
        this.pulling = true;
        this.pull();
      } while (this.again && !this.pulling && !this.done && !this.closed);
    } finally {
      this.looping = false;
    }
  }

  /** A chunk arrived: append it as a segment as it is (zero copy). */
  protected deliver(chunk: unknown): void {
    if (this.closed || this.done) return;
    this.pulling = false;
    if (!(chunk instanceof Uint8Array)) {
      this.finish(
        new TypeError(
          `PipeReader.create(): the source yielded ${describe(chunk)}, not a Uint8Array. A byte source must yield ` +
            'Uint8Array (or Buffer) chunks: do not call setEncoding() on it or use objectMode with other values; ' +
            'encode text first (e.g. TextEncoderStream).',
        ),
        true,
      );
      return;
    }
    if (chunk.length === 0) {
      // Nothing arrived: the read that asked is still waiting, so ask again.
      if (this.looping) this.again = true;
      else this.demand();
      return;
    }
    this.core.appendChunk(chunk);
  }

  /** The source ended (no error) or failed: bytes already appended are read first, then the end or error. */
  protected finish(error?: unknown, hasError = false): void {
    if (this.closed || this.done) return;
    this.done = true;
    this.pulling = false;
    this.core.completeWriter(error, hasError);
  }

  close(leaveOpen: boolean, reason: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.core.demand = null;
    this.release(leaveOpen, reason);
  }
}
