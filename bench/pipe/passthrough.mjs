/**
 * Pipe throughput, reference row: `stream.PassThrough` with default options (highWaterMark 16 KiB on
 * Node 20, 64 KiB from Node 22). The producer writes the same 64 KiB chunk until 1 GiB went through and
 * honours backpressure (`write()` false → wait for 'drain'); the consumer is a 'data' listener (the
 * fastest idiomatic Node consumer) that touches each chunk the same way as the other rows: adds its
 * length and reads its first byte. A PassThrough hands the chunk object through: no byte is copied.
 */
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { measure, sourceChunk, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';

const chunk = Buffer.from(sourceChunk().buffer);

await measure('stream.PassThrough (\'data\' listener)', async () => {
  const stream = new PassThrough();
  let bytes = 0;
  let check = 0;
  stream.on('data', (c) => {
    bytes += c.length;
    check ^= c[0];
  });
  const ended = once(stream, 'end');
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await ended;
  return { bytes, check };
});
