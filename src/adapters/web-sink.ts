/**
 * A WHATWG `WritableStream` (native or polyfilled) as a sink, through its default writer.
 *
 * @module
 */
import type { SinkDriver, SinkEvents } from './sink-driver.js';
import type { WebWritableLike } from './shapes.js';

export class WebSinkDriver implements SinkDriver {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private released = false;

  constructor(stream: WebWritableLike<Uint8Array>, events: SinkEvents) {
    this.writer = stream.getWriter();
    // Rejects when the stream errors (a failed write, or its controller erroring it). Resolves only after
    // our own close(), which needs no report.
    this.writer.closed.then(undefined, (error: unknown) => {
      if (!this.released) events.error(error);
    });
  }

  write(chunk: Uint8Array, done: (error?: unknown) => void): boolean {
    this.writer.write(chunk).then(() => done(), (error: unknown) => done(error));
    return !this.needsDrain;
  }

  get needsDrain(): boolean {
    const size = this.writer.desiredSize;
    return size !== null && size <= 0;
  }

  poll(): void {
    // A WHATWG writer's state is only observable through its promises.
  }

  ready(): Promise<void> {
    return this.writer.ready;
  }

  end(): Promise<void> {
    return this.writer.close();
  }

  abort(error: unknown): void {
    this.writer.abort(error).catch(() => {});
  }

  release(): void {
    this.released = true;
    this.writer.releaseLock();
  }
}
