/**
 * Pipe throughput, the row: `Pipe` with default options (pause at 64 KiB unexamined). The
 * producer calls `await writer.write(chunk)` with the same 64 KiB chunk until 1 GiB went through;
 * `write()` COPIES the chunk into pooled pipe memory (that is its contract: the caller may reuse its
 * chunk at once), which PassThrough/TransformStream do not do. The consumer is the idiomatic read loop:
 * `read()`, touch each segment of the buffer like the other rows (length + first byte), then
 * `advanceTo(buffer.end)`.
 */
import { Pipe } from '../../src/index.js';
import { measure, sourceChunk, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';
import { consume } from './_consume.js';

const chunk = sourceChunk();

await measure('Pipe write() (copies)', async () => {
  const { reader, writer } = new Pipe();
  const consumed = consume(reader);
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) {
    if ((await writer.write(chunk)).isCompleted) break;
  }
  await writer.complete();
  return consumed;
});
