import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BufferPool, LineTooLongError, Pipe, lineSequences, lines, type LineOptions } from '../../src/index.js';
import { bytes, chunked, concat, rejects, within } from '../helpers.js';
import { SOURCE_KINDS, dec, equalLines, modelLines, viaForEach, viaLines, viaSequences } from './kit.js';

const t = suite('long lines');

const tooLong = (limit: number, offset: number) => (e: unknown) =>
  e instanceof LineTooLongError && e.limit === limit && e.offset === offset && e.code === 'ERR_LINE_TOO_LONG' &&
  e.message.includes(`${limit} bytes`) && e.message.includes(`offset ${offset}`);

/** Every helper, every kind of source, a few cuts of the input: all reject with the same error. */
async function rejectsEverywhere(data: Uint8Array, options: LineOptions, check: (e: unknown) => boolean) {
  for (const kind of SOURCE_KINDS) {
    for (const sizes of [[data.length], [1], [3, 5], [7]]) {
      for (const run of [viaLines, viaSequences, viaForEach]) {
        const error = await run(kind.make(chunked(data, sizes)), options).then(() => undefined, (e: unknown) => e);
        assert.ok(check(error), `${run.name} on ${kind.name} cut ${sizes}: got ${String(error)}`);
      }
    }
  }
}

t("'error' (default): LineTooLongError names the limit and the line's byte offset", async () => {
  await rejectsEverywhere(bytes('ok\nfine\nthis one is long\nok\n'), { maxLineLength: 8 }, tooLong(8, 8));
  // A last line without line end is checked too.
  await rejectsEverywhere(bytes('ok\n123456789'), { maxLineLength: 8 }, tooLong(8, 3));
});

t('the lines before a long line are delivered first', async () => {
  const seen: string[] = [];
  await rejects(async () => {
    for await (const line of lines([bytes('a\nb\n'), bytes('0123456789\nc\n')], { maxLineLength: 5 })) seen.push(line);
  }, LineTooLongError);
  assert.equal(seen, ['a', 'b']);
});

t('exactly maxLineLength is allowed; the line end does not count (also \\r\\n split across chunks)', async () => {
  const data = bytes('12345\n12345\r\nabcde');
  for (const kind of SOURCE_KINDS) {
    for (const sizes of [[data.length], [1], [6], [11], [4, 3]]) {
      assert.equal(await viaLines(kind.make(chunked(data, sizes)), { maxLineLength: 5 }), ['12345', '12345', 'abcde'], `${kind.name} ${sizes}`);
    }
  }
  // One more byte is too long, whichever way it arrives.
  await rejectsEverywhere(bytes('123456\n'), { maxLineLength: 5 }, tooLong(5, 0));
  await rejectsEverywhere(bytes('12345\r6\r\n'), { maxLineLength: 5 }, tooLong(5, 0));
});

t('an endless line is rejected once it passes the limit, without reading on', async () => {
  let produced = 0;
  async function* endless() {
    for (;;) {
      produced += 1000;
      yield new Uint8Array(1000).fill(0x61);
    }
  }
  await rejects(() => within(viaLines(endless(), { maxLineLength: 10_000 })), LineTooLongError);
  assert.ok(produced <= 12_000, `read ${produced} bytes for a 10 000 byte limit`);
});

t('a long line being assembled never holds much more than maxLineLength (Pipe source, skip)', async () => {
  const pool = new BufferPool();
  const pipe = new Pipe({ pool, pauseWriterThreshold: 8192 });
  let peak = 0;
  const writing = (async () => {
    const block = new Uint8Array(1000).fill(0x62);
    await pipe.writer.write('before\n');
    for (let i = 0; i < 2000; i++) {
      // 2 MB without a line end
      const r = await pipe.writer.write(block);
      peak = Math.max(peak, pool.rentedBytes);
      if (r.isCompleted) return;
    }
    await pipe.writer.write('\nafter\n');
    await pipe.writer.complete();
  })();
  const got = await within(viaLines(pipe.reader, { maxLineLength: 4096, onLongLine: 'skip' }), 10_000);
  await writing;
  assert.equal(got, ['before', 'after']);
  assert.ok(peak <= 64 * 1024, `peak pipe memory ${peak} bytes while skipping a 2 MB line`);
  assert.is(pool.rentedBytes, 0);
});

