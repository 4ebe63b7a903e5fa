/**
 * Pipe throughput, floor row (not a library): the least an awaited hand-off can cost. Two async loops
 * pass the same 64 KiB chunk reference back and forth with bare promises and nothing else (no buffer
 * management, no copy, no checks): the writer hands a chunk over and waits until the reader asks for
 * the next, as a Pipe's writer does when each write reaches the pause threshold. Any consumer that
 * awaits each chunk (the Pipe rows, for-await) costs at least this much per chunk; the 'data' row,
 * whose listener runs inside write(), does not pay it.
 */
import { measure, sourceChunk, PIPE_TOTAL, PIPE_CHUNK } from '../common.mjs';

const chunk = sourceChunk();
const END = new Uint8Array(0);

await measure('floor: bare promise hand-off, no buffering (not a library)', async () => {
  let readerWaits = null; // resolves the reader's pending next()
  let writerWaits = null; // resolves the writer's pending put()
  let slot = null;
  const next = () => {
    if (writerWaits !== null) {
      const w = writerWaits;
      writerWaits = null;
      w();
    }
    if (slot !== null) {
      const c = slot;
      slot = null;
      return Promise.resolve(c);
    }
    return new Promise((resolve) => (readerWaits = resolve));
  };
  const put = (c) => {
    if (readerWaits !== null) {
      const r = readerWaits;
      readerWaits = null;
      r(c);
    } else slot = c;
    return new Promise((resolve) => (writerWaits = resolve));
  };
  const consumed = (async () => {
    let bytes = 0;
    let check = 0;
    for (let c = await next(); c !== END; c = await next()) {
      bytes += c.length;
      check ^= c[0];
    }
    return { bytes, check };
  })();
  for (let sent = 0; sent < PIPE_TOTAL; sent += PIPE_CHUNK) await put(chunk);
  put(END);
  return consumed;
});
