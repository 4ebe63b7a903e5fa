/**
 * Differential fuzzing of the in-memory Pipe: random streams, random write/flush patterns, random
 * thresholds and every reading strategy give exactly the model's bytes and lines, and every pooled byte
 * goes back to the pool.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BufferPool, Pipe, type PipeWriter } from '../../src/index.js';
import { bytes, concat, equalBytes, within } from '../helpers.js';
import { modelLineBytes } from './model.js';
import { chunkingArb, counter, params, readBytes, readLinesCore, sameChunks, split, strategyArb, streamArb } from './fuzz-kit.js';

const t = suite('reliability: Pipe differential fuzz');

interface Producer {
  pause: number;
  minSeg: number;
  /** write(): copy + flush; memory: getMemory/advance with flushes every `flushEvery` chunks. */
  mode: 'write' | 'memory';
  flushEvery: number;
  sizeHint: number;
}

const producerArb: fc.Arbitrary<Producer> = fc.record({
  pause: fc.constantFrom(0, 1, 7, 100, 4096, 65536),
  minSeg: fc.constantFrom(1, 3, 64, 4096),
  mode: fc.constantFrom('write' as const, 'memory' as const),
  flushEvery: fc.integer({ min: 1, max: 4 }),
  sizeHint: fc.constantFrom(0, 1, 5, 100, 10_000),
});

/** Writes `chunks` as the producer says; resolves once the writer completed. */
async function produce(writer: PipeWriter, chunks: Uint8Array[], p: Producer): Promise<void> {
  let n = 0;
  for (const chunk of chunks) {
    if (p.mode === 'write') {
      const r = await writer.write(chunk);
      if (r.isCompleted) break;
      continue;
    }
    for (let o = 0; o < chunk.length; ) {
      const memory = writer.getMemory(p.sizeHint);
      assert.ok(memory.length >= Math.max(1, p.sizeHint), 'getMemory returns at least sizeHint bytes');
      const take = Math.min(memory.length, chunk.length - o);
      memory.set(chunk.subarray(o, o + take));
      writer.advance(take);
      o += take;
    }
    if (++n % p.flushEvery === 0 && (await writer.flush()).isCompleted) break;
  }
  await writer.complete();
}

function newPipe(p: Producer, pool: BufferPool): Pipe {
  return new Pipe({ pauseWriterThreshold: p.pause, resumeWriterThreshold: Math.floor(p.pause / 2), minimumSegmentSize: p.minSeg, pool });
}

t('bytes: any stream, chunking, producer and read strategy deliver exactly the input, and the pool is whole', async () => {
  await fc.assert(
    fc.asyncProperty(streamArb(), chunkingArb, producerArb, strategyArb, async (data, sizes, p, strategy) => {
      counter.cases++;
      const pool = new BufferPool();
      const pipe = newPipe(p, pool);
      const [, got] = await within(Promise.all([produce(pipe.writer, split(data, sizes), p), readBytes(pipe.reader, strategy, data)]), 10_000, 'pipe transfer');
      equalBytes(got, data);
      assert.is(pool.rentedBytes, 0, 'every rented byte is back in the pool');
    }),
    params(60),
  );
});

t('lines: the core tryReadLine loop gives the model lines for any stream and chunking', async () => {
  await fc.assert(
    fc.asyncProperty(streamArb(), chunkingArb, producerArb, async (data, sizes, p) => {
      counter.cases++;
      const pool = new BufferPool();
      const pipe = newPipe(p, pool);
      const [, lines] = await within(Promise.all([produce(pipe.writer, split(data, sizes), p), readLinesCore(pipe.reader)]), 10_000, 'pipe lines');
      sameChunks(lines, modelLineBytes(data), 'lines');
      assert.is(pool.rentedBytes, 0);
    }),
    params(60),
  );
});

t('a \\r\\n, a multi-byte character and invalid UTF-8 split at every seam (exhaustive, two and three chunks)', async () => {
  const data = concat([bytes('a\r\nb€\r'), Uint8Array.of(0xe2, 0x82), bytes('\n𝄞\r\n\rz')]);
  const want = modelLineBytes(data);
  for (let i = 0; i <= data.length; i++) {
    for (let j = i; j <= data.length; j++) {
      const pipe = new Pipe({ minimumSegmentSize: 1 });
      const chunks = [data.subarray(0, i), data.subarray(i, j), data.subarray(j)];
      const producer = produce(pipe.writer, chunks, { pause: 0, minSeg: 1, mode: 'write', flushEvery: 1, sizeHint: 0 });
      const [, lines] = await within(Promise.all([producer, readLinesCore(pipe.reader)]));
      sameChunks(lines, want, `seams at ${i},${j}`);
    }
  }
});

t.after(() => {
  if (counter.cases > 2000) console.log(`\nfuzz cases run in this process so far (all suites): ${counter.cases}`);
});

t.run();
