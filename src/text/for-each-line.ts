import { indexOfByte, type Lease } from '../buffers/segment.js';
import { ReadOnlySequence } from '../buffers/sequence.js';
import type { LineOptions, LineSource } from './line-options.js';
import { LineIteration } from './line-iteration.js';
import type { LineScanner } from './line-scanner.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Calls `callback` with every line, as a zero-copy `ReadOnlySequence` of its bytes (without its line end
 * unless `keepLineEnds`), and resolves with the number of lines. The fastest way through lines: one
 * `await` per chunk read, a synchronous loop over the lines in it, no string and no allocation per line
 * beyond the line's sequence.
 *
 * A line is valid only during its callback: keep what you need with `line.toString()` or
 * `line.toUint8Array().slice()`; using it later throws `InvalidOperationError`. The callback is
 * synchronous (a returned promise is a `TypeError`: use {@link lines} or {@link lineSequences} for async
 * work); if it throws, the loop stops and the promise rejects with that error. The reader is completed
 * at the end either way (a stream source is destroyed unless `leaveOpen`).
 *
 * @example
 * ```ts
 * import { forEachLine } from 'io-pipelines';
 * import { openFile } from 'io-pipelines/node';
 *
 * let errors = 0;
 * const total = await forEachLine(openFile('app.log'), (line) => {
 *   if (line.first[0] === 0x45) errors++; // starts with 'E'
 * });
 * console.log(`${errors} of ${total} lines are errors`);
 * ```
 */
export async function forEachLine(
  source: LineSource,
  callback: (line: ReadOnlySequence) => void,
  options?: LineOptions,
): Promise<number> {
  if (typeof callback !== 'function') throw new TypeError('forEachLine(): the callback must be a function.');
  const it = new LineIteration(source, options, 'forEachLine()');
  const scanner = it.scanner;
  const lease = scanner.lease;
  const max = scanner.max;
  const keepEnds = scanner.keepEnds;
  const bytewise = it.options.unit === 0;
  const tally = { count: 0 };
  let result: unknown;
  try {
    while (await it.more()) {
      for (;;) {
        if (bytewise && scanner.atLineStart) scanLines(scanner, max, keepEnds, callback, lease, tally);
        // A line across segments, a long line, the last line: the scanner's general path.
        if (!scanner.nextLine()) break;
        result = callback(scanner.sequence());
        lease.expire();
        tally.count++;
        if (result !== undefined) checkResult(result);
      }
    }
  } finally {
    await it.close();
  }
  return tally.count;
}

/**
 * The hot loop: hands out the lines wholly inside the scanner's current segment from its cursor (a
 * line start), one native search each, and moves the scanner past them. Small and separate so that the engine inlines the
 * search into it. Stops early at a line over `max` (the scanner then errors, skips or splits it).
 */
function scanLines(
  scanner: LineScanner, max: number, keepEnds: boolean,
  callback: (line: ReadOnlySequence) => void, lease: Lease, tally: { count: number },
): void {
  const seg = scanner.seg;
  const data = seg.data;
  const limit = scanner.limit;
  let idx = scanner.idx;
  let count = 0;
  try {
    for (let i = indexOfByte(data, LF, idx); i !== -1 && i < limit; i = indexOfByte(data, LF, idx)) {
      const start = idx;
      const end = i > start && data[i - 1] === CR ? i - 1 : i;
      if (end - start > max) break;
      idx = i + 1;
      const result: unknown = keepEnds
        ? callback(new ReadOnlySequence(seg, start, seg, idx, idx - start, lease))
        : callback(new ReadOnlySequence(seg, start, seg, end, end - start, lease));
      lease.expire();
      count++;
      if (result !== undefined) checkResult(result);
    }
  } finally {
    // Also when the callback threw: its line counts as handed out (a reader left open resumes after it).
    tally.count += count;
    scanner.skipTo(idx);
  }
}

function checkResult(result: unknown): void {
  if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
    throw new TypeError(
      'forEachLine(): the callback returned a promise, but it is called synchronously and each line expires ' +
        'when it returns. Use `for await (const line of lines(source))` (or lineSequences) for async work.',
    );
  }
}
