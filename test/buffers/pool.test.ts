import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool, InvalidOperationError, Pipe } from '../../src/index.js';
import { concat, equalBytes, randomBytes, rejects, within } from '../helpers.js';

const MiB = 1024 * 1024;
const t = suite('BufferPool');

t('rent rounds up to a power of two from 4 KiB to 4 MiB; larger sizes are exact', async () => {
  const pool = new BufferPool();
  const cases: [number, number][] = [
    [0, 4096], [1, 4096], [4096, 4096], [4097, 8192], [10_000, 16384], [65536, 65536],
    [2 * MiB + 1, 4 * MiB], [3 * MiB, 4 * MiB],
    [4 * MiB, 4 * MiB], [4 * MiB + 1, 4 * MiB + 1],
    [8 * MiB, 8 * MiB],
  ];
  for (const [ask, got] of cases) assert.is(pool.rent(ask).length, got, `rent(${ask})`);
  await rejects(() => pool.rent(-1), RangeError, /rent\(-1\): minimumSize must be a non-negative integer/);
  await rejects(() => pool.rent(1.5), RangeError, /non-negative integer/);
  await rejects(() => pool.rent(NaN), RangeError);
});

t('rentedBytes counts what is on loan; returned blocks are reused', () => {
  const pool = new BufferPool();
  assert.is(pool.rentedBytes, 0);
  const a = pool.rent(100);
  const b = pool.rent(5000);
  assert.is(pool.rentedBytes, 4096 + 8192);
  pool.return(a);
  assert.is(pool.rentedBytes, 8192);
  assert.is(pool.retainedBytes, 4096);
  const again = pool.rent(10);
  assert.is(again, a, 'the returned block is handed out again');
  assert.is(pool.retainedBytes, 0);
  pool.return(b);
  pool.return(again);
  assert.is(pool.rentedBytes, 0);
  assert.is(pool.retainedBytes, 4096 + 8192);
  // Another size class does not get them.
  const c = pool.rent(20_000);
  assert.ok(c !== a && c !== b);
  pool.return(c);
  assert.is(pool.rentedBytes, 0);
});

t('returning twice, or a block from elsewhere, is an InvalidOperationError', async () => {
  const pool = new BufferPool();
  const block = pool.rent(1);
  pool.return(block);
  await rejects(() => pool.return(block), InvalidOperationError, /already returned\. Return each rented block exactly once/);
  await rejects(() => pool.return(new Uint8Array(4096)), InvalidOperationError, /not rented from this pool/);
  const other = new BufferPool().rent(1);
  await rejects(() => pool.return(other), InvalidOperationError, /not rented from this pool/);
  assert.is(pool.rentedBytes, 0);
  const err = (await rejects(() => pool.return(block), InvalidOperationError)) as InvalidOperationError;
  assert.is(err.name, 'InvalidOperationError');
  assert.is(err.code, 'ERR_INVALID_OPERATION');
});

t('oversized blocks and returns past maxRetainedBytes are not kept', () => {
  const pool = new BufferPool({ maxRetainedBytes: 8192 });
  const big = pool.rent(5 * MiB);
  pool.return(big);
  assert.is(pool.retainedBytes, 0);
  assert.is.not(pool.rent(5 * MiB), big);
  const blocks = [pool.rent(1), pool.rent(1), pool.rent(1)];
  for (const b of blocks) pool.return(b);
  assert.is(pool.retainedBytes, 8192);
  assert.is(pool.rentedBytes, 5 * MiB);
});

t('4 MiB blocks, the largest pooled size, are kept and handed out again', () => {
  const pool = new BufferPool();
  const block = pool.rent(4 * MiB);
  assert.is(pool.rentedBytes, 4 * MiB);
  pool.return(block);
  assert.is(pool.rentedBytes, 0);
  assert.is(pool.retainedBytes, 4 * MiB);
  const again = pool.rent(4 * MiB);
  assert.is(again, block, 'rent(4 MiB) reuses the returned 4 MiB block');
  assert.is(pool.retainedBytes, 0);
  pool.return(again);
  const smaller = pool.rent(3 * MiB);
  assert.is(smaller, block, 'rent(3 MiB) rounds up to the same 4 MiB size class');
  assert.is(smaller.length, 4 * MiB);
  assert.is(pool.rentedBytes, 4 * MiB);
  assert.is(pool.retainedBytes, 0);
  pool.return(smaller);
  assert.is(pool.rentedBytes, 0);
});

