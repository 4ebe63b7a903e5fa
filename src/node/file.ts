/**
 * `openFile`: the fast file path. Large reads straight into pooled blocks that become the pipe's
 * segments (no copy between the read and your parser), returned to the pool as they are consumed.
 *
 * @module
 */
import { close, open, read, type PathLike } from 'node:fs';
import { BufferPool } from '../buffers/pool.js';
import { PipeCore } from '../pipe/core.js';
import { CorePipeReader, type PipeReader } from '../pipe/reader.js';

/** Options of {@link openFile}. */
export interface OpenFileOptions {
  /** Bytes per read. Default 1 MiB. Each read fills one block rented from `pool`. */
  readSize?: number;
  /**
   * Aborting stops reading and closes the file: bytes already read are still delivered, then `read()`
   * rejects with `signal.reason`.
   */
  signal?: AbortSignal;
  /** Where the read blocks come from. Default `BufferPool.shared`. */
  pool?: BufferPool;
  /** Most bytes read but not consumed; beyond it `read()` rejects with `BufferLimitError`. Default 0 (off). */
  maxBufferedBytes?: number;
}

const DEFAULT_READ_SIZE = 1024 * 1024;

/**
 * A `PipeReader` over a file. The file is opened at the first read, read in `readSize` blocks only when
 * the reader waits for data (one read in flight at most), and closed at its end, on an error, or when
 * the reader completes. Opening is lazy, so `openFile` itself never fails for a missing file: the first
 * `read()` rejects with the `fs` error (`ENOENT`, `EISDIR`, ...), which is also what a line helper
 * over it rejects with.
 *
 * @example
 * ```ts
 * import { openFile, forEachLine } from 'io-pipelines/node';
 *
 * const count = await forEachLine(openFile('big.log'), () => {});
 * ```
 * @throws {RangeError} for a `readSize` that is not a positive integer.
 */
export function openFile(path: PathLike, options?: OpenFileOptions): PipeReader {
  return new FilePipeReader(path, options);
}

class FilePipeReader extends CorePipeReader {
  private readonly path: PathLike;
  private readonly readSize: number;
  private readonly pool: BufferPool;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort: (() => void) | undefined;
  private fd = -1;
  /** An `open` or a `read` is in flight. */
  private busy = false;
  /** The file reached its end, failed, or was given up: no more reads. */
  private finished = false;
  /** A read waits for data that has not been read yet. */
  private wanted = false;
  /** A block read ahead, not handed to the pipe yet (`readyLength` bytes of it). */
  private ready: Uint8Array | null = null;
  private readyLength = 0;
  /** A `close` is in flight. */
  private closing = false;
  /** Resolves once the file is closed (or when it never was opened and no more will be). */
  private readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(path: PathLike, options: OpenFileOptions | undefined) {
    const readSize = options?.readSize ?? DEFAULT_READ_SIZE;
    if (!Number.isSafeInteger(readSize) || readSize < 1) {
      throw new RangeError(`openFile(): readSize must be a positive integer, got ${readSize}.`);
    }
    const pool = options?.pool ?? BufferPool.shared;
    super(new PipeCore({ pauseWriterThreshold: 0, maxBufferedBytes: options?.maxBufferedBytes ?? 0, pool }));
    this.path = path;
    this.readSize = readSize;
    this.pool = pool;
    this.signal = options?.signal;
    this.closed = new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    });
    this._core.demand = () => this.demand();
    if (this.signal?.aborted) {
      this.fail(this.signal.reason);
    } else if (this.signal !== undefined) {
      this.onAbort = () => this.fail(this.signal!.reason);
      this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /**
   * The reader waits for data: hand it the block read ahead if there is one, else read one. Either way
   * the next block is then read while the reader parses this one (one read in flight at most, one block
   * held at most), so the reader rarely waits for the disk.
   */
  private demand(): void {
    const ready = this.ready;
    if (ready !== null) {
      this.ready = null;
      this._core.appendRented(ready, this.readyLength);
    } else {
      this.wanted = true;
    }
    this.pull();
  }

  /** Starts one open or read, if none is in flight and the file is not done. */
  private pull(): void {
    if (this.busy || this.finished || this.ready !== null || this._core.readerCompleted) return;
    this.busy = true;
    if (this.fd < 0) {
      open(this.path, 'r', (error, fd) => {
        this.busy = false;
        if (error !== null) return this.fail(error);
        this.fd = fd;
        if (this.finished || this._core.readerCompleted) return this.closeFile();
        this.pull();
      });
      return;
    }
    const block = this.pool._rent(this.readSize);
    read(this.fd, block, 0, this.readSize, null, (error, bytesRead) => {
      this.busy = false;
      if (error !== null || bytesRead === 0 || this.finished || this._core.readerCompleted) {
        this.pool._return(block);
        if (error !== null) this.fail(error);
        else if (bytesRead === 0) this.end();
        else this.closeFile();
        return;
      }
      if (this.wanted) {
        // The block becomes a segment as it is; the pipe returns it to the pool once it is consumed.
        this.wanted = false;
        this._core.appendRented(block, bytesRead);
        this.pull();
      } else {
        this.ready = block;
        this.readyLength = bytesRead;
      }
    });
  }

  /** End of file: the reader sees `isCompleted` after the bytes it has not read yet. */
  private end(): void {
    this.finished = true;
    this._core.completeWriter();
    this.closeFile();
  }

  /** A read error or an abort: bytes read so far are delivered, then `read()` rejects with `error`. */
  private fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    const ready = this.ready;
    if (ready !== null) {
      this.ready = null;
      this._core.appendRented(ready, this.readyLength);
    }
    this._core.completeWriter(error, true);
    this.closeFile();
  }

  /** Closes the file once no operation is in flight; drops the abort listener. */
  private closeFile(): void {
    if (this.onAbort !== undefined) this.signal!.removeEventListener('abort', this.onAbort);
    this.finished = true;
    if (this.ready !== null) {
      this.pool._return(this.ready);
      this.ready = null;
    }
    if (this.busy || this.closing) return; // the open/read/close callback settles it
    const fd = this.fd;
    if (fd < 0) {
      this.resolveClosed();
      return;
    }
    this.fd = -1;
    this.closing = true;
    close(fd, () => {
      this.closing = false;
      this.resolveClosed();
    });
  }

  /** Completes the reader and closes the file; resolves once the file is closed. */
  override complete(error?: unknown): Promise<void> {
    const done = super.complete(error);
    this.closeFile();
    return Promise.all([done, this.closed]).then(() => undefined);
  }
}
