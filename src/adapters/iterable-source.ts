/**
 * `AsyncIterable<Uint8Array>` and `Iterable<Uint8Array>` sources: one `next()` per demand. Chunks are
 * appended as they are, so an iterator must not modify a chunk after yielding it.
 *
 * @module
 */
import { SourceDriver } from './source-driver.js';
import type { PipeCore } from '../pipe/core.js';

export class AsyncIterableSourceDriver extends SourceDriver {
  private readonly iterator: AsyncIterator<unknown>;

  constructor(core: PipeCore, source: AsyncIterable<unknown>) {
    super(core);
    this.iterator = source[Symbol.asyncIterator]();
  }

  protected pull(): void {
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = Promise.resolve(this.iterator.next());
    } catch (error) {
      this.finish(error, true);
      return;
    }
    next.then(
      (r) => (r.done === true ? this.finish() : this.deliver(r.value)),
      (error: unknown) => this.finish(error, true),
    );
  }

  protected release(leaveOpen: boolean): void {
    // return() lets a generator run its finally blocks; it is not awaited, since for a generator that is
    // suspended in an await it waits for that await first.
    if (!leaveOpen && !this.done) closeIterator(this.iterator);
  }
}

export class IterableSourceDriver extends SourceDriver {
  private readonly iterator: Iterator<unknown>;

  constructor(core: PipeCore, source: Iterable<unknown>) {
    super(core);
    this.iterator = source[Symbol.iterator]();
  }

  protected pull(): void {
    let r: IteratorResult<unknown>;
    try {
      r = this.iterator.next();
    } catch (error) {
      this.finish(error, true);
      return;
    }
    if (r.done === true) this.finish();
    else this.deliver(r.value);
  }

  protected release(leaveOpen: boolean): void {
    if (!leaveOpen && !this.done) closeIterator(this.iterator);
  }
}

function closeIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    Promise.resolve(iterator.return?.()).catch(() => {});
  } catch {
    // A throwing return() changes nothing for the reader, which is done with the source.
  }
}
