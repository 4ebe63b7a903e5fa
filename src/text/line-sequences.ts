import type { ReadOnlySequence } from '../buffers/sequence.js';
import type { LineOptions, LineSource } from './line-options.js';
import { LineIteration } from './line-iteration.js';
import { LineIterator } from './line-iterator.js';

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

class LineSequenceIterator extends LineIterator<ReadOnlySequence> {
  override next(): Promise<IteratorResult<ReadOnlySequence>> {
    this.it.scanner.lease.expire(); // the previous line's turn is over
    return this.step();
  }

  protected take(): ReadOnlySequence | null {
    const scanner = this.it.scanner;
    return scanner.nextLine() ? scanner.sequence() : null;
  }
}
