/**
 * Copy a file to /dev/null through io-pipelines: `PipeReader.create(fs.createReadStream)` →
 * `copyTo(PipeWriter.create(fs.createWriteStream('/dev/null')))`, default options on both streams (the
 * same as the stream.pipeline reference). Prints one JSON line `{ name, bytes, ms, rss }`.
 *
 * Usage: node bench/build/copy-file.pipelines.mjs <file>
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { PipeReader, PipeWriter } from '../src/node.js';
import { measure } from './common.mjs';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: copy-file.pipelines <file>');

await measure('PipeReader.create → copyTo(PipeWriter.create)', async () => {
  const sink = createWriteStream('/dev/null');
  const reader = PipeReader.create(createReadStream(path));
  const writer = PipeWriter.create(sink);
  await reader.copyTo(writer);
  await reader.complete();
  await writer.complete(); // ends the file stream: resolves once it finished
  return { bytes: sink.bytesWritten };
});
