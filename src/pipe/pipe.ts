import { PipeCore } from './core.js';
import { CorePipeReader, type PipeReader } from './reader.js';
import { CorePipeWriter, type PipeWriter } from './writer.js';
import type { PipeOptions } from './types.js';

/**
 * An in-memory pipe: what `writer` flushes, `reader` reads, with backpressure between them.
 *
 * @example
 * ```ts
 * const pipe = new Pipe({ pauseWriterThreshold: 1 << 20 });
 * await pipe.writer.write('hello\n');
 * await pipe.writer.complete();
 * const { buffer } = await pipe.reader.read();
 * buffer.toString(); // 'hello\n'
 * ```
 */
export class Pipe {
  /** The reading side. */
  readonly reader: PipeReader;
  /** The writing side. */
  readonly writer: PipeWriter;
  readonly #core: PipeCore;

  /** @throws {RangeError} for negative sizes or a resume threshold above the pause threshold. */
  constructor(options?: PipeOptions) {
    this.#core = new PipeCore(options);
    this.reader = new CorePipeReader(this.#core);
    this.writer = new CorePipeWriter(this.#core);
  }

  /**
   * Makes a completed pipe usable again.
   * @throws {InvalidOperationError} unless both the reader and the writer completed.
   */
  reset(): void {
    this.#core.reset();
  }
}
