/**
 * Lines reference: a hand-written loop over the chunks of `fs.createReadStream(path)` (default
 * options: 64 KiB chunks) with `for await`, counting `\n` with `Buffer.indexOf`. Bytes only. The same
 * read path as `PipeReader.create(fs.createReadStream(path))`.
 */
import { createReadStream } from 'node:fs';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('hand: for await createReadStream + indexOf (count)', async () => {
  let lines = 0;
  let bytes = 0;
  let last = 10;
  for await (const chunk of createReadStream(path)) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10, 0); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1];
  }
  if (last !== 10) lines++;
  return { bytes, lines };
});
