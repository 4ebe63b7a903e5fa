/**
 * The read loop shared by the line helpers: one `read()` per chunk, the scanner over its buffer, then
 * `advanceTo(start of the unfinished line, buffer end)`; and the one way out (end, break, error), which
 * completes the reader (or, for a caller's reader with `leaveOpen`, advances it past the last line
 * delivered). Internal.
 *
 * @module
 */
import type { ReadOnlySequence } from '../buffers/sequence.js';
import type { SequencePosition } from '../buffers/position.js';
import type { PipeReader } from '../pipe/reader.js';
import type { WaitOptions } from '../pipe/types.js';
import { UNIT_BYTE, openLineReader, resolveLineOptions, type LineOptions, type LineSource, type ResolvedLineOptions } from './line-options.js';
import { LineScanner } from './line-scanner.js';
import { Utf16LineScanner } from './utf16-line-scanner.js';

export class LineIteration {
  readonly options: ResolvedLineOptions;
  readonly scanner: LineScanner;
  readonly reader: PipeReader;
  /** Whether this iteration completes the reader when it ends. */
  private readonly owned: boolean;
  private readonly readOptions: WaitOptions | undefined;
  /** The buffer of the last read, until it is advanced. */
  private buffer: ReadOnlySequence | null = null;
  /** The last read was completed or canceled: no read after this buffer. */
  private last = false;
  /** Ended (and the reader completed or advanced): nothing more. */
  done = false;

  constructor(source: LineSource, options: LineOptions | undefined, what: string) {
    this.options = resolveLineOptions(options, what);
    this.scanner = this.options.unit === UNIT_BYTE ? new LineScanner(this.options) : new Utf16LineScanner(this.options);
    const { reader, owned } = openLineReader(source, this.options);
    this.reader = reader;
    this.owned = owned;
    this.readOptions = this.options.signal === undefined ? undefined : { signal: this.options.signal };
  }

  /** True while the scanner may still find lines in the current buffer. */
  get hasBuffer(): boolean {
    return this.buffer !== null;
  }

  /**
   * Advances past the lines found and reads the next chunk. False when there is nothing more (the
   * writer completed, or the read was canceled); the caller then calls {@link close}.
   */
  async more(): Promise<boolean> {
    const buffer = this.buffer;
    if (buffer !== null) {
      if (this.last) return false;
      this.buffer = null;
      this.reader.advanceTo(this.scanner.consumed(), buffer.end);
    }
    if (this.done) return false;
    const result = await this.reader.read(this.readOptions);
    if (this.done) return false; // closed while the read was pending
    this.buffer = result.buffer;
    this.last = result.isCompleted || result.isCanceled;
    // A canceled read ends the iteration after its complete lines: the rest is no final line.
    this.scanner.begin(result.buffer, result.isCompleted && !result.isCanceled);
    return true;
  }

  /**
   * Ends the iteration: every line handed out expires; with `leaveOpen` (or a caller's reader) the reader
   * is advanced to `consumed` (by default past the last line found), and a reader of ours is completed.
   * Idempotent.
   */
  async close(consumed?: SequencePosition): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.scanner.lease.expire();
    const buffer = this.buffer;
    this.buffer = null;
    // Consume what was handed out first: a source left open gets exactly the rest back.
    if (buffer !== null && (this.options.leaveOpen || !this.owned)) {
      this.reader.advanceTo(consumed ?? this.scanner.consumed(), buffer.end);
    }
    if (this.owned) await this.reader.complete();
  }
}
