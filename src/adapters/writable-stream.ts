/**
 * `writer.asStream()`: a `PipeWriter` as a WHATWG `WritableStream`.
 *
 * @module
 */
import type { PipeWriter } from '../pipe/writer.js';
import { InvalidOperationError, abortError } from '../errors.js';
import { describe } from '../buffers/sequence.js';
import { globalStream } from './globals.js';

/** Options of `PipeWriter.asStream()`. */
export interface WriterStreamOptions {
  /** Leave the writer usable: neither `close()` nor `abort()` of the stream completes it. Default false. */
  leaveOpen?: boolean;
}

/**
 * A `WritableStream` over `writer`: each chunk is written (copied) and flushed, and the write resolves when
 * the flush does, so a slow reader holds the stream's producer back.
 */
export function writerToWritableStream(writer: PipeWriter, options?: WriterStreamOptions): WritableStream<Uint8Array> {
  const Writable = globalStream('WritableStream', 'PipeWriter.asStream()');
  const leaveOpen = options?.leaveOpen === true;
  return new Writable<Uint8Array>({
    async write(chunk: unknown): Promise<void> {
      if (!(chunk instanceof Uint8Array) && typeof chunk !== 'string') {
        throw new TypeError(`PipeWriter.asStream(): chunks must be Uint8Array or string, got ${describe(chunk)}.`);
      }
      const result = await writer.write(chunk);
      if (result.isCompleted) throw readerCompletedError('PipeWriter.asStream()');
    },
    async close(): Promise<void> {
      if (!leaveOpen) await writer.complete();
    },
    async abort(reason?: unknown): Promise<void> {
      // An abort without a reason still fails the writer: a plain complete() would pass a partial stream
      // off as a whole one.
      if (!leaveOpen) await writer.complete(reason === undefined ? abortError('The stream was aborted.') : reason);
    },
  });
}

/** The error a stream view of a writer fails with once the pipe's reader completed (like EPIPE). */
export function readerCompletedError(what: string): InvalidOperationError {
  return new InvalidOperationError(
    `${what}: the reader of this PipeWriter completed, so nothing more can be written. Stop writing when ` +
      'the consumer is done (a pipeTo() or stream.pipeline() is ended by this error).',
  );
}
