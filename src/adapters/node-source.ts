/**
 * A Node `stream.Readable` (also `Duplex`, `net.Socket`, `fs.ReadStream`, `process.stdin`) as a source,
 * recognised by shape: no `node:` import, so this file stays in the universal entry's graph.
 *
 * The stream is resumed when a read waits, and stays flowing while reads keep waiting for its chunks:
 * a chunk that arrives while no read waits is kept (one chunk beyond what the reader holds) and pauses the
 * stream until the next demand. So a consumer that keeps up costs no pause/resume per chunk, and a slow
 * one bounds what is buffered here to one chunk. Chunks come from `'data'` events, one chunk as the
 * stream produced it: paused-mode `read()` would hand out everything buffered, concatenated into a new
 * Buffer (a copy) when several chunks wait.
 *
 * @module
 */
import { SourceDriver } from './source-driver.js';
import type { NodeReadableLike } from './shapes.js';
import type { PipeCore } from '../pipe/core.js';

/** The error a source reader ends with when its stream closed without ending (destroyed, reset). */
function prematureClose(): Error {
  return Object.assign(new Error('The source stream closed before it ended (premature close).'), {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}

export class NodeSourceDriver extends SourceDriver {
  private ended = false;

  constructor(core: PipeCore, private readonly stream: NodeReadableLike) {
    super(core);
    stream.pause();
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
    if (stream.errored != null) this.finish(stream.errored, true);
    else if (stream.readableEnded === true) {
      this.ended = true; // (and then auto-destroyed: this is a real end)
      this.finish();
    }
    else if (stream.destroyed === true) this.onClose();
  }

  private readonly onData = (chunk: unknown): void => {
    // No read waits for it (none came back yet, or the one that asked was aborted): keep it, but stop
    // the stream until a read waits again.
    if (!this.core.readWaiting) this.stream.pause();
    this.deliver(chunk);
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    // Node never ends a destroyed stream; Bun emits 'end' when a socket is destroyed locally, which is
    // not the end of the data.
    if (this.stream.destroyed === true) this.finish(prematureClose(), true);
    else this.finish();
  };
  private readonly onError = (error: unknown): void => this.finish(error, true);
  private readonly onClose = (): void => {
    if (!this.ended) this.finish(prematureClose(), true);
  };

  protected pull(): void {
    const s = this.stream;
    s.resume();
    // A chunk already buffered is taken now rather than a tick later: in flowing mode read() returns the
    // first buffered chunk (as it is) and emits it as 'data'. With nothing buffered it returns null and
    // the next push() emits 'data'.
    if (s.readableFlowing === true) s.read();
  }

  protected release(leaveOpen: boolean): void {
    const s = this.stream;
    s.removeListener('data', this.onData);
    s.removeListener('end', this.onEnd);
    s.removeListener('close', this.onClose);
    if (!leaveOpen) {
      // The 'error' listener stays (ignoring everything now): an error while the stream is torn down
      // must not become an uncaught exception.
      s.destroy();
      return;
    }
    s.removeListener('error', this.onError);
    s.pause();
    // Unread bytes go back to the front of the stream, last chunk first, so its next reader sees them.
    if (!this.ended && s.readableEnded !== true && s.destroyed !== true) {
      const chunks = this.core.unconsumedChunks();
      for (let i = chunks.length - 1; i >= 0; i--) s.unshift(chunks[i]);
    }
  }
}
