/**
 * A WHATWG `ReadableStream` (native or any spec-conformant one, such as web-streams-polyfill's) as a
 * source, through a default reader: BYOB readers are not used (some runtimes reject them on streams that
 * are not byte streams, and a default read hands over the chunk without a copy).
 *
 * @module
 */
import { SourceDriver } from './source-driver.js';
import type { WebReadableLike } from './shapes.js';
import type { PipeCore } from '../pipe/core.js';

export class WebSourceDriver extends SourceDriver {
  private readonly reader: ReadableStreamDefaultReader<unknown>;
  private pending: Promise<unknown> | null = null;

  constructor(core: PipeCore, stream: WebReadableLike<unknown>) {
    super(core);
    this.reader = stream.getReader();
  }

  protected pull(): void {
    const p = this.reader.read().then(
      (r) => {
        this.pending = null;
        if (r.done) this.finish();
        else this.deliver(r.value);
      },
      (error: unknown) => {
        this.pending = null;
        this.finish(error, true);
      },
    );
    this.pending = p;
  }

  protected release(leaveOpen: boolean, reason: unknown): void {
    if (!leaveOpen) {
      this.reader.cancel(reason).catch(() => {});
      return;
    }
    try {
      // A pending read is rejected by the release (current spec): its chunk stays in the stream.
      this.reader.releaseLock();
    } catch {
      // Implementations of the older spec refuse while a read is pending: release once it settled (the
      // chunk of that read is then lost: such a stream cannot take it back).
      void this.pending?.finally(() => this.reader.releaseLock());
    }
  }
}
