/**
 * Lines reference, a string per line on the fastest plain-Node read path: `fs.readSync` into one
 * reused 1 MiB buffer, `Buffer.indexOf(10)`, `buf.toString('utf8', start, end)` per line (`\r` before
 * `\n` dropped). The unfinished line at the end of a read is moved to the front of the buffer and the
 * next read appends to it (the buffer doubles if one line is longer than it), so no line or character
 * is split at a seam.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('hand: readSync 1 MiB + indexOf (string per line)', async () => {
  const fd = openSync(path, 'r');
  let buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let chars = 0;
  let bytes = 0;
  let kept = 0; // bytes of an unfinished line at the front of buf
  for (;;) {
    if (kept === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, kept);
      buf = bigger;
    }
    const n = readSync(fd, buf, kept, buf.length - kept, null);
    if (n === 0) break;
    bytes += n;
    const end = kept + n;
    let start = 0;
    for (let i = buf.indexOf(10, kept); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) {
      const stop = i > start && buf[i - 1] === 13 ? i - 1 : i;
      chars += buf.toString('utf8', start, stop).length;
      lines++;
      start = i + 1;
    }
    kept = end - start;
    if (kept > 0) buf.copy(buf, 0, start, end);
  }
  closeSync(fd);
  if (kept > 0) {
    chars += buf.toString('utf8', 0, kept).length;
    lines++;
  }
  return { bytes, lines, chars };
});
