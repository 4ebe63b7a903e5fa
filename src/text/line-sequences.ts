import type { ReadOnlySequence } from '../buffers/sequence.js';
import type { LineOptions, LineSource } from './line-options.js';
import { LineIteration } from './line-iteration.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The lines of `source` as zero-copy `ReadOnlySequence`s of their bytes (without their line ends unless
 * `keepLineEnds`). Each line is valid until the iteration moves on: using it after the next line was
 * asked for (or after the loop) throws `InvalidOperationError`, even when both lines came in the same
 * chunk — copy what you keep (`toString()`, `toUint8Array().slice()`). Breaking out of the loop
 * completes the reader (a stream source is destroyed unless `leaveOpen`).
 *
 * @example
 * ```ts
 * import { lineSequences, SequenceReader } from 'io-pipelines';
 *
 * let sum = 0;
 * for await (const line of lineSequences(response.body!)) {
 *   const r = new SequenceReader(line);
 *   const value = r.tryReadUint32(); // parse in place, no string
 *   if (value !== undefined) sum += value;
 * }
 * ```
 */
export function lineSequences(source: LineSource, options?: LineOptions): AsyncIterableIterator<ReadOnlySequence> {
  return new LineSequenceIterator(new LineIteration(source, options, 'lineSequences()'));
}

class LineSequenceIterator implements AsyncIterableIterator<ReadOnlySequence> {
  /** A pull in flight: later calls wait for it, so results come in order. */
  private pending: Promise<unknown> | null = null;

  constructor(private readonly it: LineIteration) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ReadOnlySequence>> {
    if (this.pending !== null) return this.pending.then(() => this.next());
    const it = this.it;
    const scanner = it.scanner;
    scanner.lease.expire(); // the previous line's turn is over
    if (it.done) return Promise.resolve(DONE);
    const signal = it.options.signal;
    if (signal?.aborted) return this.fail(signal.reason);
    if (it.hasBuffer) {
      try {
        if (scanner.nextLine()) return Promise.resolve({ value: scanner.sequence(), done: false });
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

  private async pull(): Promise<IteratorResult<ReadOnlySequence>> {
    const it = this.it;
    try {
      while (await it.more()) {
        if (it.scanner.nextLine()) return { value: it.scanner.sequence(), done: false };
      }
    } catch (error) {
      await it.close();
      throw error;
    }
    await it.close();
    return DONE;
  }

  private async fail(error: unknown): Promise<never> {
    await this.it.close();
    throw error;
  }

  async return(): Promise<IteratorResult<ReadOnlySequence>> {
    if (this.pending !== null) await this.pending.then(undefined, () => undefined);
    await this.it.close();
    return DONE;
  }
}
