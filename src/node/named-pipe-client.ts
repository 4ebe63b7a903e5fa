import net from 'node:net';
import { timeoutError } from '../errors.js';
import { NamedPipeConnection, checkTimeout, type NamedPipeConnectionOptions } from './named-pipe-connection.js';
import { namedPipePath } from './named-pipe-path.js';
import { pathError } from './named-pipe-socket-file.js';

/** Options of {@link connectNamedPipe}. */
export interface ConnectNamedPipeOptions {
  /**
   * Milliseconds to keep trying while the pipe does not exist yet or is busy, then reject with a
   * `TimeoutError` `DOMException`. Default 5000; `Infinity` waits for as long as it takes.
   */
  timeout?: number;
  /** Aborting it stops trying and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Options of the connection's pipes (thresholds, pool). */
  pipeOptions?: NamedPipeConnectionOptions;
}

/**
 * Errors that mean "no server (yet)" or "server busy": the pipe does not exist, nobody listens on the
 * socket file, the listen queue is full (EAGAIN on Linux), or all Windows pipe instances are busy
 * (ERROR_PIPE_BUSY, which libuv reports as EBUSY).
 */
const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN', 'EBUSY']);
const FIRST_DELAY = 5;
const MAX_DELAY = 100;

/**
 * Connects to the named pipe `name` (see `namedPipePath`), retrying while the server is not there yet
 * or busy, until `timeout`. Rejects with a `TimeoutError` naming the path, with the signal's reason on
 * abort (the half-made socket is destroyed), or at once with an error that retrying cannot fix (such as
 * `EACCES`). Nothing is left behind on failure: a process that only failed to connect exits by itself.
 *
 * @example
 * ```ts
 * const connection = await connectNamedPipe('my-app', { timeout: 2000 });
 * await writeFrame(connection.output, 'ping');
 * console.log((await readFrame(connection.input))?.toString());
 * await connection.close();
 * ```
 */
export function connectNamedPipe(name: string, options?: ConnectNamedPipeOptions): Promise<NamedPipeConnection> {
  let pipePath: string;
  try {
    pipePath = namedPipePath(name);
  } catch (error) {
    return Promise.reject(error);
  }
  const timeout = options?.timeout ?? 5000;
  const invalid = checkTimeout(timeout, 'connectNamedPipe()');
  if (invalid !== null) return Promise.reject(invalid);
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);

  return new Promise<NamedPipeConnection>((resolve, reject) => {
    let socket: net.Socket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_DELAY;
    let lastCode = 'none';
    let settled = false;

    const settle = (): void => {
      settled = true;
      clearTimeout(retry);
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settle();
      socket?.destroy();
      socket = null;
      reject(error);
    };
    const onAbort = (): void => fail(signal!.reason);

    const attempt = (): void => {
      const s = net.connect({ path: pipePath, allowHalfOpen: true });
      socket = s;
      const onError = (error: NodeJS.ErrnoException): void => {
        s.destroy();
        if (socket === s) socket = null;
        const code = error.code ?? 'unknown';
        if (!RETRYABLE.has(code)) {
          fail(pathError(`connectNamedPipe(): cannot connect to ${pipePath}: ${error.message}`, code, pipePath, error));
          return;
        }
        lastCode = code;
        retry = setTimeout(attempt, delay);
        delay = Math.min(delay * 2, MAX_DELAY);
      };
      s.once('error', onError);
      // A settled attempt's socket was destroyed by fail(): it emits no 'connect' after that.
      s.once('connect', () => {
        s.removeListener('error', onError);
        settle();
        resolve(new NamedPipeConnection(s, options?.pipeOptions));
      });
    };

    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout !== Infinity) {
      deadline = setTimeout(() => {
        fail(timeoutError(`connectNamedPipe(): no server accepted a connection at ${pipePath} within ${timeout} ms (last error: ${lastCode}).`));
      }, timeout);
    }
    attempt();
  });
}
