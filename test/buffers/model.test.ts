/**
 * Model tests: every ReadOnlySequence and SequenceReader operation, on random bytes cut into random
 * segments, agrees with the same operation on one flat Uint8Array (the tiny reference model below).
 * Fixed seed; FUZZ_RUNS raises the number of runs.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ReadOnlySequence, SequenceReader, type SequencePosition } from '../../src/index.js';
import { Chain, Segment } from '../../src/buffers/segment.js';
import { concat, equalBytes } from '../helpers.js';

const t = suite('sequence and reader agree with a flat array');
const RUNS = Number((globalThis as any).process?.env?.FUZZ_RUNS ?? 0) || 1000;

// A small alphabet so searches, lines, escapes and split UTF-8 characters (e2 82 ac = '€') are common.
const CR = 0x0d, LF = 0x0a, COMMA = 0x2c, BACKSLASH = 0x5c;
const byte: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(LF, CR, COMMA, BACKSLASH), weight: 3 },
  { arbitrary: fc.constantFrom(0x61, 0x62, 0xe2, 0x82, 0xac, 0x00, 0xff), weight: 2 },
);
const pattern = fc.array(byte, { maxLength: 4 }).map((a) => Uint8Array.from(a));
const flatData = fc.array(byte, { maxLength: 48 }).map((a) => Uint8Array.from(a));

/** Cuts `full` at the given points into chunks (empty ones included), each in its own ArrayBuffer. */
function segment(full: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cuts.map((c) => c % (full.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, full.length]) {
    const chunk = new Uint8Array(p - from + 2).subarray(1, p - from + 1); // not at byteOffset 0
    chunk.set(full.subarray(from, p));
    chunks.push(chunk);
    from = p;
  }
  return chunks;
}

/** A sequence over `flat`, as a slice of a segmented parent with `pre`/`post` extra bytes around it. */
interface Case {
  flat: Uint8Array;
  seq: ReadOnlySequence;
  chunks: Uint8Array[];
  /** [start, end) of each chunk in the parent. */
  bounds: [number, number][];
  pre: number;
}
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    flat: flatData,
    pre: fc.array(byte, { maxLength: 3 }),
    post: fc.array(byte, { maxLength: 3 }),
    cuts: fc.array(fc.nat({ max: 64 }), { maxLength: 10 }),
    keepEmpty: fc.boolean(),
  })
  .map(({ flat, pre, post, cuts, keepEmpty }) => {
    const full = concat([Uint8Array.from(pre), flat, Uint8Array.from(post)]);
    const chunks = segment(full, cuts);
    const bounds: [number, number][] = [];
    let o = 0;
    for (const c of chunks) bounds.push([o, (o += c.length)]);
    const parent = keepEmpty ? withEmptySegments(chunks) : ReadOnlySequence.from(...chunks);
    const seq = parent.slice(pre.length, pre.length + flat.length);
    return { flat, seq, chunks, bounds, pre: pre.length };
  });

/**
 * A sequence over `chunks` that keeps empty ones as segments of their own, as a pipe's chain can
 * (`from()` skips them). Built from the internal segment types.
 */
function withEmptySegments(chunks: Uint8Array[]): ReadOnlySequence {
  const chain = new Chain();
  let head: Segment | null = null;
  let tail: Segment | null = null;
  let total = 0;
  for (const c of chunks) {
    const seg = new Segment(chain, c, c.length, total, false);
    total += c.length;
    if (tail === null) head = seg;
    else tail.next = seg;
    tail = seg;
  }
  return ReadOnlySequence._span(head!, 0, tail!, tail!.data.length, total, null);
}

// ------------------------------------------------------------------ the reference model

function flatIndexOf(flat: Uint8Array, value: number | Uint8Array, from: number): number {
  const p = typeof value === 'number' ? [value] : value;
  outer: for (let i = from; i + p.length <= flat.length; i++) {
    for (let k = 0; k < p.length; k++) if (flat[i + k] !== p[k]) continue outer;
    return i;
  }
  return -1;
}

/** Whether bytes [from, to) of the case's sequence lie in one (non-empty) chunk. */
function inOneChunk(c: Case, from: number, to: number): boolean {
  if (to === from) return true;
  const a = c.pre + from;
  const b = c.pre + to;
  return c.bounds.some(([s, e]) => s <= a && b <= e);
}

function decodes(bytes: Uint8Array, fatal: boolean): string | TypeError {
  try {
    return new TextDecoder('utf-8', { fatal }).decode(bytes);
  } catch (e) {
    return e as TypeError;
  }
}

function outcome<T>(fn: () => T): T | { error: string } {
  try {
    return fn();
  } catch (e) {
    return { error: (e as Error).constructor.name };
  }
}

