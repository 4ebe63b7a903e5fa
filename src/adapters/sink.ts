/**
 * Turning a byte sink into the driver of a stream-backed `PipeWriter`: the dispatch behind
 * `PipeWriter.create()`.
 *
 * @module
 */
import { describe } from '../buffers/sequence.js';
import type { BufferPool } from '../buffers/pool.js';
import type { SinkDriver, SinkEvents } from './sink-driver.js';
import { NodeSinkDriver } from './node-sink.js';
import { WebSinkDriver } from './web-sink.js';
import { isNodeWritable, isWebWritable, type NodeWritableLike, type WebWritableLike } from './shapes.js';

/**
 * What `PipeWriter.create()` writes to: a Node `Writable` (also `Duplex`, sockets, `fs.WriteStream`,
 * `process.stdout`) or a WHATWG `WritableStream<Uint8Array>` (native or polyfilled).
 */
export type PipeSink = NodeWritableLike | WebWritableLike<Uint8Array>;

/** Options of `PipeWriter.create()`. */
export interface StreamPipeWriterOptions {
  /**
   * Leave the sink usable when the writer completes. Default false: `complete()` ends (Node) or closes
   * (WHATWG) the sink and resolves once it finished; `complete(error)` destroys/aborts it.
   */
  leaveOpen?: boolean;
  /** Smallest block of memory the writer allocates (or rents). Default 4096. */
  minimumBufferSize?: number;
  /**
   * Rent the writer's memory from `pool` and reuse a block once the sink settled every write of it (Node:
   * the write callback; WHATWG: the write promise). Only for sinks that are done with a chunk by then,
   * such as Node's fs, net, http and zlib streams: never for a `PassThrough` or an identity
   * `TransformStream`, which hand the chunk itself on. Default false: every block is fresh memory written
   * once, so a sink may keep the chunks it is given for as long as it likes.
   */
  reuseMemory?: boolean;
  /** Where the writer rents memory when `reuseMemory` is set. Default `BufferPool.shared`. */
  pool?: BufferPool;
}

/**
 * Connects to `sink`.
 * @throws {TypeError} when `sink` is neither a Node Writable nor a WHATWG WritableStream.
 */
export function openSink(sink: PipeSink, events: SinkEvents): SinkDriver {
  if (isWebWritable(sink)) return new WebSinkDriver(sink, events);
  if (isNodeWritable(sink)) return new NodeSinkDriver(sink, events);
  throw new TypeError(
    `PipeWriter.create() takes a Node Writable or a WHATWG WritableStream; got ${describe(sink)}.`,
  );
}
