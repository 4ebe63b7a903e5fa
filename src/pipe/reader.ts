import type { SequencePosition } from '../buffers/position.js';
import type { PipeCore } from './core.js';
import type { ReadResult, WaitOptions } from './types.js';

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
    return this._core.completeReader(error, arguments.length > 0 && error !== undefined);
  }
}
