/**
 * The async iterator protocol shared by `lines()` and `lineSequences()`: items come from the current
 * buffer synchronously while it has some (one resolved promise each), a read happens only when it is
 * used up, overlapping `next()` calls are served in order, and every way out (end, `return()`, error,
 * abort) goes through one `close()`. Internal.
 *
 * @module
 */
import type { LineIteration } from './line-iteration.js';

export const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

export abstract class LineIterator<T> implements AsyncIterableIterator<T> {
  /** A pull in flight: later calls wait for it, so results come in order. */
  protected pending: Promise<unknown> | null = null;

  constructor(protected readonly it: LineIteration) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next item from the current buffer, or null when it holds no more. */
  protected abstract take(): T | null;

  /** Ends the iteration (the reader is completed or advanced). */
  protected close(): Promise<void> {
    return this.it.close();
  }

  next(): Promise<IteratorResult<T>> {
    return this.step();
  }

  protected step(): Promise<IteratorResult<T>> {
    if (this.pending !== null) return this.pending.then(() => this.next());
    const it = this.it;
    if (it.done) return Promise.resolve(DONE);
    const signal = it.options.signal;
    if (signal?.aborted) return this.fail(signal.reason);
    if (it.hasBuffer) {
      try {
        const value = this.take();
        if (value !== null) return Promise.resolve({ value, done: false });
      } catch (error) {
        return this.fail(error);
      }
    }
    const pull = this.pull();
    this.pending = pull;
    const clear = (): void => {
      this.pending = null;
    };
    pull.then(clear, clear);
    return pull;
  }

  /** Reads until an item comes, or the end. */
  private async pull(): Promise<IteratorResult<T>> {
    const it = this.it;
    try {
      while (await it.more()) {
        const value = this.take();
        if (value !== null) return { value, done: false };
      }
    } catch (error) {
      await this.close();
      throw error;
    }
    await this.close();
    return DONE;
  }

  private async fail(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }

  async return(): Promise<IteratorResult<T>> {
    if (this.pending !== null) await this.pending.then(undefined, () => undefined);
    await this.close();
    return DONE;
  }
}
