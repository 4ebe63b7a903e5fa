/**
 * Internal building blocks of a sequence: the linked segments and the lease that says whether a view
 * over them may still be used. Not exported from the package entries.
 *
 * @module
 */
import { InvalidOperationError } from '../errors.js';

/** The `data` of a segment with nothing committed yet. */
const NOTHING = new Uint8Array(0);

/** Identity shared by the segments of one chain: positions are only meaningful within their chain. */
export class Chain {}

/**
 * One block of memory in a chain. `data` is the committed part, `bytes[0, data.length)`; `runningIndex`
 * is the absolute offset of `bytes[0]` within the chain, so any position maps to one absolute offset
 * and positions compare by it (the end of one segment equals the start of the next).
 */
export class Segment {
  /** The whole memory block (pooled, or a caller's chunk). */
  bytes: Uint8Array;
  /** The committed bytes: a view of `bytes[0, written)` refreshed when they are published. */
  data: Uint8Array;
  /** Bytes committed by the writer, published or not. */
  written: number;
  runningIndex: number;
  next: Segment | null = null;
  /** Set once the memory went back to its pool; positions into it are no longer valid. */
  released = false;
  constructor(
    readonly chain: Chain,
    bytes: Uint8Array,
    written: number,
    runningIndex: number,
    /** Whether `bytes` was rented and must be returned. */
    readonly pooled: boolean,
  ) {
    this.bytes = bytes;
    this.written = written;
    // Whole block or nothing committed yet: no subarray (an allocation per segment on the hot path).
    this.data = written === bytes.length ? bytes : written === 0 ? NOTHING : bytes.subarray(0, written);
    this.runningIndex = runningIndex;
  }
}

/**
 * Validity of the sequences handed out under it. Each sequence remembers the generation it was made in;
 * `expire()` bumps the generation, so every older sequence (and slice, and reader over it) throws on use.
 * One object serves many generations, so handing out a buffer allocates no lease.
 */
export class Lease {
  generation = 0;
  constructor(private readonly message: string) {}
  expire(): void {
    this.generation++;
  }
  fail(): never {
    throw new InvalidOperationError(this.message);
  }
}

/** Messages shared by the components that lease buffers. */
export const READ_LEASE_MESSAGE =
  'This buffer was released by advanceTo() or complete() and must not be used any more. ' +
  'Parse or copy (toUint8Array(), toString()) what you need before calling advanceTo().';

type ByteSearch = (this: Uint8Array, byte: number, from: number) => number;

/**
 * `Buffer.prototype[name]` when the runtime has a global `Buffer` (Node, Bun), else undefined. For
 * feature-detected fast paths: the universal entry imports nothing from `node:`.
 */
export function bufferMethod(name: string): unknown {
  return (globalThis as { Buffer?: { prototype?: Record<string, unknown> } }).Buffer?.prototype?.[name];
}

/**
 * The fastest native byte search this runtime has. Node's `Buffer.prototype.indexOf` (memchr) also
 * works on a plain `Uint8Array` and is about twice as fast as `TypedArray.prototype.indexOf` on short
 * lines. It is feature-detected (no import) and probed once; elsewhere the standard method is used.
 * `fast` is the candidate (default: Buffer's method), a parameter so that tests can probe a bad one.
 */
export function nativeSearch(
  name: 'indexOf' | 'lastIndexOf',
  fast: unknown = bufferMethod(name),
): ByteSearch {
  const standard = Uint8Array.prototype[name] as ByteSearch;
  if (typeof fast !== 'function') return standard;
  try {
    const probe = new Uint8Array([1, 10, 1, 10, 1]);
    const ok = name === 'indexOf'
      ? fast.call(probe, 10, 2) === 3 && fast.call(probe, 10, 4) === -1 && fast.call(probe, 10, 9) === -1
      : fast.call(probe, 10, 2) === 1 && fast.call(probe, 10, 4) === 3 && fast.call(probe, 10, 0) === -1;
    return ok ? (fast as ByteSearch) : standard;
  } catch {
    return standard;
  }
}
const searchForward = nativeSearch('indexOf');
const searchBackward = nativeSearch('lastIndexOf');

