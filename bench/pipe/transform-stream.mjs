/**
 * Pipe throughput, reference row: an identity WHATWG `TransformStream` (default strategies). The
 * producer awaits `writer.ready` before each write of the same 64 KiB chunk (the spec's backpressure
 * signal) without awaiting each write's promise; the consumer loops on `reader.read()` and touches each
 * chunk like the other rows (length + first byte). Chunks are passed by reference: no byte is copied.
 */
import { measure, sourceChunk, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';

const chunk = sourceChunk();

await measure('TransformStream (identity)', async () => {
  const ts = new TransformStream();
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  const consume = (async () => {
    let bytes = 0;
    let check = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, check };
      bytes += value.length;
      check ^= value[0];
    }
  })();
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) {
    await writer.ready;
    writer.write(chunk);
  }
  await writer.close();
  return consume;
});
