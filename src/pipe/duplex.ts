/**
 * Duplex pipes: a reader and a writer over one two-way connection (a socket, a pair of WHATWG streams),
 * or two connected in memory.
 *
 * @module
 */
import { Pipe } from './pipe.js';
import { createSourceReader, type PipeReader } from './reader.js';
import { createSinkWriter, type PipeWriter } from './writer.js';
import type { PipeOptions } from './types.js';
import type { StreamPipeReaderOptions } from '../adapters/source.js';
import type { StreamPipeWriterOptions } from '../adapters/sink.js';
import { describe } from '../buffers/sequence.js';
import {
  isNodeReadable, isNodeWritable, isWebReadable, isWebWritable,
  type NodeDuplexLike, type WebReadableLike, type WebWritableLike,
} from '../adapters/shapes.js';

/**
 * The two halves of a connection: read what the peer sends from `input`, write to the peer with `output`.
 *
 * @example
 * ```ts
 * const { input, output } = createDuplexPipe(socket);
 * await output.write('PING\r\n');
 * const { buffer } = await input.read();
 * ```
 */
export interface DuplexPipe {
  /** What the peer sends. */
  readonly input: PipeReader;
  /** What is sent to the peer. */
  readonly output: PipeWriter;
}

/** Options of {@link createDuplexPipe}: those of `PipeReader.create()` and `PipeWriter.create()`. */
export interface DuplexPipeOptions extends StreamPipeReaderOptions, StreamPipeWriterOptions {
  /**
   * Leave the connection usable once both halves completed. Default false: completing `output` ends
   * the write side (half-close), and once `input` completed too the connection is destroyed / cancelled.
   */
  leaveOpen?: boolean;
}

/** A pair of WHATWG streams forming one connection, such as a `TransformStream` or a WebSocketStream's. */
export interface WebDuplexLike {
  readonly readable: WebReadableLike<Uint8Array>;
  readonly writable: WebWritableLike<Uint8Array>;
}

function isWebDuplex(value: unknown): value is WebDuplexLike {
  const v = value as Partial<WebDuplexLike> | null;
  return typeof v === 'object' && v !== null && isWebReadable(v.readable) && isWebWritable(v.writable);
}

/**
 * A duplex pipe over a Node `Duplex` (a `net.Socket`, a TLS socket, ...) or a WHATWG `{ readable,
 * writable }` pair. Completing `output` half-closes the connection (`end()` / `close()`); completing
 * `input` stops reading but leaves the write side alone until `output` completes too, and only then is
 * the connection destroyed (cancelled), unless `leaveOpen`.
 *
 * @example
 * ```ts
 * const socket = net.connect(6379, 'localhost');
 * const { input, output } = createDuplexPipe(socket);
 * await output.write('PING\r\n');
 * await output.complete();          // half-close: the server sees the end of its input
 * const { buffer } = await input.read();
 * await input.complete();           // both halves done: the socket is destroyed
 * ```
 * @throws {TypeError} for anything else.
 */
export function createDuplexPipe(source: NodeDuplexLike | WebDuplexLike, options?: DuplexPipeOptions): DuplexPipe {
  const leaveOpen = options?.leaveOpen === true;
  let close: () => void;
  let readable: Parameters<typeof createSourceReader>[0];
  let writable: Parameters<typeof createSinkWriter>[0];
  if (isWebDuplex(source)) {
    readable = source.readable;
    writable = source.writable;
    close = () => void source.readable.cancel().catch(() => {});
  } else if (isNodeReadable(source) && isNodeWritable(source)) {
    readable = writable = source;
    close = () => void source.destroy();
  } else {
    throw new TypeError(
      `createDuplexPipe() takes a Node Duplex (such as a net.Socket) or a WHATWG { readable, writable } pair; got ${describe(source)}.`,
    );
  }
  let inputDone = false;
  let outputDone: Promise<void> | null = null;
  const bothDone = (): void => {
    if (!leaveOpen) outputDone!.then(close, close);
  };
  // The input half never closes the connection itself (that would cut the write side off): it lets go of
  // the read side, and the connection closes when both halves are done.
  const input = createSourceReader(readable, { ...options, leaveOpen: true }, () => {
    inputDone = true;
    if (outputDone !== null) bothDone();
  });
  const output = createSinkWriter(writable, { ...options, leaveOpen }, (done) => {
    outputDone = done;
    if (inputDone) bothDone();
  });
  return { input, output };
}

/**
 * Two duplex pipes connected in memory: what `a.output` writes, `b.input` reads, and back. For tests and
 * in-process protocols.
 *
 * @example
 * ```ts
 * const [client, server] = createDuplexPipePair();
 * await client.output.write('hello');
 * const { buffer } = await server.input.read();
 * buffer.toString(); // 'hello'
 * ```
 */
export function createDuplexPipePair(options?: PipeOptions): [DuplexPipe, DuplexPipe] {
  const there = new Pipe(options);
  const back = new Pipe(options);
  return [
    { input: back.reader, output: there.writer },
    { input: there.reader, output: back.writer },
  ];
}
