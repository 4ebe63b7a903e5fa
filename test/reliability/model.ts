/**
 * The reference model of the differential tests: what a byte stream *means* as bytes, lines and frames,
 * computed on one flat array with the simplest code that can be right. The library's answers over any
 * source kind and any chunking must equal these. Universal: no `node:` imports.
 */

const LF = 0x0a;
const CR = 0x0d;

/** The lines of `data` as byte arrays: `\n` or `\r\n` end a line; a lone `\r` is data; a final unterminated line counts. */
export function modelLineBytes(data: Uint8Array, keepLineEnds = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== LF) continue;
    const end = keepLineEnds ? i + 1 : i > start && data[i - 1] === CR ? i - 1 : i;
    out.push(data.slice(start, end));
    start = i + 1;
  }
  if (start < data.length) out.push(data.slice(start));
  return out;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The lines of `data` as strings: UTF-8, invalid bytes become U+FFFD (a line end is never part of a
 * character, so decoding line by line equals decoding the whole), a byte order mark is dropped only at
 * the very start of the input.
 */
export function modelLines(data: Uint8Array, keepLineEnds = false): string[] {
  const out = modelLineBytes(data, keepLineEnds).map((l) => decoder.decode(l));
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) out[0] = out[0]!.slice(1);
  return out;
}

export interface FrameFormat {
  lengthBytes: 1 | 2 | 4;
  littleEndian: boolean;
  maxFrameSize: number;
}

export type FrameOutcome =
  | { frames: Uint8Array[]; end: 'clean' }
  | { frames: Uint8Array[]; end: 'truncated'; received: number; expected: number | undefined }
  | { frames: Uint8Array[]; end: 'too-large'; size: number };

/** Parses length-prefixed frames from `data` the obvious way. */
export function modelFrames(data: Uint8Array, f: FrameFormat): FrameOutcome {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < f.lengthBytes) {
      return { frames, end: 'truncated', received: data.length - at, expected: undefined };
    }
    let size = 0;
    for (let k = 0; k < f.lengthBytes; k++) {
      const b = data[at + (f.littleEndian ? f.lengthBytes - 1 - k : k)]!;
      size = size * 256 + b;
    }
    if (size > f.maxFrameSize) return { frames, end: 'too-large', size };
    const total = f.lengthBytes + size;
    if (data.length - at < total) return { frames, end: 'truncated', received: data.length - at, expected: total };
    frames.push(data.slice(at + f.lengthBytes, at + total));
    at += total;
  }
  return { frames, end: 'clean' };
}

/** Encodes payloads as frames in format `f` (the inverse of {@link modelFrames}). */
export function encodeFrames(payloads: readonly Uint8Array[], f: Pick<FrameFormat, 'lengthBytes' | 'littleEndian'>): Uint8Array {
  let n = 0;
  for (const p of payloads) n += f.lengthBytes + p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of payloads) {
    let size = p.length;
    for (let k = f.lengthBytes - 1; k >= 0; k--) {
      out[at + (f.littleEndian ? f.lengthBytes - 1 - k : k)] = size & 0xff;
      size = Math.floor(size / 256);
    }
    out.set(p, at + f.lengthBytes);
    at += f.lengthBytes + p.length;
  }
  return out;
}
