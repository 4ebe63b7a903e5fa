/**
 * Pipe throughput, the pipelines-idiomatic producer: `getMemory(64 KiB)` → fill → `advance(64 KiB)` →
 * `await flush()`. This is how a real source (a socket or file read) fills pipe memory directly, so no
 * copy happens in JS; here the "read" only stamps the first byte, which makes this row the zero-copy
 * counterpart of PassThrough/TransformStream (which pass chunk references). Same default Pipe options
 * and the same consumer as the write() row.
 */
import { Pipe } from '../../src/index.js';
import { measure, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';
import { consume } from './_consume.js';

await measure('Pipe getMemory/advance/flush (no copy)', async () => {
  const { reader, writer } = new Pipe();
  const consumed = consume(reader);
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) {
    const memory = writer.getMemory(PIPE_CHUNK);
    memory[0] = 0x07; // stands for the source read filling the memory
    writer.advance(PIPE_CHUNK);
    if ((await writer.flush()).isCompleted) break;
  }
  await writer.complete();
  return consumed;
});
