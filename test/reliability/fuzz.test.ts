/**
 * Differential fuzzing over every universal source kind: for random byte streams and chunkings, the
 * bytes (any read strategy), the lines (`lines()`, `lineSequences()`, `forEachLine()`) and the frames
 * (`readFrame()`, `frames()`) are exactly those of the reference model in ./model.ts.
 *
 * CI runs a few dozen cases per (kind, property) with a fixed seed; `FUZZ_RUNS=n` runs n each.
 */
import { suite } from 'uvu';
import { counter } from './fuzz-kit.js';
import { bytesProperty, framesProperty, lineBytesProperty, linesProperty } from './properties.js';
import { universalKinds } from './sources.js';

const t = suite('reliability: differential fuzz (universal sources)');

for (const kind of universalKinds) {
  t(`${kind.name}: bytes equal the input for any chunking and read strategy`, () => bytesProperty(kind));
  t(`${kind.name}: lines() equal the model lines`, () => linesProperty(kind));
  t(`${kind.name}: lineSequences() and forEachLine() equal the model line bytes`, () => lineBytesProperty(kind));
  t(`${kind.name}: readFrame() and frames() equal the model frames and end`, () => framesProperty(kind));
}

t.after(() => {
  if (counter.cases > 2000) console.log(`\nfuzz cases run in this process so far (all suites): ${counter.cases}`);
});

t.run();
