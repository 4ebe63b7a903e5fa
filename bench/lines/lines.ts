/**
 * io-pipelines, a string per line: `for await (const line of lines(openFile(path)))`. Counts lines and
 * their characters (UTF-8 decoded, line ends dropped).
 */
import { statSync } from 'node:fs';
import { lines } from '../../src/index.js';
import { openFile } from '../../src/node.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('lines(openFile) (string per line)', async () => {
  let count = 0;
  let chars = 0;
  for await (const line of lines(openFile(path))) {
    count++;
    chars += line.length;
  }
  return { lines: count, chars, bytes: statSync(path).size };
});
