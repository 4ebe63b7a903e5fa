import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachLine } from '../../src/index.js';

const t = suite('line scanning resumes');

const KiB = 1024;
const MiB = 1024 * KiB;

/** One line of `size` bytes arriving in 1 KiB chunks (the same chunk again and again: no memory), then `\n`. */
function* oneLongLine(size: number): Generator<Uint8Array> {
  const chunk = new Uint8Array(KiB).fill(0x61);
  for (let sent = 0; sent < size; sent += KiB) yield chunk;
  yield new Uint8Array([0x0a]);
}

async function time(size: number): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const start = performance.now();
    let length = -1;
    await forEachLine(oneLongLine(size), (line) => {
      length = line.length;
    }, { maxLineLength: 128 * MiB });
    best = Math.min(best, performance.now() - start);
    assert.is(length, size);
  }
  return best;
}

// The one timing assertion the issue asks for: a ratio of two runs in the same process, with a wide
// margin (linear is 4x, quadratic 16x), so machine speed and noise do not matter.
t('one 64 MiB line in 1 KiB chunks costs about 4x a 16 MiB one, not 16x (scanning resumes)', async () => {
  await time(MiB); // warm up
  const small = await time(16 * MiB);
  const large = await time(64 * MiB);
  const ratio = large / small;
  assert.ok(ratio < 8, `64 MiB took ${large.toFixed(0)} ms, 16 MiB ${small.toFixed(0)} ms: ratio ${ratio.toFixed(1)} (quadratic would be ~16)`);
});

t.run();
