import type { SequencePosition } from '../buffers/position.js';
import { PipeCore } from './core.js';
import type { ReadResult, WaitOptions } from './types.js';
import { openSource, type PipeSource, type StreamPipeReaderOptions } from '../adapters/source.js';
import type { SourceHandle } from '../adapters/source-driver.js';
import { readerToReadableStream, type ReaderStreamOptions } from '../adapters/readable-stream.js';
import { copyReaderTo, type CopyDestination, type CopyToOptions } from '../adapters/copy.js';

/**
 * The reading side of a pipe. Read, parse the buffer in place, then tell the reader what you used:
 *
 * @example
 * ```ts
 * for (;;) {
 *   const { buffer, isCompleted } = await reader.read();
 *   const lines = new SequenceReader(buffer);
 *   for (let line; (line = lines.tryReadLine()) !== undefined; ) console.log(line.toString());
 *   reader.advanceTo(lines.position, buffer.end); // consumed the lines, examined everything
 *   if (isCompleted) break;
 * }
 * await reader.complete();
 * ```
 */
export abstract class PipeReader {
  /**
   * A reader over any byte source: a Node `Readable` (`Duplex`, `net.Socket`, `fs.ReadStream`,
   * `process.stdin`), a WHATWG `ReadableStream<Uint8Array>` (native or polyfilled), an
   * `AsyncIterable<Uint8Array>` or `Iterable<Uint8Array>`, a `ReadOnlySequence` or a `Uint8Array`.
   *
   * Each chunk the source yields becomes a segment as it is (no copy), so it must not be modified
   * afterwards. The source is read only when a read waits with nothing unexamined buffered: a slow
   * consumer never makes the reader hold more than one chunk beyond what it left unconsumed. A source
   * error is reported by `read()` after every byte received before it. `complete()` destroys / cancels
   * the source unless `leaveOpen`.
   *
   * @example
   * ```ts
   * const reader = PipeReader.create(fs.createReadStream('log.txt'));
   * for (;;) {
   *   const { buffer, isCompleted } = await reader.read();
   *   const lines = new SequenceReader(buffer);
   *   for (let line; (line = lines.tryReadLine()) !== undefined; ) console.log(line.toString());
   *   reader.advanceTo(lines.position, buffer.end);
   *   if (isCompleted) break;
   * }
   * await reader.complete();
   * ```
   * @throws {TypeError} when `source` is none of the accepted kinds.
   */
  static create(source: PipeSource, options?: StreamPipeReaderOptions): PipeReader {
    return createSourceReader(source, options);
  }

  /**
   * This reader as a WHATWG `ReadableStream` of type `'bytes'` (BYOB reads fill the caller's buffer
   * directly). The stream owns the reader: cancelling it or reading it to the end completes the reader,
   * unless `leaveOpen`.
   *
   * @example
   * ```ts
   * const response = new Response(reader.asStream());
   * const text = await response.text();
   * ```
   */
  asStream(options?: ReaderStreamOptions): ReadableStream<Uint8Array> {
    return readerToReadableStream(this, options);
  }

  /**
   * Copies everything up to the end of this reader into `destination` (a `PipeWriter`, a WHATWG
   * `WritableStream` or a Node `Writable`), honouring its backpressure. Completes neither side. On failure
   * (an error on either side, an abort of `signal`, a canceled read or flush) the promise rejects and
   * this reader has been advanced past exactly the bytes handed to the destination. A `PipeWriter` whose
   * reader completed ends the copy early, without an error.
   *
   * @example
   * ```ts
   * await reader.copyTo(PipeWriter.create(fs.createWriteStream('copy.bin')));
   * ```
   */
  copyTo(destination: CopyDestination, options?: CopyToOptions): Promise<void> {
    return copyReaderTo(this, destination, options);
  }

  /**
   * Waits for data, completion or cancellation. The result's `buffer` holds every unconsumed byte and is
   * valid until `advanceTo()`. An aborted `signal` rejects with `signal.reason`.
   */
  abstract read(options?: WaitOptions): Promise<ReadResult>;
  /** Like `read()`, but waits until at least `minimumSize` bytes are buffered (or completion/cancel). */
  abstract readAtLeast(minimumSize: number, options?: WaitOptions): Promise<ReadResult>;
  /** A result if one is available now, else `undefined`. */
  abstract tryRead(): ReadResult | undefined;
  /**
   * Releases the bytes before `consumed` and marks those before `examined` as seen: the next `read()`
   * waits for new data if everything was examined.
   */
  abstract advanceTo(consumed: SequencePosition, examined?: SequencePosition): void;
  /** Ends the pending read (or the next one) with `isCanceled: true`. */
  abstract cancelPendingRead(): void;
  /** Stops reading; the writer sees `isCompleted` (or, given an `error`, its flush rejects with it). */
  abstract complete(error?: unknown): Promise<void>;
}

/** @internal A reader driving a {@link PipeCore}: the Pipe's reader, and the base of source readers. */
export class CorePipeReader extends PipeReader {
  /** @internal */
  constructor(readonly _core: PipeCore) {
    super();
  }
  read(options?: WaitOptions): Promise<ReadResult> {
    return this._core.read(options, 0);
  }
  readAtLeast(minimumSize: number, options?: WaitOptions): Promise<ReadResult> {
    if (!Number.isInteger(minimumSize) || minimumSize < 0) {
      return Promise.reject(new RangeError(`readAtLeast(${minimumSize}): minimumSize must be a non-negative integer.`));
    }
    return this._core.read(options, minimumSize);
  }
  tryRead(): ReadResult | undefined {
    return this._core.tryRead();
  }
  advanceTo(consumed: SequencePosition, examined?: SequencePosition): void {
    this._core.advanceTo(consumed, examined);
  }
  cancelPendingRead(): void {
    this._core.cancelPendingRead();
  }
  complete(error?: unknown): Promise<void> {
    return this._core.completeReader(error);
  }
}

/** @internal A reader fed by a source driver; completing it releases the source. */
class SourcePipeReader extends CorePipeReader {
  constructor(
    core: PipeCore,
    private readonly _source: SourceHandle,
    private readonly _leaveOpen: boolean,
    private readonly _onComplete: (() => void) | undefined,
  ) {
    super(core);
  }
  override complete(error?: unknown): Promise<void> {
    const first = !this._core.readerCompleted;
    // The source goes first: left open, it gets the unconsumed bytes back, which completing drops.
    if (first) this._source.close(this._leaveOpen, error);
    const done = super.complete(error);
    if (first) this._onComplete?.();
    return done;
  }
}

/**
 * @internal `PipeReader.create()`, plus a hook called once when the reader completes (duplex pipes use it
 * to close a socket only when both of its halves are done).
 */
export function createSourceReader(
  source: PipeSource, options?: StreamPipeReaderOptions, onComplete?: () => void,
): PipeReader {
  const core = new PipeCore({ pauseWriterThreshold: 0, maxBufferedBytes: options?.maxBufferedBytes ?? 0, pool: options?.pool });
  checkOption(options?.bufferSize, 'bufferSize');
  checkOption(options?.minimumReadSize, 'minimumReadSize');
  const handle = openSource(core, source);
  return new SourcePipeReader(core, handle, options?.leaveOpen === true, onComplete);
}

function checkOption(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }
}
