/**
 * Copy a file to /dev/null, reference row: `stream.pipeline(fs.createReadStream, fs.createWriteStream)`
 * with default options. Prints one JSON line `{ name, bytes, ms, rss }`.
 *
 * Usage: node bench/build/copy-file.pipeline.mjs <file>
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { measure } from './common.mjs';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: copy-file.pipeline <file>');

await measure('stream.pipeline(createReadStream, createWriteStream)', async () => {
  const sink = createWriteStream('/dev/null');
  await pipeline(createReadStream(path), sink);
  return { bytes: sink.bytesWritten };
});
