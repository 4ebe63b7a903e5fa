/**
 * io-pipelines, count lines with the idiomatic pipelines loop over `openFile(path)`: one `read()` per
 * block, `SequenceReader.tryReadLine()` until it finds no more, then `advanceTo(consumed, examined)`
 * (the loop is in _read-loop.ts).
 */
import { statSync } from 'node:fs';
import { openFile } from '../../src/node.js';
import { measure } from '../common.mjs';
import { countLines } from './_read-loop.js';

const path = process.argv[2]!;
await measure('openFile + read/tryReadLine/advanceTo (count)', async () => {
  const lines = await countLines(openFile(path));
  return { lines, bytes: statSync(path).size };
});
