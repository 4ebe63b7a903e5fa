/**
 * The idiomatic pipelines read loop, shared by the read-loop contestants: one `read()` per chunk,
 * `SequenceReader.tryReadLine()` until it finds no more, then `advanceTo(consumed, examined)`. Counts
 * lines (a last line without line end counts too) and completes the reader.
 */
import { SequenceReader, type PipeReader } from '../../src/index.js';

export async function countLines(reader: PipeReader): Promise<number> {
  let lines = 0;
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    const cursor = new SequenceReader(buffer);
    while (cursor.tryReadLine() !== undefined) lines++;
    if (isCompleted) {
      if (!cursor.end) lines++;
      break;
    }
    reader.advanceTo(cursor.position, buffer.end);
  }
  await reader.complete();
  return lines;
}
