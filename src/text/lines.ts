import type { Segment } from '../buffers/segment.js';
import type { SequencePosition } from '../buffers/position.js';
import type { LineOptions, LineSource } from './line-options.js';
import { LineIteration } from './line-iteration.js';
import { LineIterator } from './line-iterator.js';
import { LINE, NONE } from './line-scanner.js';
import { textDecoderRange, utf8Range, type RangeDecoder } from './fast-decode.js';

const CR = 13;
const BOM = 0xfeff;

/**
 * The lines of `source` as strings: `for await (const line of lines(source))`. A line ends at `\n` or
 * `\r\n` (a lone `\r`, U+2028 and U+2029 are text); the line end is not included unless
 * `keepLineEnds`; a last line without line end is yielded too. Decoding follows `encoding` (default
 * UTF-8, invalid bytes become U+FFFD, a character split across chunks decodes whole, a byte order mark
 * at the very start is dropped).
 *
 * `source` is a `PipeReader` or anything `PipeReader.create` takes: a Node `Readable` (a file stream,
 * a socket, `process.stdin`), a WHATWG `ReadableStream`, an (async) iterable of `Uint8Array`, bytes.
 * Breaking out of the loop (or an error) completes the reader, which destroys a stream source unless
 * `leaveOpen`. A line longer than `maxLineLength` (default 1 MiB) rejects with `LineTooLongError`,
 * unless `onLongLine` is `'skip'` or `'split'`.
 *
 * Lines are decoded many at a time (a whole run of lines with one decoder call), so this is faster than
 * `node:readline`; for no strings at all, see {@link forEachLine} and {@link lineSequences}.
 *
 * @example
 * ```ts
 * import { lines } from 'io-pipelines';
 * import { openFile } from 'io-pipelines/node';
 *
 * for await (const line of lines(openFile('access.log'))) {
 *   if (line.includes(' 500 ')) console.log(line);
 * }
 * ```
 */
export function lines(source: LineSource, options?: LineOptions): AsyncIterableIterator<string> {
  return new StringLineIterator(new LineIteration(source, options, 'lines()'));
}

class StringLineIterator extends LineIterator<string> {
  private readonly decode: RangeDecoder;
  private readonly keepEnds: boolean;
  private readonly signal: AbortSignal | undefined;
  /** Decoded lines not handed out yet (one run), from `runPos`; null when none. */
  private run: string | null = null;
  private runPos = 0;
  /** Whether a byte order mark may still come (only the first text at stream offset 0 can have one). */
  private first = true;

  constructor(it: LineIteration) {
    super(it);
    // The BOM is dropped by hand, only at the start of the input, not at the start of every run.
    this.decode = it.options.utf8 ? utf8Range : textDecoderRange(it.options.encoding);
    this.keepEnds = it.options.keepLineEnds;
    this.signal = it.options.signal;
  }

  override next(): Promise<IteratorResult<string>> {
    // Hot path: the next line of a decoded run (nothing to check but a pending pull or an abort).
    const run = this.run;
    const signal = this.signal;
    if (run !== null && this.pending === null && (signal === undefined || !signal.aborted)) {
      return Promise.resolve({ value: this.fromRun(run), done: false });
    }
    return this.step();
  }

  /** The next line from the current buffer (decoding a run of lines at once when it can), or null. */
  protected take(): string | null {
    if (this.run !== null) return this.fromRun(this.run);
    const scanner = this.it.scanner;
    const kind = scanner.nextRun();
    if (kind === NONE) return null;
    let text = kind === LINE
      ? decodeLine(this.decode, scanner.oSeg, scanner.oIdx, scanner.oEndSeg, scanner.oEndIdx, scanner.oLen)
      : this.decode(scanner.runData, scanner.runFrom, scanner.runTo);
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === BOM && scanner.streamOffset(scanner.oAbs) === 0) text = text.slice(1);
    }
    if (kind === LINE) return text;
    this.run = text;
    this.runPos = 0;
    return this.fromRun(text);
  }

  /** The next line of the decoded run `s`. */
  private fromRun(s: string): string {
    const p = this.runPos;
    const i = s.indexOf('\n', p);
    if (this.keepEnds) {
      // A run with line ends kept ends with '\n': every line has one.
      this.runPos = i + 1;
      if (i + 1 >= s.length) this.run = null;
      return s.slice(p, i + 1);
    }
    if (i === -1) {
      this.run = null;
      const end = s.length;
      return end > p && s.charCodeAt(end - 1) === CR ? s.slice(p, end - 1) : s.slice(p);
    }
    this.runPos = i + 1;
    return i > p && s.charCodeAt(i - 1) === CR ? s.slice(p, i - 1) : s.slice(p, i);
  }

  protected override close(): Promise<void> {
    // Stopped inside a run: a caller's reader left open resumes after the last line handed out.
    const run = this.run;
    let at: SequencePosition | undefined;
    if (run !== null && this.it.hasBuffer) {
      let handedOut = 0;
      for (let i = run.indexOf('\n'); i !== -1 && i < this.runPos; i = run.indexOf('\n', i + 1)) handedOut++;
      at = this.it.scanner.afterRunLines(handedOut);
    }
    this.run = null;
    return this.it.close(at);
  }
}

/** Reused to join a line that spans segments before decoding it (grows up to {@link SCRATCH_MAX}). */
let scratch = new Uint8Array(4096);
const SCRATCH_MAX = 1 << 16;

/**
 * Decodes the bytes from (`seg`, `idx`) to (`endSeg`, `endIdx`). A line spanning segments is joined
 * first and decoded in one call, so a character split across them stays whole — and the decoder is
 * never put in streaming mode, which in Node turns its UTF-8 fast path off for good.
 */
function decodeLine(decode: RangeDecoder, seg: Segment, idx: number, endSeg: Segment, endIdx: number, length: number): string {
  if (seg === endSeg) return decode(seg.data, idx, endIdx);
  let target = scratch;
  if (length > target.length) {
    target = new Uint8Array(length);
    if (length <= SCRATCH_MAX) scratch = target;
  }
  let at = 0;
  for (;;) {
    const data = seg.data;
    const stop = seg === endSeg ? endIdx : data.length;
    if (stop > idx) {
      target.set(idx === 0 && stop === data.length ? data : data.subarray(idx, stop), at);
      at += stop - idx;
    }
    if (seg === endSeg) break;
    seg = seg.next!;
    idx = 0;
  }
  return decode(target, 0, at);
}
