import type net from 'node:net';
import { createDuplexPipe, type DuplexPipe, type DuplexPipeOptions } from '../pipe/duplex.js';
import type { PipeReader } from '../pipe/reader.js';
import type { PipeWriter } from '../pipe/writer.js';

/** Options of the pipes of a named-pipe connection (thresholds, pool, ...), as for `createDuplexPipe`. */
export type NamedPipeConnectionOptions = Omit<DuplexPipeOptions, 'leaveOpen'>;

/**
 * One end of a named-pipe connection: a `DuplexPipe` over the socket. Read from `input`, write to
 * `output`; completing `output` half-closes the connection (the peer sees the end of its input) while
 * `input` keeps reading.
 *
 * @example
 * ```ts
 * const connection = await connectNamedPipe('my-app');
 * await writeFrame(connection.output, 'hello');
 * const reply = await readFrame(connection.input);
 * await connection.close();
 * ```
 */
export class NamedPipeConnection implements DuplexPipe {
  /** What the peer sends. */
  readonly input: PipeReader;
  /** What is sent to the peer. */
  readonly output: PipeWriter;
  /** The underlying socket (a Unix domain socket, or a Windows named pipe handle). */
  readonly socket: net.Socket;
  #closing: Promise<void> | undefined;
  readonly #closed: Promise<void>;

  /** @internal Made by `NamedPipeServer.accept()` and `connectNamedPipe()`. */
  constructor(socket: net.Socket, options?: NamedPipeConnectionOptions) {
    this.socket = socket;
    // An 'error' with no listener would crash the process; the pipes report it to their callers.
    socket.on('error', ignore);
    this.#closed = new Promise((resolve) => {
      if (socket.closed) resolve();
      else socket.once('close', () => resolve());
    });
    const duplex = createDuplexPipe(socket, { ...options, leaveOpen: false });
    this.input = duplex.input;
    this.output = duplex.output;
  }

  /**
   * Ends the connection: flushes and completes `output` (the peer reads to the end), completes `input`,
   * and resolves once the socket is closed. A peer that stops reading can hold the flush up: after
   * `timeout` ms (default: no limit) the socket is destroyed instead. Calling it again returns the same
   * promise.
   *
   * @example
   * ```ts
   * await connection.close({ timeout: 1000 });
   * ```
   */
  close(options?: { timeout?: number }): Promise<void> {
    if (this.#closing === undefined) {
      const timeout = options?.timeout ?? Infinity;
      const invalid = checkTimeout(timeout, 'close()');
      if (invalid !== null) return Promise.reject(invalid);
      this.#closing = this.#close(timeout);
    }
    return this.#closing;
  }

  async #close(timeout: number): Promise<void> {
    const graceful = (async () => {
      try {
        await this.output.complete();
        await this.input.complete();
      } catch {
        // The socket failed: there is nothing left to deliver; it is destroyed below.
      }
    })();
    if (timeout === Infinity) {
      await graceful;
    } else {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([graceful, new Promise((resolve) => (timer = setTimeout(resolve, timeout)))]);
      clearTimeout(timer);
    }
    this.socket.destroy();
    await this.#closed;
  }

  /** @internal Destroys the socket at once; pending reads and flushes fail with `error`. */
  _destroy(error?: Error): Promise<void> {
    this.socket.destroy(error);
    return this.#closed;
  }

  /** @internal Resolves once the socket is closed. */
  get _closed(): Promise<void> {
    return this.#closed;
  }
}

function ignore(): void {}

/** @internal A `RangeError` for a timeout that is not a non-negative number of milliseconds, else null. */
export function checkTimeout(timeout: number | undefined, what: string): RangeError | null {
  if (timeout === undefined || (typeof timeout === 'number' && timeout >= 0)) return null;
  return new RangeError(`${what}: timeout must be a non-negative number of milliseconds (or Infinity), got ${String(timeout)}.`);
}
