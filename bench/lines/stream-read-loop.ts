/**
 * io-pipelines over a Node stream: `PipeReader.create(fs.createReadStream(path))` (64 KiB chunks, each
 * a segment as it is) and the idiomatic loop: `read()`, `SequenceReader.tryReadLine()`, `advanceTo()`.
 * Counts lines.
 */
import { createReadStream, statSync } from 'node:fs';
import { PipeReader, SequenceReader } from '../../src/index.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('PipeReader.create(createReadStream) + read/tryReadLine/advanceTo (count)', async () => {
  const reader = PipeReader.create(createReadStream(path));
  let lines = 0;
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    const cursor = new SequenceReader(buffer);
    while (cursor.tryReadLine() !== undefined) lines++;
    if (isCompleted) {
      if (!cursor.end) lines++; // a last line without line end
      break;
    }
    reader.advanceTo(cursor.position, buffer.end);
  }
  await reader.complete();
  return { lines, bytes: statSync(path).size };
});
