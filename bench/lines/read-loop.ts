/**
 * io-pipelines, count lines with the idiomatic pipelines loop over `openFile(path)`: one `read()` per
 * block, `SequenceReader.tryReadLine()` until it finds no more, then `advanceTo(consumed, examined)`.
 */
import { statSync } from 'node:fs';
import { SequenceReader } from '../../src/index.js';
import { openFile } from '../../src/node.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('openFile + read/tryReadLine/advanceTo (count)', async () => {
  const reader = openFile(path);
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
