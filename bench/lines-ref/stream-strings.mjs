/**
 * Lines reference: a hand-written loop over the chunks of `fs.createReadStream(path)` (64 KiB) with a
 * string per line. Seams done right: the unfinished tail of a chunk is kept (as bytes, so a UTF-8
 * character split across chunks is decoded whole) and joined with the start of the next chunk; a
 * `\r` that ends one chunk before the `\n` that starts the next is dropped with it.
 */
import { createReadStream } from 'node:fs';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('hand: for await createReadStream + indexOf (string per line)', async () => {
  let lines = 0;
  let chars = 0;
  let bytes = 0;
  let tail = null; // unfinished line from earlier chunks
  for await (let chunk of createReadStream(path)) {
    bytes += chunk.length;
    let start = 0;
    let i = chunk.indexOf(10);
    if (tail !== null) {
      if (i === -1) {
        tail = Buffer.concat([tail, chunk]);
        continue;
      }
      chunk = Buffer.concat([tail, chunk]);
      i += tail.length;
      tail = null;
    }
    for (; i !== -1; i = chunk.indexOf(10, i + 1)) {
      const stop = i > start && chunk[i - 1] === 13 ? i - 1 : i;
      chars += chunk.toString('utf8', start, stop).length;
      lines++;
      start = i + 1;
    }
    if (start < chunk.length) tail = chunk.subarray(start);
  }
  if (tail !== null) {
    chars += tail.toString('utf8').length;
    lines++;
  }
  return { bytes, lines, chars };
});