/** `data.indexOf(byte, from)` with the fastest native search (`from` ≥ 0). */
export function indexOfByte(data: Uint8Array, byte: number, from: number): number {
  return searchForward.call(data, byte, from);
}

/** `data.lastIndexOf(byte, from)` with the fastest native search (`from` ≥ 0: searches `[0, from]`). */
export function lastIndexOfByte(data: Uint8Array, byte: number, from: number): number {
  return searchBackward.call(data, byte, from);
}

/**
 * Result slots of {@link findByte}/{@link findPattern}: the search writes the hit here instead of
 * allocating a result object per call. `prev` is set by `findByte` only.
 */
export const hit = { segment: null as Segment | null, index: 0, distance: 0, prev: -1 };

/**
 * Finds `byte` in the chain from (`seg`, `index`) up to (`endSeg`, `endIndex`), using the native
 * `indexOf` per segment. On success fills {@link hit} (`distance` from the start, `prev` = the byte
 * before the hit or -1 when the hit is at the start) and returns true.
 */
export function findByte(seg: Segment, index: number, endSeg: Segment, endIndex: number, byte: number): boolean {
  // Only a byte value can match: Node's Buffer search would find 0 for 256 and 255 for -1.
  if ((byte & 0xff) !== byte) return false;
  let distance = 0;
  let prev = -1;
  for (;;) {
    const data = seg.data;
    const limit = seg === endSeg ? endIndex : data.length;
    if (index < limit) {
      const i = indexOfByte(data, byte, index);
      if (i !== -1 && i < limit) {
        hit.segment = seg;
        hit.index = i;
        hit.distance = distance + (i - index);
        hit.prev = i > index ? data[i - 1]! : prev;
        return true;
      }
      distance += limit - index;
      prev = data[limit - 1]!;
    }
    if (seg === endSeg || seg.next === null) return false;
    seg = seg.next;
    index = 0;
  }
}

/**
 * Finds a multi-byte `pattern` across segment seams. The first byte is located with the native
 * `indexOf`; candidates are then verified in place, walking into the following segments as needed.
 */
export function findPattern(
  seg: Segment, index: number, endSeg: Segment, endIndex: number, pattern: Uint8Array,
): boolean {
  const n = pattern.length;
  if (n === 0) {
    hit.segment = seg;
    hit.index = index;
    hit.distance = 0;
    return true;
  }
  if (n === 1) return findByte(seg, index, endSeg, endIndex, pattern[0]!);
  const first = pattern[0]!;
  let base = 0;
  for (;;) {
    const data = seg.data;
    const limit = seg === endSeg ? endIndex : data.length;
    let from = index;
    while (from < limit) {
      const i = indexOfByte(data, first, from);
      if (i === -1 || i >= limit) break;
      if (matchesAt(seg, i, endSeg, endIndex, pattern)) {
        hit.segment = seg;
        hit.index = i;
        hit.distance = base + (i - index);
        return true;
      }
      from = i + 1;
    }
    base += limit - index;
    if (seg === endSeg || seg.next === null) return false;
    seg = seg.next;
    index = 0;
  }
}

function matchesAt(seg: Segment, i: number, endSeg: Segment, endIndex: number, pattern: Uint8Array): boolean {
  let data = seg.data;
  let limit = seg === endSeg ? endIndex : data.length;
  for (let k = 0; k < pattern.length; k++, i++) {
    while (i >= limit) {
      if (seg === endSeg || seg.next === null) return false;
      seg = seg.next;
      data = seg.data;
      limit = seg === endSeg ? endIndex : data.length;
      i = 0;
    }
    if (data[i] !== pattern[k]) return false;
  }
  return true;
}
