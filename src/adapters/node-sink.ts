/**
 * A Node `stream.Writable` (also `Duplex`, sockets, `fs.WriteStream`, `process.stdout`) as a sink,
 * recognised by shape: no `node:` import.
 *
 * @module
 */
import type { SinkDriver, SinkEvents } from './sink-driver.js';
import type { NodeWritableLike } from './shapes.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class NodeSinkDriver implements SinkDriver {
  private waiters: Waiter[] = [];
  private failure: { error: unknown } | null = null;

  constructor(private readonly stream: NodeWritableLike, private readonly events: SinkEvents) {
    stream.on('drain', this.onDrain);
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
    this.poll();
  }

  poll(): void {
    if (this.failure !== null) return;
    const s = this.stream;
    if (s.errored != null) this.onError(s.errored);
    else if (s.destroyed === true || s.writableEnded === true) this.onClose();
  }

  private readonly onDrain = (): void => {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  };
  private readonly onError = (error: unknown): void => {
    this.fail(error);
    this.events.error(error);
  };
  private readonly onClose = (): void => {
    if (this.stream.writableFinished === true || this.failure !== null) return;
    this.fail(Object.assign(new Error('The sink stream was closed.'), { code: 'ERR_STREAM_DESTROYED' }));
    this.events.closed();
  };

  private fail(error: unknown): void {
    if (this.failure !== null) return;
    this.failure = { error };
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  write(chunk: Uint8Array, done: (error?: unknown) => void): boolean {
    // A write failing because the stream was destroyed with an error reports that error (the cause), not
    // the write's own "socket closed" / "canceled".
    return this.stream.write(chunk, (error) => done(error == null ? undefined : (this.stream.errored ?? error)));
  }

  get needsDrain(): boolean {
    return this.stream.writableNeedDrain === true;
  }

  ready(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure.error);
    if (!this.needsDrain) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  end(): Promise<void> {
    if (this.stream.writableFinished === true) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error != null ? reject(error) : resolve()));
    });
  }

  abort(error: unknown): void {
    // Our 'error' listener stays, so the error this emits is not an uncaught exception.
    this.stream.destroy(error instanceof Error ? error : new Error(String(error), { cause: error }));
  }

  release(): void {
    this.stream.removeListener('drain', this.onDrain);
    this.stream.removeListener('error', this.onError);
    this.stream.removeListener('close', this.onClose);
  }
}
