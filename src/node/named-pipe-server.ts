import net from 'node:net';
import { ServerClosedError, timeoutError } from '../errors.js';
import { NamedPipeConnection, checkTimeout, type NamedPipeConnectionOptions } from './named-pipe-connection.js';
import { namedPipePath } from './named-pipe-path.js';
import { bindPrivately, claimPath, listen, removeIfOurs, type FileIdentity } from './named-pipe-socket-file.js';

/** Options of {@link NamedPipeServer.listen}. */
export interface NamedPipeServerOptions {
  /**
   * Only the current user may connect (default true). POSIX: the socket file has mode 0600 from its
   * first instant (false: 0666). Windows: not enforceable from Node (see the README); the pipe gets
   * Windows' default security.
   */
  currentUserOnly?: boolean;
  /** Most simultaneous connections (queued and accepted); more are closed at once. Default: no limit. */
  maxConnections?: number;
  /**
   * Length of the kernel's queue of pending connections, and the bound of the queue of connections
   * that arrived before anyone called `accept()` (beyond it they are closed). Default 511.
   */
  backlog?: number;
  /** Options of each connection's pipes (thresholds, pool). */
  pipeOptions?: NamedPipeConnectionOptions;
  /** Aborting it closes the server (as `close()` does). An already aborted signal rejects `listen()`. */
  signal?: AbortSignal;
}

/** Options of {@link NamedPipeServer.accept}. */
export interface AcceptOptions {
  /** Aborting it rejects this `accept()` with the signal's reason; the server keeps listening. */
  signal?: AbortSignal;
  /** Milliseconds to wait before rejecting with a `TimeoutError` `DOMException`. Default: no limit. */
  timeout?: number;
}

/** Options of {@link NamedPipeServer.close}. */
export interface CloseOptions {
  /** Milliseconds open connections may take to finish before they are destroyed. Default 5000. */
  timeout?: number;
}

interface AcceptWaiter {
  resolve(connection: NamedPipeConnection): void;
  reject(error: unknown): void;
  cleanup(): void;
}

const DEFAULT_BACKLOG = 511;
const DEFAULT_CLOSE_TIMEOUT = 5000;

/** @internal A first-in first-out queue that does not shift arrays. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  get length(): number {
    return this.#items.length - this.#head;
  }
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) this.#items = [], this.#head = 0;
    return item;
  }
  remove(item: T): void {
    const i = this.#items.indexOf(item, this.#head);
    if (i >= 0) this.#items.splice(i, 1);
  }
  drain(): T[] {
    const rest = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return rest;
  }
}

/**
 * A named-pipe server: a Unix domain socket at the .NET path of the name on Linux and macOS, a Windows
 * named pipe on Windows. Each accepted client is a {@link NamedPipeConnection} (a `DuplexPipe`).
 *
 * @example
 * ```ts
 * const server = await NamedPipeServer.listen('my-app');
 * for await (const connection of server) {
 *   void (async () => {
 *     for await (const frame of frames(connection.input)) await writeFrame(connection.output, frame);
 *     await connection.close();
 *   })();
 * }
 * // elsewhere: await server.close();
 * ```
 */
export class NamedPipeServer implements AsyncIterable<NamedPipeConnection> {
  /** The path the server listens at (`\\.\pipe\NAME` on Windows, a socket file elsewhere). */
  readonly path: string;
  readonly #server: net.Server;
  #identity: FileIdentity | null = null;
  readonly #backlog: number;
  readonly #pipeOptions: NamedPipeConnectionOptions | undefined;
  readonly #queue = new Fifo<NamedPipeConnection>();
  readonly #waiters = new Fifo<AcceptWaiter>();
  readonly #accepted = new Set<NamedPipeConnection>();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.close();
  #closing: Promise<void> | undefined;

