/**
 * The PipeCore contract that source adapters build on (internal, not exported from the entries):
 * `demand` when a read must wait, `appendChunk` (zero copy), `appendRented`, `completeWriter(error,
 * hasError)`, `buffered`, `readWaiting`, `unconsumedChunks()`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool } from '../../src/index.js';
import { PipeCore } from '../../src/pipe/core.js';
import { bytes, isPending, rejects, within } from '../helpers.js';

const t = suite('PipeCore (source adapter contract)');

function core(): { pool: BufferPool; core: PipeCore } {
  const pool = new BufferPool();
  return { pool, core: new PipeCore({ pool }) };
}

t('demand is called when a read must wait, and a chunk appended then resolves it without a copy', async () => {
  const { core: c } = core();
  const chunk = bytes('from the source');
  let demands = 0;
  c.demand = () => {
    demands++;
    if (demands === 1) c.appendChunk(chunk);
  };
  const r = await within(c.read(undefined, 0));
  assert.is(demands, 1);
  assert.is(r.buffer.first, chunk, 'the caller\'s chunk itself');
  assert.is(c.buffered, chunk.length);
  c.advanceTo(r.buffer.getPosition(5), r.buffer.end);
  assert.is(c.buffered, chunk.length - 5);
  // Everything examined: tryRead asks for more and reports nothing yet.
  assert.is(c.tryRead(), undefined);
  assert.is(demands, 2);
  assert.is(c.readWaiting, false, 'no read waiting');
  const pending = c.read(undefined, 0);
  assert.ok(await isPending(pending));
  assert.is(demands, 3);
  assert.is(c.readWaiting, true, 'a source adapter keeps its source flowing now');
  c.appendChunk(new Uint8Array(0)); // ignored: no data, no wake-up
  assert.ok(await isPending(pending));
  c.appendChunk(bytes('!'));
  const r2 = await within(pending);
  assert.is(r2.buffer.toString(), 'the source!');
  assert.is(c.readWaiting, false);
  assert.equal(c.unconsumedChunks().map((v) => new TextDecoder().decode(v)), ['the source', '!']);
  c.advanceTo(r2.buffer.end);
  assert.equal(c.unconsumedChunks(), []);
  await c.completeWriter();
  c.appendChunk(bytes('late')); // ignored after completion
  const r3 = await within(c.read(undefined, 0));
  assert.is(r3.isCompleted, true);
  assert.is(r3.buffer.length, 0);
});

t('a readAtLeast that is not satisfied by a chunk asks for more', async () => {
  const { core: c } = core();
  let demands = 0;
  c.demand = () => {
    demands++;
    c.appendChunk(bytes('ab'));
  };
  const r = await within(c.read(undefined, 5));
  assert.is(r.buffer.toString(), 'ababab');
  assert.is(demands, 3);
});

t('completeWriter(error, true) delivers appended bytes first, then rejects, even with an undefined error', async () => {
  const { core: c } = core();
  c.appendChunk(bytes('xy'));
  await c.completeWriter(undefined, true);
  const r = await within(c.read(undefined, 0));
  assert.is(r.buffer.toString(), 'xy');
  assert.is(r.isCompleted, false);
  c.advanceTo(r.buffer.end);
  let caught: unknown = 'nothing';
  await c.read(undefined, 0).catch((e) => (caught = e));
  assert.is(caught, undefined, 'rejected with the (undefined) source error');
});

t('appendRented blocks go back to the pool once consumed, or at once when nobody reads', async () => {
  const { pool, core: c } = core();
  const block = pool.rent(100);
  block.set(bytes('rented'));
  c.appendRented(block, 6);
  c.appendRented(pool.rent(10), 0); // nothing in it: returned straight away
  assert.is(pool.rentedBytes, block.length);
  const r = await within(c.read(undefined, 0));
  assert.is(r.buffer.toString(), 'rented');
  c.advanceTo(r.buffer.end);
  assert.is(pool.rentedBytes, 0);
  await c.completeReader();
  c.appendRented(pool.rent(10), 5);
  assert.is(pool.rentedBytes, 0, 'returned at once: nobody will read it');
  c.appendChunk(bytes('ignored'));
  assert.is(pool.rentedBytes, 0);
  await c.completeWriter();
  c.appendRented(pool.rent(10), 5);
  assert.is(pool.rentedBytes, 0);
});

t('a chunk appended after the reader completed is dropped', async () => {
  const { pool, core: c } = core();
  c.appendChunk(bytes('a'));
  await c.completeReader();
  c.appendChunk(bytes('b'));
  assert.is(c.buffered, 0);
  await c.completeWriter();
  assert.is(pool.rentedBytes, 0);
  await rejects(() => c.read(undefined, 0), Error, /after the reader completed/);
});

t('unconsumedChunks has no empty views when everything was consumed but the writer still holds memory', async () => {
  const { core: c } = core();
  c.getMemory(10).set(bytes('abc'));
  c.advance(3); // the rest of the block stays handed out, so the block is kept
  await c.flush(undefined);
  const r = await within(c.read(undefined, 0));
  assert.is(r.buffer.toString(), 'abc');
  c.advanceTo(r.buffer.end);
  assert.equal(c.unconsumedChunks(), []);
});

t.run();