t("'skip' drops long lines (complete, assembled over chunks, or last) and keeps the rest", async () => {
  const data = bytes('a\n0123456789\nb\r\n0123456789\r\nc\n01234567890123456789');
  const expected = ['a', 'b', 'c'];
  for (const kind of SOURCE_KINDS) {
    for (const sizes of [[data.length], [1], [2, 3], [4], [13]]) {
      const options: LineOptions = { maxLineLength: 5, onLongLine: 'skip' };
      assert.equal(await viaLines(kind.make(chunked(data, sizes)), options), expected, `lines ${kind.name} ${sizes}`);
      const seqs = await viaSequences(kind.make(chunked(data, sizes)), options);
      assert.equal(seqs.map((l) => dec.decode(l)), expected, `lineSequences ${kind.name} ${sizes}`);
      const each = await viaForEach(kind.make(chunked(data, sizes)), options);
      assert.equal(each.map((l) => dec.decode(l)), expected, `forEachLine ${kind.name} ${sizes}`);
    }
  }
});

t("'split' hands a long line out in pieces of at most maxLineLength bytes", async () => {
  const data = bytes('0123456789ab\nxy\n01234\r\n012345');
  const expected = ['01234', '56789', 'ab', 'xy', '01234', '01234', '5'];
  for (const kind of SOURCE_KINDS) {
    for (const sizes of [[data.length], [1], [3], [6, 1]]) {
      assert.equal(await viaLines(kind.make(chunked(data, sizes)), { maxLineLength: 5, onLongLine: 'split' }), expected, `${kind.name} ${sizes}`);
    }
  }
});

t("'split' with keepLineEnds: only the last piece carries the line end", async () => {
  assert.equal(
    await viaLines([bytes('0123456789ab\r\nxy\n')], { maxLineLength: 5, onLongLine: 'split', keepLineEnds: true }),
    ['01234', '56789', 'ab\r\n', 'xy\n'],
  );
});

t("'split' cuts between UTF-8 characters, never inside one", async () => {
  // 'é' is 2 bytes, '€' 3: a 5-byte cut would land inside a character.
  const text = 'aé€é€aaaa€';
  for (const sizes of [[100], [1], [2], [3]]) {
    const pieces = await viaSequences(chunked(bytes(text), sizes), { maxLineLength: 5, onLongLine: 'split' });
    for (const p of pieces) assert.ok(p.length <= 5 && p.length >= 3, `piece of ${p.length} bytes`);
    assert.equal(pieces.map((p) => new TextDecoder('utf-8', { fatal: true }).decode(p)).join(''), text, `cut ${sizes}`);
  }
});

t("property: 'split' pieces join back into the lines, 'skip' keeps exactly the short lines", async () => {
  const alphabet = [0x0a, 0x0d, 0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac];
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 12 }),
      async (raw, sizes, max) => {
        const data = Uint8Array.from(raw);
        const model = modelLines(data);
        const skipped = await viaSequences(chunked(data, sizes), { maxLineLength: max, onLongLine: 'skip' });
        equalLines(skipped, model.filter((l) => l.length <= max), 'skip');
        const pieces = await viaForEach(chunked(data, sizes), { maxLineLength: max, onLongLine: 'split' });
        for (const p of pieces) assert.ok(p.length <= max, `piece of ${p.length} > ${max}`);
        // The pieces, joined in order, are the lines joined in order.
        assert.equal([...concat(pieces)], [...concat(model)]);
      },
    ),
    { seed: 77, numRuns: 300 },
  );
});

t('the limit applies per line: many short lines in one big chunk are fine', async () => {
  const data = bytes('abc\n'.repeat(10_000));
  let n = 0;
  for await (const line of lineSequences(data, { maxLineLength: 3 })) n += line.length;
  assert.is(n, 30_000);
});

t.run();
