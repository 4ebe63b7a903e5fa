/**
 * Pipe throughput, second reference row: the same `stream.PassThrough` and producer, consumed with
 * `for await (const chunk of stream)` — an async read loop, the same shape as the Pipe rows' consumer
 * (one await per chunk), where the 'data' row's consumer is a synchronous callback.
 */
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { measure, sourceChunk, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';

const chunk = Buffer.from(sourceChunk().buffer);

await measure('stream.PassThrough (for await)', async () => {
  const stream = new PassThrough();
  const consumed = (async () => {
    let bytes = 0;
    let check = 0;
    for await (const c of stream) {
      bytes += c.length;
      check ^= c[0];
    }
    return { bytes, check };
  })();
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  return consumed;
});
