/**
 * Pipe readers and writers as real Node streams: `toNodeReadable`, `toNodeWritable`, `toNodeDuplex`.
 *
 * @module
 */
import { Duplex, Readable, Writable, type WritableOptions } from 'node:stream';
import type { PipeReader } from '../pipe/reader.js';
import type { PipeWriter } from '../pipe/writer.js';
import type { DuplexPipe } from '../pipe/duplex.js';
import { copyInto, detachedChunks } from '../adapters/handoff.js';
import { readerCompletedError } from '../adapters/writable-stream.js';

/** Options of {@link toNodeReadable}. */
export interface NodeReadableOptions {
  /** Bytes the stream buffers before it stops reading the pipe. Node's default applies when omitted. */
  highWaterMark?: number;
  /** Destroys the stream (with an `AbortError`) when aborted. */
  signal?: AbortSignal;
  /** Leave the reader usable: the stream's end or `destroy()` do not complete it. Default false. */
  leaveOpen?: boolean;
}

/** Options of {@link toNodeWritable}. */
export interface NodeWritableOptions {
  /** Bytes the stream buffers before `write()` returns false. Node's default applies when omitted. */
  highWaterMark?: number;
  /** Destroys the stream (with an `AbortError`) when aborted. */
  signal?: AbortSignal;
  /** Leave the writer usable: `end()` or `destroy()` do not complete it. Default false. */
  leaveOpen?: boolean;
}

/** Options of {@link toNodeDuplex}. */
export interface NodeDuplexOptions {
  /** High-water mark of the readable side. */
  readableHighWaterMark?: number;
  /** High-water mark of the writable side. */
  writableHighWaterMark?: number;
  /** Destroys the stream (with an `AbortError`) when aborted. */
  signal?: AbortSignal;
  /** Leave both halves usable: the stream's end or `destroy()` complete neither. Default false. */
  leaveOpen?: boolean;
}

/** Feeds a Node readable side from a PipeReader, reading the pipe only while Node wants data. */
class ReadSide {
  private running = false;
  private awaiting = false;
  private ended = false;

  constructor(private readonly reader: PipeReader, private readonly stream: Readable, private readonly leaveOpen: boolean) {}

  /** Node's `_read()`. */
  pull(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    const { reader, stream } = this;
    try {
      for (;;) {
        this.awaiting = true;
        const result = await reader.read();
        this.awaiting = false;
        const buffer = result.buffer;
        if (stream.destroyed) {
          reader.advanceTo(buffer.start);
          return;
        }
        let more = true;
        // Pooled pipe memory is copied (it is reused after advanceTo); source chunks go as they are.
        if (buffer.length > 0) for (const chunk of detachedChunks(buffer)) more = stream.push(chunk) && more;
        reader.advanceTo(buffer.end);
        if (result.isCompleted) {
          this.ended = true;
          stream.push(null);
          if (!this.leaveOpen) await reader.complete();
          return;
        }
        if (!more) break;
      }
      this.running = false;
    } catch (error) {
      this.awaiting = false;
      this.running = false;
      if (!stream.destroyed) stream.destroy(error as Error);
    }
  }

  /** Node's `_destroy()`. */
  destroy(error: Error | null): Promise<void> {
    if (this.leaveOpen) {
      // A read of ours still pending is ended, so the reader is free for its next user.
      if (this.awaiting) this.reader.cancelPendingRead();
      return Promise.resolve();
    }
    if (this.ended && error === null) return Promise.resolve();
    return error === null ? this.reader.complete() : this.reader.complete(error);
  }
}

/** Drains a Node writable side into a PipeWriter: each write (or batch) is copied, then flushed. */
class WriteSide {
  private flushing = false;
  constructor(private readonly writer: PipeWriter, private readonly leaveOpen: boolean, private readonly what: string) {}

