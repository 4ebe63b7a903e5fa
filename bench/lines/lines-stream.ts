/**
 * io-pipelines, a string per line from a Node stream: `lines(fs.createReadStream(path))` (the stream is
 * wrapped by `PipeReader.create`). Counts lines and their characters.
 */
import { createReadStream, statSync } from 'node:fs';
import { lines } from '../../src/index.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('lines(createReadStream) (string per line)', async () => {
  let count = 0;
  let chars = 0;
  for await (const line of lines(createReadStream(path))) {
    count++;
    chars += line.length;
  }
  return { lines: count, chars, bytes: statSync(path).size };
});
