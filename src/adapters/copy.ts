/**
 * `reader.copyTo(destination)`: copies a reader to its end into a `PipeWriter`, a WHATWG `WritableStream`
 * or a Node `Writable`, with the destination's backpressure. Completes neither side.
 *
 * The reader is advanced past each read's bytes as soon as they were handed to the destination, so when
 * the copy fails (an error, an abort) the reader has been advanced past exactly what was written.
 *
 * @module
 */
import type { PipeReader } from '../pipe/reader.js';
import type { PipeWriter } from '../pipe/writer.js';
import type { ReadResult, WaitOptions } from '../pipe/types.js';
import { describe } from '../buffers/sequence.js';
import { copyInto, detachedChunks, HAND_OFF, type HandOffTarget } from './handoff.js';
import { isNodeWritable, isWebWritable, type NodeWritableLike, type WebWritableLike } from './shapes.js';

/** Where `PipeReader.copyTo()` copies to. */
export type CopyDestination = PipeWriter | WebWritableLike<Uint8Array> | NodeWritableLike;

/** Options of `PipeReader.copyTo()`. */
export type CopyToOptions = WaitOptions;

function isPipeWriter(value: unknown): value is PipeWriter {
  const v = value as Partial<PipeWriter> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.getMemory === 'function' && typeof v.advance === 'function' &&
    typeof v.flush === 'function'
  );
}

function canceled(what: string): DOMException {
  return new DOMException(`copyTo() stopped: the ${what} was canceled.`, 'AbortError');
}

/** Reads once; a canceled read ends the copy. */
async function readOnce(reader: PipeReader, options: WaitOptions | undefined): Promise<ReadResult> {
  const result = await reader.read(options);
  if (result.isCanceled) {
    reader.advanceTo(result.buffer.start);
    throw canceled('read (cancelPendingRead())');
  }
  return result;
}

export async function copyReaderTo(
  reader: PipeReader, destination: CopyDestination, options?: CopyToOptions,
): Promise<void> {
  const signal = options?.signal;
  if (signal?.aborted) throw signal.reason;
  if (isPipeWriter(destination)) return copyToWriter(reader, destination, options);
  if (isWebWritable(destination)) return copyToWeb(reader, destination, signal);
  if (isNodeWritable(destination)) return copyToNode(reader, destination, signal);
  throw new TypeError(
    `copyTo() takes a PipeWriter, a WHATWG WritableStream or a Node Writable; got ${describe(destination)}.`,
  );
}

async function copyToWriter(reader: PipeReader, writer: PipeWriter, options: WaitOptions | undefined): Promise<void> {
  const handOff = (writer as Partial<HandOffTarget>)[HAND_OFF];
  for (;;) {
    // readOnce() inlined: this loop is the hot path of a file copy.
    const result = await reader.read(options);
    const buffer = result.buffer;
    if (result.isCanceled) {
      reader.advanceTo(buffer.start);
      throw canceled('read (cancelPendingRead())');
    }
    if (buffer.length > 0) {
      try {
        if (handOff !== undefined) {
          handOff.call(writer, buffer);
        } else {
          for (const chunk of buffer) copyInto(writer, chunk);
        }
      } catch (error) {
        reader.advanceTo(buffer.start);
        throw error;
      }
      reader.advanceTo(buffer.end);
      const flushed = await writer.flush(options);
      if (flushed.isCanceled) throw canceled('flush (cancelPendingFlush())');
      if (flushed.isCompleted) return; // the destination's reader stopped: nothing more to copy to
    } else {
      reader.advanceTo(buffer.end);
    }
    if (result.isCompleted) return;
  }
}

/** Resolves or rejects with `promise`, or rejects with `signal.reason` once it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function copyToWeb(reader: PipeReader, stream: WebWritableLike<Uint8Array>, signal: AbortSignal | undefined): Promise<void> {
  const writer = stream.getWriter();
  let last: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      await abortable(writer.ready, signal);
      const result = await readOnce(reader, { signal });
      const buffer = result.buffer;
      if (writer.desiredSize === null) {
        // The stream failed while we read: these bytes were not written.
        reader.advanceTo(buffer.start);
        await writer.ready;
      }
      // Source chunks go as they are; pooled pipe memory is copied, since it is reused after advanceTo().
      for (const chunk of detachedChunks(buffer)) {
        last = writer.write(chunk);
        last.catch(() => {}); // surfaces through ready / the final await
      }
      reader.advanceTo(buffer.end);
      if (result.isCompleted) break;
    }
    await abortable(last, signal);
  } finally {
    writer.releaseLock();
  }
}

/** Read through a function: TypeScript would keep an earlier narrowing of the property across awaits. */
function destroyed(stream: NodeWritableLike): boolean {
  return stream.destroyed === true;
}

async function copyToNode(reader: PipeReader, stream: NodeWritableLike, signal: AbortSignal | undefined): Promise<void> {
  // An object, not a `let`: the listeners set it while the loop awaits.
  const state: { failure: { error: unknown } | null } = { failure: null };
  let wake: (() => void) | null = null;
  const fail = (error: unknown): void => {
    state.failure ??= { error };
    wake?.();
  };
  const onError = (error: unknown): void => fail(error);
  const onClose = (): void => {
    if (stream.errored != null) fail(stream.errored);
    else if (stream.writableFinished !== true) {
      fail(Object.assign(new Error('copyTo(): the destination stream was closed.'), { code: 'ERR_STREAM_DESTROYED' }));
    }
  };
  const onDrain = (): void => wake?.();
  /** Waits for 'drain', a failure, or the last write's callback. */
  const until = async (done: () => boolean): Promise<void> => {
    while (!done() && state.failure === null) {
      await abortable(new Promise<void>((resolve) => (wake = resolve)), signal);
      wake = null;
    }
    if (state.failure !== null) throw state.failure.error;
  };
  stream.on('error', onError);
  stream.on('close', onClose);
  stream.on('drain', onDrain);
  try {
    if (stream.errored != null) throw stream.errored;
    if (stream.destroyed === true || stream.writableEnded === true) {
      throw Object.assign(new Error('copyTo(): the destination stream has ended.'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
    }
    let pending = 0;
    const written = (error?: Error | null): void => {
      pending--;
      if (error != null) fail(error);
      else wake?.();
    };
    for (;;) {
      await until(() => stream.writableNeedDrain !== true);
      const result = await readOnce(reader, { signal });
      const buffer = result.buffer;
      // The stream may have failed while we read (its 'error' event can still be on its way).
      if (state.failure === null && destroyed(stream)) onClose();
      if (state.failure !== null) {
        // These bytes were not written.
        reader.advanceTo(buffer.start);
        throw state.failure.error;
      }
      const chunks = detachedChunks(buffer);
      for (let i = 0; i < chunks.length; i++) {
        // A callback on the last write of each read is enough to learn when everything was taken.
        if (i === chunks.length - 1) {
          pending++;
          stream.write(chunks[i], written);
        } else {
          stream.write(chunks[i]);
        }
      }
      reader.advanceTo(buffer.end);
      if (result.isCompleted) break;
    }
    await until(() => pending === 0);
  } finally {
    stream.removeListener('error', onError);
    stream.removeListener('close', onClose);
    stream.removeListener('drain', onDrain);
  }
}
