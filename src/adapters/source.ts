/**
 * Turning any byte source into the feed of a pipe core: the dispatch behind `PipeReader.create()`.
 *
 * @module
 */
import { ReadOnlySequence, describe } from '../buffers/sequence.js';
import type { BufferPool } from '../buffers/pool.js';
import type { PipeCore } from '../pipe/core.js';
import type { SourceHandle } from './source-driver.js';
import { NodeSourceDriver } from './node-source.js';
import { WebSourceDriver } from './web-source.js';
import { AsyncIterableSourceDriver, IterableSourceDriver } from './iterable-source.js';
import {
  isAsyncIterable, isIterable, isNodeReadable, isWebReadable, type NodeReadableLike, type WebReadableLike,
} from './shapes.js';

/**
 * What `PipeReader.create()` reads from: a Node `Readable` (also `Duplex`, `net.Socket`, `fs.ReadStream`,
 * `process.stdin`), a WHATWG `ReadableStream<Uint8Array>` (native or polyfilled), an
 * `AsyncIterable<Uint8Array>`, an `Iterable<Uint8Array>`, a `ReadOnlySequence` or a `Uint8Array`.
 */
export type PipeSource =
  | NodeReadableLike
  | WebReadableLike<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | ReadOnlySequence
  | Uint8Array;

/** Options of `PipeReader.create()`. */
export interface StreamPipeReaderOptions {
  /**
   * Leave the source usable when the reader completes. Default false: `complete()` destroys a Node
   * stream, cancels a WHATWG stream and calls `return()` on an iterator. With true, a Node stream is
   * paused and gets its unconsumed bytes back (`unshift`), a WHATWG stream's lock is released, an iterator
   * is left as it is.
   */
  leaveOpen?: boolean;
  /**
   * Accepted for parity with .NET's `StreamPipeReaderOptions`. Chunks are taken as the source produces
   * them (zero copy), so no buffer of this size is rented; the source's own chunk size applies
   * (e.g. `highWaterMark` of `fs.createReadStream`).
   */
  bufferSize?: number;
  /** Accepted for parity with .NET, like {@link bufferSize}: no read buffer is rented. */
  minimumReadSize?: number;
  /** Accepted for parity with .NET, like {@link bufferSize}: no memory is rented from it. */
  pool?: BufferPool;
  /**
   * Most bytes buffered but unconsumed; beyond it `read()` rejects with `BufferLimitError`. A reader that
   * examines everything without consuming would otherwise make the adapter read the whole source.
   * Default 0 (off).
   */
  maxBufferedBytes?: number;
}

const NOTHING_TO_CLOSE: SourceHandle = { close() {} };

/**
 * Connects `source` to `core`: chunks are appended when the core demands them.
 * @throws {TypeError} when `source` is none of the accepted kinds.
 */
export function openSource(core: PipeCore, source: PipeSource): SourceHandle {
  if (source instanceof Uint8Array) {
    core.appendChunk(source);
    core.completeWriter();
    return NOTHING_TO_CLOSE;
  }
  if (source instanceof ReadOnlySequence) {
    for (const chunk of source) core.appendChunk(chunk);
    core.completeWriter();
    return NOTHING_TO_CLOSE;
  }
  // Order matters: WHATWG and Node streams are async iterables too, but are read through their own API.
  if (isWebReadable(source)) return new WebSourceDriver(core, source as WebReadableLike<unknown>);
  if (isNodeReadable(source)) return new NodeSourceDriver(core, source);
  if (isAsyncIterable(source)) return new AsyncIterableSourceDriver(core, source);
  if (isIterable(source) && typeof source !== 'string') return new IterableSourceDriver(core, source);
  throw new TypeError(
    `PipeReader.create() takes a Node Readable, a WHATWG ReadableStream, an AsyncIterable or Iterable of ` +
      `Uint8Array, a ReadOnlySequence or a Uint8Array; got ${typeof source === 'string' ? 'a string' : describe(source)}.`,
  );
}