t('blocks over 4 MiB are never kept, even well below maxRetainedBytes', () => {
  const pool = new BufferPool({ maxRetainedBytes: 64 * MiB });
  const sizes = [4 * MiB + 1, 5 * MiB, 8 * MiB]; // 8 MiB: a power of two, but above the largest size class
  const big: Uint8Array[] = [];
  for (const size of sizes) {
    const block = pool.rent(size);
    assert.is(block.length, size);
    big.push(block);
    pool.return(block);
    assert.is(pool.rentedBytes, 0, `rentedBytes after returning ${size} bytes`);
    assert.is(pool.retainedBytes, 0, `a ${size}-byte block is not retained`);
  }
  // None of them is handed out for a pooled size either: rent(4 MiB) gets exactly 4 MiB.
  const block = pool.rent(4 * MiB);
  assert.is(block.length, 4 * MiB);
  assert.ok(!big.includes(block));
  assert.is(pool.rentedBytes, 4 * MiB);
  pool.return(block);
  assert.is(pool.retainedBytes, 4 * MiB);
});

t('BufferPool.shared is one default pool', () => {
  assert.instance(BufferPool.shared, BufferPool);
  assert.is(BufferPool.shared, BufferPool.shared);
});

t('returned-then-rented memory is never visible through a live sequence', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, minimumSegmentSize: 4096 });
  const data = randomBytes(4096 + 1000, 7);
  await pipe.writer.write(data.subarray(0, 4096)); // fills one 4 KiB block
  await pipe.writer.write(data.subarray(4096)); // and part of a second
  const first = await within(pipe.reader.read());
  assert.not.ok(first.buffer.isSingleSegment);
  const blocks = [...first.buffer].map((v) => v.buffer);

  // Consuming part of the first block returns nothing: that memory is still readable.
  pipe.reader.advanceTo(first.buffer.getPosition(100), first.buffer.end);
  assert.is(pool.retainedBytes, 0);
  const fresh = pool.rent(4096);
  assert.ok(!blocks.includes(fresh.buffer), 'a block still in the pipe is not handed out');
  fresh.fill(0xee);
  pool.return(fresh);

  await pipe.writer.write(randomBytes(10, 8));
  const second = await within(pipe.reader.read());
  equalBytes(second.buffer.slice(0, 4096 + 900).toUint8Array(), data.subarray(100));

  // Consuming the first block entirely returns it; whoever rents it next may scribble on it...
  pipe.reader.advanceTo(second.buffer.getPosition(4096 - 100), second.buffer.end);
  const reused = [pool.rent(4096), pool.rent(4096)];
  assert.ok(reused.some((b) => b.buffer === blocks[0]), 'the consumed block went back to the pool');
  for (const b of reused) b.fill(0xee);
  // ...and the old buffer, which covered that memory, throws instead of showing the scribbles.
  await rejects(() => second.buffer.toUint8Array(), InvalidOperationError, /released by advanceTo\(\)/);
  await rejects(() => [...first.buffer], InvalidOperationError, /released/);
  // The live data is untouched.
  await pipe.writer.write(randomBytes(5, 9));
  const third = await within(pipe.reader.read());
  equalBytes(third.buffer.toUint8Array(), concat([data.subarray(4096), randomBytes(10, 8), randomBytes(5, 9)]));
  pipe.reader.advanceTo(third.buffer.end);
  for (const b of reused) pool.return(b);
  await pipe.writer.complete();
  await pipe.reader.complete();
  assert.is(pool.rentedBytes, 0);
});

t.run();