// ------------------------------------------------------------------ ReadOnlySequence

t('every ReadOnlySequence operation agrees with the flat model', () => {
  const query = fc.record({
    pairs: fc.array(fc.tuple(fc.integer({ min: -2, max: 52 }), fc.integer({ min: -2, max: 52 })), { maxLength: 6 }),
    // A needle is a random byte or pattern, or (more often found) a piece of the data itself.
    needles: fc.array(
      fc.tuple(
        fc.oneof(byte, pattern, fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })), fc.constantFrom(256, -1, 511)),
        fc.integer({ min: 0, max: 52 }),
      ),
      { maxLength: 6 },
    ),
    copyAt: fc.nat({ max: 4 }),
  });
  fc.assert(
    fc.property(caseArb, query, (c, q) => {
      const { flat, seq } = c;
      const len = flat.length;
      assert.is(seq.length, len);
      assert.is(seq.isEmpty, len === 0);
      equalBytes(seq.toUint8Array(), flat, 'toUint8Array');
      assert.is(seq.isSingleSegment, inOneChunk(c, 0, len), 'isSingleSegment');
      if (seq.isSingleSegment && len > 0) assert.ok(c.chunks.some((ch) => ch.buffer === seq.toUint8Array().buffer), 'view, not copy');

      // Iteration: non-empty views of the original chunks that add up to the flat bytes.
      const views = [...seq];
      for (const v of views) {
        assert.ok(v.length > 0, 'no empty views');
        assert.ok(c.chunks.some((ch) => ch.buffer === v.buffer), 'views share the chunks\' memory');
      }
      equalBytes(concat(views), flat, 'iteration');
      equalBytes(seq.first, views[0] ?? new Uint8Array(0), 'first');

      // Decoding, replacing and fatal.
      assert.is(seq.toString(), decodes(flat, false));
      const fatal = decodes(flat, true);
      if (typeof fatal === 'string') assert.is(seq.toString('utf-8', { fatal: true }), fatal);
      else assert.throws(() => seq.toString('utf-8', { fatal: true }), TypeError);

      // copyTo.
      const target = new Uint8Array(len + q.copyAt + 1).fill(7);
      seq.copyTo(target, q.copyAt);
      equalBytes(target.subarray(q.copyAt, q.copyAt + len), flat, 'copyTo');
      assert.is(target[q.copyAt + len], 7);

      // Positions: both names of every offset (earliest segment from getPosition, latest from slice(i).start).
      const early: SequencePosition[] = [];
      const late: SequencePosition[] = [];
      for (let i = 0; i <= len; i++) {
        early.push(seq.getPosition(i));
        late.push(seq.slice(i).start);
        assert.is(seq.getOffset(early[i]!), i);
        assert.is(seq.getOffset(late[i]!), i);
      }

      // slice by numbers and by either name of each position.
      for (const [a, b] of q.pairs) {
        const valid = a >= 0 && b >= 0 && a <= len && b <= len && a <= b;
        const got = outcome(() => seq.slice(a, b));
        if (!valid) {
          assert.equal(got, { error: 'RangeError' }, `slice(${a}, ${b})`);
          continue;
        }
        const expected = flat.subarray(a, b);
        const forms = [got as ReadOnlySequence, seq.slice(early[a]!, early[b]!), seq.slice(late[a]!, late[b]!),
          seq.slice(early[a]!, late[b]!), seq.slice(late[a]!, early[b]!), seq.slice(a, late[b]!), seq.slice(late[a]!, b)];
        for (const s of forms) {
          equalBytes(s.toUint8Array(), expected, `slice(${a}, ${b})`);
          equalBytes(concat([...s]), expected, `slice(${a}, ${b}) iterated`);
          assert.is(s.isSingleSegment, inOneChunk(c, a, b), `slice(${a}, ${b}).isSingleSegment`);
          assert.is(seq.getOffset(s.start), a);
          assert.is(seq.getOffset(s.end), b);
          assert.is(s.getOffset(s.end), b - a);
        }
        if (b < len) equalBytes(seq.slice(a).toUint8Array(), flat.subarray(a), `slice(${a})`);
      }

      // Searching: bytes and patterns, from any index, and positionOf.
      for (const [spec, from] of q.needles) {
        const needle = Array.isArray(spec) ? flat.slice(spec[0] % (len + 1), (spec[0] % (len + 1)) + spec[1]) : spec;
        assert.is(seq.indexOf(needle, from), flatIndexOf(flat, needle, from), `indexOf(${needle}, ${from})`);
        const p = seq.positionOf(needle);
        const at = flatIndexOf(flat, needle, 0);
        assert.is(p === null ? -1 : seq.getOffset(p), at, `positionOf(${needle})`);
        if (p !== null && typeof needle !== 'number') {
          equalBytes(seq.slice(p, seq.getPosition(needle.length, p)).toUint8Array(), needle);
        }
      }
    }),
    { seed: 42, numRuns: RUNS, includeErrorInReport: true },
  );
});

