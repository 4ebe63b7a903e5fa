/**
 * Lines reference: `node:readline` over `fs.createReadStream(path)` (default 64 KiB chunks), one string
 * per line through the 'line' event (faster than `for await` over the interface). `crlfDelay: Infinity`
 * makes `\r\n` one terminator. Counts lines and their characters.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { measure } from '../common.mjs';

const path = process.argv[2];
await measure('node:readline', async () => {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lines = 0;
  let chars = 0;
  rl.on('line', (line) => {
    lines++;
    chars += line.length;
  });
  await once(rl, 'close');
  return { lines, chars };
});