  private constructor(server: net.Server, pipePath: string, options: NamedPipeServerOptions, backlog: number) {
    this.#server = server;
    this.path = pipePath;
    this.#backlog = backlog;
    this.#pipeOptions = options.pipeOptions;
    this.#signal = options.signal;
    // Attached before the server listens: a client that connects while listen() finishes is queued too.
    server.on('connection', (socket: net.Socket) => this.#onConnection(socket));
    // Accept failures (EMFILE, ...) are transient: the server keeps listening; they must not crash the process.
    server.on('error', () => {});
  }

  /**
   * Starts a server for the pipe `name` (see `namedPipePath`). A stale socket file left by a server
   * that died is removed first; a live server at the path → an `EADDRINUSE` error (that server is not
   * disturbed); a file that is not a socket → an `EEXIST` error (the file is not touched).
   *
   * @example
   * ```ts
   * const server = await NamedPipeServer.listen('my-app', { maxConnections: 100 });
   * ```
   */
  static async listen(name: string, options: NamedPipeServerOptions = {}): Promise<NamedPipeServer> {
    const pipePath = namedPipePath(name);
    const signal = options.signal;
    signal?.throwIfAborted();
    const backlog = options.backlog ?? DEFAULT_BACKLOG;
    if (!Number.isInteger(backlog) || backlog < 1) throw new RangeError(`backlog must be a positive integer, got ${backlog}.`);
    const server = net.createServer({ allowHalfOpen: true });
    if (options.maxConnections !== undefined) {
      if (!Number.isInteger(options.maxConnections) || options.maxConnections < 1) {
        throw new RangeError(`maxConnections must be a positive integer, got ${options.maxConnections}.`);
      }
      server.maxConnections = options.maxConnections;
    }
    const instance = new NamedPipeServer(server, pipePath, options, backlog);
    /* c8 ignore next 2 -- Windows named pipes: the kernel owns the namespace, no socket file */
    if (process.platform === 'win32') {
      await listen(server, pipePath, backlog);
    } else {
      await claimPath(pipePath);
      instance.#identity = await bindPrivately(server, pipePath, options.currentUserOnly === false ? 0o666 : 0o600, backlog);
    }
    if (signal?.aborted) {
      await instance.close();
      signal.throwIfAborted();
    }
    signal?.addEventListener('abort', instance.#onAbort, { once: true });
    return instance;
  }

  /** True once `close()` was called (or the `signal` aborted). */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  #onConnection(socket: net.Socket): void {
    /* c8 ignore next 4 -- a connection libuv accepted in the same turn as close(): timing-dependent */
    if (this.#closing !== undefined) {
      socket.destroy();
      return;
    }
    const connection = new NamedPipeConnection(socket, this.#pipeOptions);
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#handOut(connection);
      waiter.cleanup();
      waiter.resolve(connection);
    } else if (this.#queue.length < this.#backlog) {
      // Not read from until accepted: its early bytes wait in the socket (nothing is lost).
      this.#queue.push(connection);
    } else {
      void connection._destroy();
    }
  }

  #handOut(connection: NamedPipeConnection): void {
    this.#accepted.add(connection);
    void connection._closed.then(() => this.#accepted.delete(connection));
  }

  /**
   * The next client: one that already connected (queued, with any bytes it sent) or the next to come.
   * Rejects with `ServerClosedError` once the server closes, with the signal's reason when `signal`
   * aborts, and with a `TimeoutError` `DOMException` after `timeout` ms; the server keeps listening in
   * the last two cases.
   *
   * @example
   * ```ts
   * const connection = await server.accept({ timeout: 10_000 });
   * ```
   */
  accept(options?: AcceptOptions): Promise<NamedPipeConnection> {
    const promise = this.#accept(options);
    // Rejections on close reach whoever awaits this promise, but are never reported as unhandled.
    promise.catch(() => {});
    return promise;
  }

  #accept(options: AcceptOptions | undefined): Promise<NamedPipeConnection> {
    if (this.#closing !== undefined) return Promise.reject(new ServerClosedError());
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const timeout = options?.timeout;
    const invalid = checkTimeout(timeout, 'accept()');
    if (invalid !== null) return Promise.reject(invalid);
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      this.#handOut(queued);
      return Promise.resolve(queued);
    }
    return new Promise<NamedPipeConnection>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (error: unknown): void => {
        this.#waiters.remove(waiter);
        waiter.cleanup();
        reject(error);
      };
      const onAbort = (): void => fail(signal!.reason);
      const waiter: AcceptWaiter = {
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (timeout !== undefined && timeout !== Infinity) {
        timer = setTimeout(() => fail(timeoutError(`accept() timed out after ${timeout} ms: no client connected to ${this.path}.`)), timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Accepts connections until the server closes. Leaving the loop does not close the server. */
  async *[Symbol.asyncIterator](): AsyncIterator<NamedPipeConnection> {
    for (;;) {
      let connection: NamedPipeConnection;
      try {
        connection = await this.accept();
      } catch (error) {
        if (error instanceof ServerClosedError) return;
        /* c8 ignore next -- accept() without options rejects with nothing else */
        throw error;
      }
      yield connection;
    }
  }

  /**
   * Closes the server gracefully: it stops accepting at once, pending `accept()` calls reject with
   * `ServerClosedError`, connections never accepted are closed, and accepted connections may finish
   * until `timeout` ms (default 5000) pass, then are destroyed (their pending reads and flushes reject
   * with a `ServerClosedError`). The socket file is removed, if it is still this server's. Resolves
   * once everything is closed; calling it again returns the same promise.
   *
   * @example
   * ```ts
   * await server.close({ timeout: 1000 });
   * ```
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#closing === undefined) {
      const timeout = options?.timeout ?? DEFAULT_CLOSE_TIMEOUT;
      const invalid = checkTimeout(timeout, 'close()');
      if (invalid !== null) return Promise.reject(invalid);
      this.#closing = this.#close(timeout);
    }
    return this.#closing;
  }

  async #close(timeout: number): Promise<void> {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const waiter of this.#waiters.drain()) {
      waiter.cleanup();
      waiter.reject(new ServerClosedError('The server was closed while accept() was waiting.'));
    }
    const queued = this.#queue.drain().map((c) => c._destroy());
    // The file goes first, while the listening socket still holds its inode: the identity check cannot
    // be fooled by a newer server's socket reusing a freed inode number, and no client ever finds a
    // file nobody listens on. Connections arriving meanwhile are closed (#onConnection).
    if (this.#identity !== null) await removeIfOurs(this.path, this.#identity);
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all(queued);
    if (this.#accepted.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        if (timeout !== Infinity) timer = setTimeout(resolve, timeout);
      });
      await Promise.race([Promise.all([...this.#accepted].map((c) => c._closed)), deadline]);
      clearTimeout(timer);
      const late = new ServerClosedError(`The server at ${this.path} closed and this connection outlived the close() deadline: it was destroyed.`);
      await Promise.all([...this.#accepted].map((c) => c._destroy(late)));
    }
    await stopped;
  }
}
