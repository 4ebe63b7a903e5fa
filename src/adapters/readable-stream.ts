/**
 * `reader.asStream()`: a `PipeReader` as a WHATWG byte stream.
 *
 * @module
 */
import type { PipeReader } from '../pipe/reader.js';
import type { ReadResult } from '../pipe/types.js';
import { globalStream } from './globals.js';

/** Options of `PipeReader.asStream()`. */
export interface ReaderStreamOptions {
  /**
   * Leave the reader usable: cancelling the stream, reaching its end or an error do not complete it.
   * Default false.
   */
  leaveOpen?: boolean;
}

/**
 * A `ReadableStream` of type `'bytes'` over `reader`. BYOB reads copy straight into the caller's view;
 * default reads get a fresh copy. Pipe memory is never enqueued (it is reused once consumed) and no
 * `ArrayBuffer` the adapter does not own is transferred.
 */
export function readerToReadableStream(reader: PipeReader, options?: ReaderStreamOptions): ReadableStream<Uint8Array> {
  const Readable = globalStream('ReadableStream', 'PipeReader.asStream()');
  const leaveOpen = options?.leaveOpen === true;
  let cancelled = false;
  let reading = false;
  const release = (error?: unknown): void => {
    if (leaveOpen) return;
    (error === undefined ? reader.complete() : reader.complete(error)).catch(() => {});
  };
  return new Readable({
    type: 'bytes',
    async pull(controller: ReadableByteStreamController): Promise<void> {
      let result: ReadResult;
      try {
        // A cancelPendingRead() with nothing buffered says nothing to a stream reader: read again.
        for (;;) {
          reading = true;
          try {
            result = await reader.read();
          } finally {
            reading = false;
          }
          if (cancelled) {
            reader.advanceTo(result.buffer.start);
            return;
          }
          if (!result.isCanceled || result.isCompleted || result.buffer.length > 0) break;
          reader.advanceTo(result.buffer.start);
        }
      } catch (error) {
        if (cancelled) return;
        release(error);
        throw error;
      }
      const buffer = result.buffer;
      const request = controller.byobRequest;
      if (buffer.length > 0) {
        if (request !== null && request.view !== null) {
          const view = request.view;
          const target = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
          const n = Math.min(target.length, buffer.length);
          (n === buffer.length ? buffer : buffer.slice(0, n)).copyTo(target);
          reader.advanceTo(buffer.getPosition(n));
          request.respond(n);
        } else {
          const copy = new Uint8Array(buffer.length);
          buffer.copyTo(copy);
          reader.advanceTo(buffer.end);
          controller.enqueue(copy);
        }
        return;
      }
      reader.advanceTo(buffer.end);
      // Completed and everything delivered: end the stream (a pending BYOB read then resolves done).
      controller.close();
      request?.respond(0);
      release();
    },
    cancel(reason?: unknown): void {
      cancelled = true;
      // Left open: a read of ours still pending is ended so the reader is free again.
      if (leaveOpen) {
        if (reading) reader.cancelPendingRead();
      }
      else release(reason);
    },
  });
}
