/**
 * Shared pieces of the differential fuzz tests: byte-stream and chunking arbitraries, the run settings
 * (fixed seed; `FUZZ_RUNS` / `FUZZ_SEED` for long local runs) and the reading strategies. Universal: no
 * `node:` imports, so the universal fuzz suite also runs in Deno, Bun and browsers.
 */
import fc from 'fast-check';
import { SequenceReader, type PipeReader, type ReadOnlySequence } from '../../src/index.js';
import { bytes, concat } from '../helpers.js';

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

/** Cases per property: small in CI, `FUZZ_RUNS` for a long local run. */
export function runs(ciDefault: number): number {
  const n = Number(env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
}

/** fast-check parameters: a fixed seed unless `FUZZ_SEED` says otherwise, so CI failures reproduce. */
export function params(ciDefault: number): fc.Parameters<unknown> {
  const seed = env.FUZZ_SEED === undefined ? 0x10b1e5 : Number(env.FUZZ_SEED);
  return { seed, numRuns: runs(ciDefault), endOnFailure: true, reporter };
}

/** Short text of a counterexample: a huge stream is summarised, not printed byte by byte. */
function brief(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return v.length > 48 ? `<${v.length} bytes: ${v.subarray(0, 24).join(',')},…>` : `[${v.join(',')}]`;
    if (Array.isArray(v) && v.length > 48) return [...v.slice(0, 24), `…(${v.length} items)`];
    return v;
  });
}

/** Fails with the error, the seed and path to replay, and a brief counterexample (never megabytes). */
function reporter(details: fc.RunDetails<unknown>): void {
  if (!details.failed) return;
  const error = details.errorInstance as Error | undefined;
  throw new Error(
    `property failed after ${details.numRuns} cases (seed ${details.seed}, path "${details.counterexamplePath}"): ` +
      `${error?.stack ?? String(error)}\ncounterexample: ${brief(details.counterexample)}`,
  );
}

/** Counts executed cases per suite, so a long run can report how many ran. */
export const counter = { cases: 0 };

// ------------------------------------------------------------------ byte streams

const text = ['\n', '\r\n', '\r', '\r\r\n', '\n\n', 'a', 'line', 'é', '€', '𝄞', 'ascii text ', '\u2028', ''].map((s) => bytes(s));
/** Bytes that are not valid UTF-8 on their own: a stray continuation, truncated sequences, a surrogate, 0xff. */
const invalid = [[0x80], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf]].map((b) => Uint8Array.from(b));

/** A huge piece: a long run of one byte (cheap to generate), optionally ending in a line break. */
const huge = fc
  .record({ byte: fc.constantFrom(0x61, 0x00, 0x0d, 0xe2), length: fc.integer({ min: 65536, max: 300_000 }), lf: fc.boolean() })
  .map(({ byte, length, lf }) => {
    const b = new Uint8Array(length).fill(byte);
    if (lf) b[length - 1] = 0x0a;
    return b;
  });

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...text) },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...invalid) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 3000 }) },
);

/** A byte stream: text, line breaks, multi-byte and invalid UTF-8, random bytes; rarely huge. */
export function streamArb(options: { huge?: boolean } = {}): fc.Arbitrary<Uint8Array> {
  const pieces = fc.array(piece, { maxLength: 40 });
  const base = pieces.map((p) => concat(p));
  if (options.huge === false) return base;
  return fc.oneof(
    { weight: 30, arbitrary: base },
    { weight: 1, arbitrary: fc.tuple(pieces, huge, pieces).map(([a, h, b]) => concat([...a, h, ...b])) },
  );
}

/**
 * How a stream is cut into chunks: sizes are used in turn (cycled); 0 emits an empty chunk. Includes the
 * whole stream at once, 1-byte chunks, tiny, medium and huge chunks.
 */
export const chunkingArb: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([Number.MAX_SAFE_INTEGER]),
  fc.constant([1]),
  fc.array(
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }) },
      { weight: 2, arbitrary: fc.integer({ min: 65, max: 5000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 5001, max: 200_000 }) },
    ),
    { minLength: 1, maxLength: 12 },
  ),
);

/** Cuts `data` into views per `sizes` (cycled); 0 yields an empty chunk. Always makes progress. */
export function split(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let zeros = 0;
  for (let o = 0, k = 0; o < data.length; k++) {
    let n = sizes[k % sizes.length]!;
    if (n === 0 && ++zeros > sizes.length) n = 1; // all-zero cycle: force progress
    if (n > 0) zeros = 0;
    const end = Math.min(data.length, o + n);
    out.push(data.subarray(o, end));
    o = end;
  }
  if (data.length === 0 && sizes.includes(0)) out.push(data);
  return out;
}

// ------------------------------------------------------------------ reading strategies

/**
 * How a consumer drives `read()`/`advanceTo()`: `all` consumes everything; `partial` consumes a fraction
 * (examined = consumed); `examine` examines everything but consumes a fraction; `atLeast` uses
 * `readAtLeast(n)`; `try` prefers `tryRead()`.
 */