// ------------------------------------------------------------------ SequenceReader

/** The flat reference reader. */
class FlatReader {
  pos = 0;
  constructor(readonly flat: Uint8Array) {}
  get remaining(): number {
    return this.flat.length - this.pos;
  }
  take(n: number): Uint8Array {
    const out = this.flat.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  readTo(delim: number | Uint8Array, advance: boolean, escape?: number): Uint8Array | undefined {
    const dlen = typeof delim === 'number' ? 1 : delim.length;
    for (let from = this.pos; ; ) {
      const i = flatIndexOf(this.flat, delim, from);
      if (i < 0) return undefined;
      if (escape !== undefined) {
        let run = 0;
        for (let k = i - 1; k >= this.pos && this.flat[k] === escape; k--) run++;
        if (run % 2 === 1) {
          from = i + 1;
          continue;
        }
      }
      const out = this.flat.subarray(this.pos, i);
      this.pos = i + (advance ? dlen : 0);
      return out;
    }
  }
  readToAny(set: number[], advance: boolean): Uint8Array | undefined {
    let best = -1;
    for (const b of set) {
      const i = flatIndexOf(this.flat, b, this.pos);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    if (best < 0) return undefined;
    const out = this.flat.subarray(this.pos, best);
    this.pos = best + (advance ? 1 : 0);
    return out;
  }
  readLine(): Uint8Array | undefined {
    const i = flatIndexOf(this.flat, LF, this.pos);
    if (i < 0) return undefined;
    const end = i > this.pos && this.flat[i - 1] === CR ? i - 1 : i;
    const out = this.flat.subarray(this.pos, end);
    this.pos = i + 1;
    return out;
  }
  typed(size: number, get: (dv: DataView) => number | bigint): number | bigint | undefined {
    if (size > this.remaining) return undefined;
    const v = get(new DataView(this.flat.buffer, this.flat.byteOffset + this.pos, size));
    this.pos += size;
    return v;
  }
}

type Op = { name: string; run(r: SequenceReader): unknown; model(m: FlatReader): unknown };
const typedOps: [string, number, (dv: DataView, le: boolean) => number | bigint][] = [
  ['tryReadUint8', 1, (dv) => dv.getUint8(0)],
  ['tryReadInt8', 1, (dv) => dv.getInt8(0)],
  ['tryReadUint16', 2, (dv, le) => dv.getUint16(0, le)],
  ['tryReadInt16', 2, (dv, le) => dv.getInt16(0, le)],
  ['tryReadUint32', 4, (dv, le) => dv.getUint32(0, le)],
  ['tryReadInt32', 4, (dv, le) => dv.getInt32(0, le)],
  ['tryReadFloat32', 4, (dv, le) => dv.getFloat32(0, le)],
  ['tryReadFloat64', 8, (dv, le) => dv.getFloat64(0, le)],
  ['tryReadBigUint64', 8, (dv, le) => dv.getBigUint64(0, le)],
  ['tryReadBigInt64', 8, (dv, le) => dv.getBigInt64(0, le)],
];
const delimiter = fc.oneof(
  { arbitrary: byte, weight: 4 },
  { arbitrary: pattern.filter((p) => p.length > 0), weight: 4 },
  { arbitrary: fc.constantFrom(256, -1), weight: 1 }, // not bytes: never found
);
const byteSet = fc.array(byte, { maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.nat({ max: 10 }).map((k): Op => ({ name: `tryPeek(${k})`, run: (r) => r.tryPeek(k), model: (m) => (k < m.remaining ? m.flat[m.pos + k] : undefined) })),
  fc.constant<Op>({ name: 'tryRead', run: (r) => r.tryRead(), model: (m) => (m.remaining > 0 ? m.take(1)[0] : undefined) }),
  fc.nat({ max: 12 }).map((n): Op => ({
    name: `advance(${n})`, run: (r) => r.advance(n),
    model: (m) => { if (n > m.remaining) throw new RangeError(); m.pos += n; },
  })),
  fc.nat({ max: 12 }).map((n): Op => ({
    name: `rewind(${n})`, run: (r) => r.rewind(n),
    model: (m) => { if (n > m.pos) throw new RangeError(); m.pos -= n; },
  })),
  fc.constant<Op>({ name: 'advanceToEnd', run: (r) => r.advanceToEnd(), model: (m) => void (m.pos = m.flat.length) }),
  fc.tuple(delimiter, fc.boolean()).map(([v, adv]): Op => ({
    name: `isNext(${v}, ${adv})`, run: (r) => r.isNext(v, adv),
    model: (m) => {
      const p = typeof v === 'number' ? [v] : v;
      const yes = p.length <= m.remaining && p.every((b, k) => m.flat[m.pos + k] === b);
      if (yes && adv) m.pos += p.length;
      return yes;
    },
  })),
  byte.map((b): Op => ({
    name: `advancePast(${b})`, run: (r) => r.advancePast(b),
    model: (m) => { let n = 0; while (m.remaining > 0 && m.flat[m.pos] === b) { m.pos++; n++; } return n; },
  })),
  byteSet.map((set): Op => ({
    name: `advancePastAny(${set})`, run: (r) => r.advancePastAny(set),
    model: (m) => { let n = 0; while (m.remaining > 0 && set.includes(m.flat[m.pos]!)) { m.pos++; n++; } return n; },
  })),
  fc.tuple(delimiter, fc.boolean()).map(([d, adv]): Op => ({
    name: `tryReadTo(${d}, ${adv})`, run: (r) => r.tryReadTo(d, adv), model: (m) => m.readTo(d, adv),
  })),
  fc.tuple(delimiter, fc.boolean(), fc.constantFrom(BACKSLASH, COMMA)).map(([d, adv, esc]): Op => ({
    name: `tryReadTo(${d}, { escape: ${esc}, advancePastDelimiter: ${adv} })`,
    run: (r) => r.tryReadTo(d, { escape: esc, advancePastDelimiter: adv }), model: (m) => m.readTo(d, adv, esc),
  })),
  fc.tuple(byteSet, fc.boolean()).map(([set, adv]): Op => ({
    name: `tryReadToAny(${set}, ${adv})`, run: (r) => r.tryReadToAny(set, adv), model: (m) => m.readToAny(set, adv),
  })),
  fc.tuple(delimiter, fc.boolean()).map(([d, adv]): Op => ({
    name: `tryAdvanceTo(${d}, ${adv})`, run: (r) => r.tryAdvanceTo(d, adv), model: (m) => m.readTo(d, adv) !== undefined,
  })),
  fc.nat({ max: 10 }).map((n): Op => ({
    name: `tryReadExact(${n})`, run: (r) => r.tryReadExact(n), model: (m) => (n <= m.remaining ? m.take(n) : undefined),
  })),
  fc.constant<Op>({ name: 'tryReadLine', run: (r) => r.tryReadLine(), model: (m) => m.readLine() }),
  fc.nat({ max: 10 }).map((n): Op => ({
    name: `tryCopyTo(${n})`,
    run: (r) => { const out = new Uint8Array(n); return r.tryCopyTo(out) ? out : false; },
    model: (m) => (n <= m.remaining ? m.flat.slice(m.pos, m.pos + n) : false),
  })),
  fc.tuple(fc.constantFrom(...typedOps), fc.boolean()).map(([[name, size, get], le]): Op => ({
    name: `${name}(${le})`,
    run: (r) => (r as unknown as Record<string, (le: boolean) => unknown>)[name]!(le),
    model: (m) => m.typed(size, (dv) => get(dv, le)),
  })),
  fc.constant<Op>({ name: 'unreadSequence', run: (r) => r.unreadSequence, model: (m) => m.flat.subarray(m.pos) }),
);

/** Normalises a result for comparison: sequences become their bytes; NaN floats compare by value. */
function plain(v: unknown): unknown {
  if (v instanceof ReadOnlySequence) return Array.from(v.toUint8Array());
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return v;
}

t('every SequenceReader operation agrees with the flat model', () => {
  fc.assert(
    fc.property(caseArb, fc.array(opArb, { minLength: 1, maxLength: 25 }), (c, ops) => {
      const r = new SequenceReader(c.seq);
      const m = new FlatReader(c.flat);
      const log: string[] = [];
      for (const op of ops) {
        log.push(op.name);
        const before = m.pos;
        const got = outcome(() => plain(op.run(r)));
        const want = outcome(() => plain(op.model(m)));
        assert.equal(got, want, `after ${log.join(', ')}`);
        if (typeof want === 'object' && want !== null && 'error' in want) m.pos = before;
        if (op.name.startsWith('try') && (want === undefined || want === false)) assert.is(m.pos, before, 'a failed try… does not move');
        assert.is(r.consumed, m.pos, `consumed after ${log.join(', ')}`);
        assert.is(r.remaining, m.remaining);
        assert.is(r.end, m.remaining === 0);
        assert.is(c.seq.getOffset(r.position), m.pos, `position after ${log.join(', ')}`);
      }
    }),
    { seed: 42, numRuns: RUNS, includeErrorInReport: true },
  );
});

t.run();
