/**
 * UTF-8 decoding of a byte range for `lines()`: Node's (and Bun's) `Buffer.prototype.utf8Slice` when
 * the runtime has it and it decodes like `TextDecoder` (probed once on invalid and multibyte input),
 * else a `TextDecoder`. `utf8Slice` takes the range directly (no `subarray` view) and skips
 * `TextDecoder.decode`'s argument checks, which cost more than the decoding on a short run of lines.
 * Feature-detected: no `node:` import, the universal entry stays universal. Internal.
 *
 * @module
 */
import { bufferMethod } from '../buffers/segment.js';

/** Decodes `data[from, to)` (whole characters; invalid bytes become U+FFFD; a BOM is kept). */
export type RangeDecoder = (data: Uint8Array, from: number, to: number) => string;

type Slice = (this: Uint8Array, from: number, to: number) => string;

/** Inputs the probe checks against `TextDecoder`: ASCII, multibyte, a BOM, and invalid sequences. */
const PROBES: readonly number[][] = [
  [0x41, 0x0a, 0x42],
  [0xef, 0xbb, 0xbf, 0x41],
  [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
  [0xff, 0x41, 0xc3, 0x41, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf4, 0x90, 0x80, 0x80, 0x80],
];

/** A range decoder over a `TextDecoder` for `encoding` that keeps a BOM (callers drop it where they must). */
export function textDecoderRange(encoding: string): RangeDecoder {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return (data, from, to) => decoder.decode(data.subarray(from, to));
}

/**
 * The UTF-8 range decoder to use: `fast` (default: `Buffer.prototype.utf8Slice` if present) when it
 * agrees with `TextDecoder` on {@link PROBES}, else a `TextDecoder` (which ignores no BOM by itself:
 * callers drop a leading BOM where they must).
 */
export function utf8RangeDecoder(fast: unknown = bufferMethod('utf8Slice')): RangeDecoder {
  const standard = textDecoderRange('utf-8');
  if (typeof fast !== 'function') return standard;
  const slice = fast as Slice;
  try {
    for (const probe of PROBES) {
      const bytes = new Uint8Array([0x20, ...probe, 0x20]);
      if (slice.call(bytes, 1, bytes.length - 1) !== standard(bytes, 1, bytes.length - 1)) return standard;
    }
  } catch {
    return standard;
  }
  return (data, from, to) => slice.call(data, from, to);
}

/** Shared by every `lines()` in UTF-8 (stateless: each call decodes whole characters). */
export const utf8Range: RangeDecoder = utf8RangeDecoder();
