import type { PipeCore } from './core.js';
import type { FlushResult, WaitOptions } from './types.js';
import { SinkCore } from './sink-core.js';
import type { ReadOnlySequence } from '../buffers/sequence.js';
import type { PipeSink, StreamPipeWriterOptions } from '../adapters/sink.js';
import { HAND_OFF } from '../adapters/handoff.js';
import { writerToWritableStream, type WriterStreamOptions } from '../adapters/writable-stream.js';

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
   * A writer into a byte sink: a Node `Writable` (`Duplex`, sockets, `fs.WriteStream`, `process.stdout`)
   * or a WHATWG `WritableStream<Uint8Array>`. Nothing reaches the sink before `flush()`, `write()` or
   * `complete()`; a flush hands the committed bytes over as views of pooled memory (no copy) and waits
   * while the sink asks to (`'drain'`, `writer.ready`).
   *
   * The memory handed to the sink is never written again, so the sink may keep chunks as long as it
   * likes (a `PassThrough` or `TransformStream` passes them on). With `reuseMemory`, blocks are rented
   * from the pool and reused once the sink settled every write of them (its write callback / write
   * promise): for sinks done with a chunk by then, such as fs, net, http and zlib streams.
   *
   * A sink error rejects the pending and later flushes with that error. `complete()` ends / closes the
   * sink (unless `leaveOpen`) and resolves once it finished; `complete(error)` destroys / aborts it.
   *
   * @example
   * ```ts
   * const writer = PipeWriter.create(fs.createWriteStream('out.txt'));
   * await writer.write('hello\n');
   * await writer.complete(); // ends the file stream, resolves once it finished
   * ```
   * @throws {TypeError} when `sink` is neither kind.
   */
  static create(sink: PipeSink, options?: StreamPipeWriterOptions): PipeWriter {
    return createSinkWriter(sink, options);
  }

  /**
   * This writer as a WHATWG `WritableStream`: each chunk is written and flushed, so the stream's writes
   * wait while the reader is behind. `close()` completes the writer and `abort(reason)` completes it with
   * `reason`, unless `leaveOpen`.
   *
   * @example
   * ```ts
   * await response.body!.pipeTo(writer.asStream());
   * ```
   */
  asStream(options?: WriterStreamOptions): WritableStream<Uint8Array> {
    return writerToWritableStream(this, options);
  }

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
    return this._core.completeWriter(error);
  }
  get unflushedBytes(): number {
    return this._core.unflushedBytes;
  }
}

/** @internal The writer of `PipeWriter.create()`. */
class StreamPipeWriter extends PipeWriter {
  constructor(private readonly _sink: SinkCore, private readonly _onComplete: ((done: Promise<void>) => void) | undefined) {
    super();
  }
  getMemory(sizeHint = 0): Uint8Array {
    return this._sink.getMemory(sizeHint);
  }
  advance(bytes: number): void {
    this._sink.advance(bytes);
  }
  flush(options?: WaitOptions): Promise<FlushResult> {
    return this._sink.flush(options);
  }
  write(data: Uint8Array | string, options?: WaitOptions): Promise<FlushResult> {
    return this._sink.write(data, options);
  }
  cancelPendingFlush(): void {
    this._sink.cancelPendingFlush();
  }
  complete(error?: unknown): Promise<void> {
    const first = !this._sink.completed;
    const done = this._sink.complete(error);
    if (first) this._onComplete?.(done);
    return done;
  }
  get unflushedBytes(): number {
    return this._sink.unflushedBytes;
  }
  /** @internal Used by `copyTo()`: source chunks are sent without a copy. */
  [HAND_OFF](buffer: ReadOnlySequence): void {
    this._sink.handOff(buffer);
  }
}

/**
 * @internal `PipeWriter.create()`, plus a hook called once when the writer completes, with the promise of
 * that completion (duplex pipes close a socket only when both of its halves are done).
 */
export function createSinkWriter(
  sink: PipeSink, options?: StreamPipeWriterOptions, onComplete?: (done: Promise<void>) => void,
): PipeWriter {
  return new StreamPipeWriter(new SinkCore(sink, options), onComplete);
}
