/**
 * Lines reference: `split2` (default matcher /\r?\n/, UTF-8) piped from `fs.createReadStream(path)`,
 * one string per line through 'data'. Counts lines and their characters.
 */
import { createReadStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import split2 from 'split2';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('split2', async () => {
  const lines$ = createReadStream(path).pipe(split2());
  let lines = 0;
  let chars = 0;
  lines$.on('data', (line) => {
    lines++;
    chars += line.length;
  });
  await finished(lines$);
  return { lines, chars };
});