  /** Node's `_writev()`: one flush for every chunk Node buffered meanwhile. */
  write(chunks: readonly Uint8Array[], callback: (error?: Error | null) => void): void {
    const writer = this.writer;
    try {
      for (const chunk of chunks) copyInto(writer, chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.flushing = true;
    writer.flush().then(
      (result) => {
        this.flushing = false;
        callback(result.isCompleted ? readerCompletedError(this.what) : null);
      },
      (error: unknown) => {
        this.flushing = false;
        callback(error as Error);
      },
    );
  }

  /** The writable-side methods of a Node stream's options, driving this side. */
  methods(): Pick<WritableOptions, 'write' | 'writev' | 'final'> {
    return {
      writev: (chunks, callback) => this.write(chunks.map((c) => c.chunk as Uint8Array), callback),
      write: (chunk: Uint8Array, _encoding, callback) => this.write([chunk], callback),
      final: (callback) => this.final(callback),
    };
  }

  /** Node's `_final()`. */
  final(callback: (error?: Error | null) => void): void {
    if (this.leaveOpen) callback();
    else this.writer.complete().then(() => callback(), callback);
  }

  /** Node's `_destroy()`. */
  destroy(error: Error | null): Promise<void> {
    if (this.leaveOpen) {
      if (this.flushing) this.writer.cancelPendingFlush();
      return Promise.resolve();
    }
    return error === null ? this.writer.complete() : this.writer.complete(error);
  }
}

function settle(destroys: Promise<void>[], error: Error | null, callback: (error?: Error | null) => void): void {
  Promise.all(destroys).then(
    () => callback(error),
    (e: unknown) => callback(error ?? (e as Error)),
  );
}

/**
 * A Node `Readable` over `reader`: it reads the pipe only while its buffer is below `highWaterMark`, ends
 * when the pipe's writer completes, and is destroyed (with the error) when a read rejects. Its end and
 * `destroy(err)` complete the reader (with `err`), unless `leaveOpen`.
 *
 * @example
 * ```ts
 * await stream.promises.pipeline(toNodeReadable(pipe.reader), zlib.createGzip(), fs.createWriteStream('out.gz'));
 * ```
 */
export function toNodeReadable(reader: PipeReader, options?: NodeReadableOptions): Readable {
  const side: { current?: ReadSide } = {};
  const stream = new Readable({
    highWaterMark: options?.highWaterMark,
    signal: options?.signal,
    read() {
      side.current!.pull();
    },
    destroy(error, callback) {
      settle([side.current!.destroy(error)], error, callback);
    },
  });
  side.current = new ReadSide(reader, stream, options?.leaveOpen === true);
  return stream;
}

/**
 * A Node `Writable` over `writer`: each write is copied into the pipe and flushed, and its callback waits
 * for the flush, so `write()` returns false while the pipe's reader is behind. `end()` completes the
 * writer and `destroy(err)` completes it with `err`, unless `leaveOpen`. Once the pipe's reader completed,
 * writes fail with `InvalidOperationError`.
 *
 * @example
 * ```ts
 * await stream.promises.pipeline(fs.createReadStream('in.txt'), toNodeWritable(pipe.writer));
 * ```
 */
export function toNodeWritable(writer: PipeWriter, options?: NodeWritableOptions): Writable {
  const side = new WriteSide(writer, options?.leaveOpen === true, 'toNodeWritable()');
  return new Writable({
    highWaterMark: options?.highWaterMark,
    signal: options?.signal,
    ...side.methods(),
    destroy(error, callback) {
      settle([side.destroy(error)], error, callback);
    },
  });
}

/**
 * A Node `Duplex` over a duplex pipe: its readable side reads `input`, its writable side writes `output`.
 * `end()` completes `output` (a half-close) while reading goes on; `destroy(err)` completes both, unless
 * `leaveOpen`.
 *
 * @example
 * ```ts
 * const [client, server] = createDuplexPipePair();
 * const socketLike = toNodeDuplex(client);
 * socketLike.end('hello');
 * ```
 */
export function toNodeDuplex(pipe: DuplexPipe, options?: NodeDuplexOptions): Duplex {
  const leaveOpen = options?.leaveOpen === true;
  const sides: { read?: ReadSide } = {};
  const writeSide = new WriteSide(pipe.output, leaveOpen, 'toNodeDuplex()');
  const stream = new Duplex({
    allowHalfOpen: true,
    readableHighWaterMark: options?.readableHighWaterMark,
    writableHighWaterMark: options?.writableHighWaterMark,
    signal: options?.signal,
    read() {
      sides.read!.pull();
    },
    ...writeSide.methods(),
    destroy(error, callback) {
      settle([sides.read!.destroy(error), writeSide.destroy(error)], error, callback);
    },
  });
  sides.read = new ReadSide(pipe.input, stream, leaveOpen);
  return stream;
}
