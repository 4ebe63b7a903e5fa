/**
 * io-pipelines, count lines the fastest way: `forEachLine(openFile(path), callback)`. Large reads
 * (1 MiB) into pooled blocks, one await per block, a synchronous callback per line with a zero-copy
 * `ReadOnlySequence` (no string).
 */
import { statSync } from 'node:fs';
import { forEachLine, openFile } from '../../src/node.js';
import { measure } from '../common.mjs';

const path = process.argv[2]!;
await measure('forEachLine(openFile) (count)', async () => {
  let bytes = 0;
  const lines = await forEachLine(openFile(path), (line) => {
    bytes += line.length;
  });
  return { lines, bytes: statSync(path).size, lineBytes: bytes };
});
