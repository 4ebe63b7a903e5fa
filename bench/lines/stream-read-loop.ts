/**
 * io-pipelines over a Node stream: `PipeReader.create(fs.createReadStream(path))` (64 KiB chunks, each
 * a segment as it is) and the idiomatic loop: `read()`, `SequenceReader.tryReadLine()`, `advanceTo()`
 * (the loop is in _read-loop.ts). Counts lines.
 */
import { createReadStream, statSync } from 'node:fs';
import { PipeReader } from '../../src/index.js';
import { measure } from '../common.mjs';
import { countLines } from './_read-loop.js';

const path = process.argv[2]!;
await measure('PipeReader.create(createReadStream) + read/tryReadLine/advanceTo (count)', async () => {
  const lines = await countLines(PipeReader.create(createReadStream(path)));
  return { lines, bytes: statSync(path).size };
});