export type Strategy =
  | { kind: 'all' }
  | { kind: 'partial' | 'examine' | 'try'; fractions: number[] }
  | { kind: 'atLeast'; sizes: number[] };

const fractionArb = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true }));

export const strategyArb: fc.Arbitrary<Strategy> = fc.oneof(
  fc.constant<Strategy>({ kind: 'all' }),
  fc.record({ kind: fc.constantFrom('partial' as const, 'examine' as const, 'try' as const), fractions: fc.array(fractionArb, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('atLeast' as const), sizes: fc.array(fc.integer({ min: 0, max: 70_000 }), { minLength: 1, maxLength: 4 }) }),
);

/**
 * Reads `reader` to its end with `strategy`, checking on every read that the buffer is exactly the
 * unconsumed part of `expected` seen so far, and returns the bytes in consumption order.
 */
export async function readBytes(reader: PipeReader, strategy: Strategy, expected?: Uint8Array): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  let total = 0;
  let step = 0;
  let idle = 0;
  for (;;) {
    step++;
    let result;
    if (strategy.kind === 'atLeast') result = await reader.readAtLeast(strategy.sizes[step % strategy.sizes.length]!);
    else if (strategy.kind === 'try') result = reader.tryRead() ?? (await reader.read());
    else result = await reader.read();
    const { buffer, isCompleted } = result;
    if (expected !== undefined) checkBuffer(buffer, expected, total, step);
    let take = buffer.length;
    if (strategy.kind !== 'all' && strategy.kind !== 'atLeast') {
      const f = strategy.fractions[step % strategy.fractions.length]!;
      take = Math.floor(buffer.length * f);
      // Always progress, and in proportion: a consumer stuck at 1 byte per read would make the run quadratic.
      if (take === 0 && buffer.length > 0 && (isCompleted || ++idle > 3)) take = Math.ceil(buffer.length / 4);
    }
    if (take > 0) idle = 0;
    const consumed = buffer.getPosition(take);
    out.push(buffer.slice(0, take).toUint8Array().slice());
    total += take;
    const examined = strategy.kind === 'examine' ? buffer.end : consumed;
    reader.advanceTo(consumed, examined);
    if (isCompleted && take === buffer.length) break;
  }
  await reader.complete();
  return concat(out);
}

/** Throws unless `buffer` holds exactly `expected[offset, offset + buffer.length)`. */
export function checkBuffer(buffer: ReadOnlySequence, expected: Uint8Array, offset: number, step = 0): void {
  if (offset + buffer.length > expected.length) {
    throw new Error(`read #${step}: ${buffer.length} bytes at offset ${offset} run past the ${expected.length} bytes written`);
  }
  let at = offset;
  for (const chunk of buffer) {
    for (let i = 0; i < chunk.length; i++, at++) {
      if (chunk[i] !== expected[at]) throw new Error(`read #${step}: byte ${at} is ${chunk[i]}, the input has ${expected[at]}`);
    }
  }
}

/** The idiomatic core line loop: `tryReadLine()` per line, examine everything, the rest at the end. */
export async function readLinesCore(reader: PipeReader): Promise<Uint8Array[]> {
  const lines: Uint8Array[] = [];
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    const r = new SequenceReader(buffer);
    for (let line; (line = r.tryReadLine()) !== undefined; ) lines.push(line.toUint8Array().slice());
    if (isCompleted) {
      if (!r.end) lines.push(r.unreadSequence.toUint8Array().slice());
      reader.advanceTo(buffer.end);
      break;
    }
    reader.advanceTo(r.position, buffer.end);
  }
  await reader.complete();
  return lines;
}

/** Structural equality of two lists of byte arrays, with a readable failure. */
export function sameChunks(actual: readonly Uint8Array[], expected: readonly Uint8Array[], what: string): void {
  const show = (a: readonly Uint8Array[]) => a.map((x) => (x.length > 40 ? `<${x.length} bytes>` : `[${x.join(',')}]`)).join(' ');
  const same = actual.length === expected.length && actual.every((a, i) => a.length === expected[i]!.length && a.every((b, j) => b === expected[i]![j]));
  if (!same) throw new Error(`${what}: got ${actual.length} items ${show(actual.slice(0, 8))} but the model says ${expected.length}: ${show(expected.slice(0, 8))}`);
}

/** Equality of two string lists, with a readable failure. */
export function sameStrings(actual: readonly string[], expected: readonly string[], what: string): void {
  const same = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
  if (!same) {
    const cut = (a: readonly string[]) => JSON.stringify(a.slice(0, 6).map((s) => (s.length > 40 ? `${s.slice(0, 20)}…(${s.length})` : s)));
    throw new Error(`${what}: got ${actual.length} lines ${cut(actual)} but the model says ${expected.length}: ${cut(expected)}`);
  }
}
