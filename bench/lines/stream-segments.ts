/**
 * Diagnostic row (answers no target): the same `PipeReader.create(fs.createReadStream(path))` read loop
 * as stream-read-loop.ts, but it counts `\n` with `indexOf` over each segment of the buffer, like the
 * hand-written stream loop does over each chunk, instead of `SequenceReader.tryReadLine()`. The gap
 * between this row and the hand loop is what the adapter costs; the gap between this row and the
 * tryReadLine row is what a `ReadOnlySequence` per line costs.
 */
// bench-role: other
import { createReadStream, statSync } from 'node:fs';
import { PipeReader } from '../../src/index.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('PipeReader.create(createReadStream) + read/advanceTo, indexOf per segment (count)', async () => {
  const reader = PipeReader.create(createReadStream(path));
  let lines = 0;
  let last = 10;
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    for (const segment of buffer) {
      for (let i = segment.indexOf(10, 0); i !== -1; i = segment.indexOf(10, i + 1)) lines++;
      last = segment[segment.length - 1]!;
    }
    reader.advanceTo(buffer.end);
    if (isCompleted) break;
  }
  await reader.complete();
  if (last !== 10) lines++;
  return { lines, bytes: statSync(path).size };
});
