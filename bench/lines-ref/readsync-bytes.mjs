/**
 * Lines reference, the fastest plain-Node way to count lines: `fs.readSync` into one reused 1 MiB
 * buffer and a `Buffer.indexOf(10)` loop. Bytes only (no strings). A final line without `\n` counts.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('hand: readSync 1 MiB + indexOf (count)', async () => {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let bytes = 0;
  let last = 10;
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
    bytes += n;
    for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    last = buf[n - 1];
  }
  closeSync(fd);
  if (last !== 10) lines++;
  return { bytes, lines };
});
