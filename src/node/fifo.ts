/**
 * FIFOs (named pipes made with `mkfifo`) opened without ever blocking a libuv thread-pool thread.
 *
 * A plain `fs.createReadStream(fifo)` opens the FIFO with a blocking `open()` on a thread-pool thread,
 * which then waits there until a writer comes: four such waits stall every `fs` call of the process.
 * Here the FIFO is opened with `O_NONBLOCK` (returns at once, writer or not) and its descriptor is
 * handed to a `net.Socket`, which libuv drives as a pipe handle through epoll/kqueue: waiting for data
 * or for a writer costs no thread.
 *
 * @module
 */
import { constants, open, close, fstat } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { timeoutError } from '../errors.js';
import { PipeReader } from '../pipe/reader.js';
import { PipeWriter } from '../pipe/writer.js';
import type { StreamPipeReaderOptions } from '../adapters/source.js';
import type { StreamPipeWriterOptions } from '../adapters/sink.js';

const openFd = promisify(open);
const closeFd = promisify(close);
const fstatFd = promisify(fstat);

/** Options of {@link openFifo} for reading. */
export interface OpenFifoReaderOptions {
  /**
   * Keep reading after a writer closes, for the next writer (the reader then never completes by
   * itself; complete it to stop). Default false: the reader completes when the last writer closes.
   */
  reopen?: boolean;
  /** Options of the reader (as for `PipeReader.create`). */
  pipeOptions?: Omit<StreamPipeReaderOptions, 'leaveOpen'>;
}

/** Options of {@link openFifo} for writing. */
export interface OpenFifoWriterOptions {
  /** Aborting it stops waiting for a reader and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds to wait for a reader before rejecting with a `TimeoutError`. Default: no limit. */
  timeout?: number;
  /** Options of the writer (as for `PipeWriter.create`). */
  pipeOptions?: Omit<StreamPipeWriterOptions, 'leaveOpen'>;
}

/** How often `openFifo(path, 'w')` looks for a reader: the first wait and the longest one, in ms. */
const FIRST_DELAY = 5;
const MAX_DELAY = 100;

/**
 * Opens the FIFO at `path` for reading (`'r'`, a `PipeReader`) or writing (`'w'`, a `PipeWriter`).
 * Reading opens at once; the reads wait for a writer. Writing waits (cancellable, no thread held) until a
 * reader has the FIFO open. A missing path, or one that is not a FIFO, is an error at once.
 * POSIX only.
 *
 * @example
 * ```ts
 * // shell: mkfifo /tmp/events
 * const reader = await openFifo('/tmp/events', 'r', { reopen: true });
 * for await (const line of lines(reader)) console.log(line);
 * ```
 */
export function openFifo(path: string, mode: 'r', options?: OpenFifoReaderOptions): Promise<PipeReader>;
export function openFifo(path: string, mode: 'w', options?: OpenFifoWriterOptions): Promise<PipeWriter>;
export async function openFifo(
  path: string, mode: 'r' | 'w', options?: OpenFifoReaderOptions & OpenFifoWriterOptions,
): Promise<PipeReader | PipeWriter> {
  /* c8 ignore next 3 -- Windows has no FIFOs; not run here */
  if (process.platform === 'win32') {
    throw new Error('openFifo(): FIFOs are POSIX-only. On Windows use a named pipe (NamedPipeServer, connectNamedPipe).');
  }
  if (mode === 'r') return openReader(path, options);
  if (mode === 'w') return openWriter(path, options);
  throw new TypeError(`openFifo(): mode must be 'r' or 'w', got ${JSON.stringify(mode)}.`);
}

async function openReader(path: string, options: OpenFifoReaderOptions | undefined): Promise<PipeReader> {
  const fd = await openChecked(path, constants.O_RDONLY | constants.O_NONBLOCK);
  // With `reopen`, a write descriptor of our own keeps the FIFO from reporting the end when a writer
  // leaves: the next writer's bytes simply follow. It is never written to.
  let keeper = -1;
  if (options?.reopen === true) {
    try {
      keeper = await openFd(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      /* c8 ignore next 3 -- we hold the read end, so this open has no reason to fail */
      await closeFd(fd);
      throw error;
    }
  }
  const socket = new net.Socket({ fd, readable: true, writable: false, allowHalfOpen: true });
  socket.on('error', ignore);
  if (keeper >= 0) socket.once('close', () => close(keeper, ignore));
  return PipeReader.create(socket, { ...options?.pipeOptions, leaveOpen: false });
}

async function openWriter(path: string, options: OpenFifoWriterOptions | undefined): Promise<PipeWriter> {
  const signal = options?.signal;
  signal?.throwIfAborted();
  const timeout = options?.timeout ?? Infinity;
  if (!(typeof timeout === 'number' && timeout >= 0)) {
    throw new RangeError(`openFifo(): timeout must be a non-negative number of milliseconds, got ${String(timeout)}.`);
  }
  const deadline = Date.now() + timeout;
  let delay = FIRST_DELAY;
  let fd: number;
  for (;;) {
    try {
      fd = await openChecked(path, constants.O_WRONLY | constants.O_NONBLOCK);
      break;
    } catch (error) {
      // ENXIO: the FIFO has no reader yet. Poll with timers: a blocking open would hold a thread.
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw timeoutError(`openFifo(): no reader opened ${path} within ${timeout} ms.`);
    signal?.throwIfAborted();
    await sleep(Math.min(delay, left), signal);
    delay = Math.min(delay * 2, MAX_DELAY);
  }
  const socket = new net.Socket({ fd, readable: false, writable: true });
  socket.on('error', ignore);
  return PipeWriter.create(socket, { ...options?.pipeOptions, leaveOpen: false });
}

/** Opens `path` with `flags` and checks that it is a FIFO; a clear error otherwise. */
async function openChecked(path: string, flags: number): Promise<number> {
  let fd: number;
  try {
    fd = await openFd(path, flags);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      throw Object.assign(new Error(`openFifo(): there is no FIFO at ${path} (ENOENT). Create it first, e.g. with mkfifo.`, { cause: e }), {
        code: 'ENOENT', path,
      });
    }
    throw e;
  }
  const stat = await fstatFd(fd);
  if (!stat.isFIFO()) {
    await closeFd(fd);
    const kind = stat.isFile() ? 'a regular file' : stat.isDirectory() ? 'a directory' : stat.isCharacterDevice() ? 'a character device' : 'something else';
    throw Object.assign(new Error(`openFifo(): ${path} is ${kind}, not a FIFO. Create a FIFO with mkfifo.`), { code: 'EINVAL', path });
  }
  return fd;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function ignore(): void {}
