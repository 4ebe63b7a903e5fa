/**
 * The options shared by the framing helpers, and the length prefix they agree on.
 *
 * @module
 */
import type { SequenceReader } from '../buffers/reader.js';
import type { WaitOptions } from '../pipe/types.js';

/** Default {@link FrameOptions.maxFrameSize}: 16 MiB. */
export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
/** Default {@link FrameOptions.maxBufferedBytes}: 16 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * How frames are laid out: a length prefix of `lengthBytes` bytes (an unsigned integer, big-endian
 * unless `littleEndian`), then that many payload bytes. Pass the same options to both ends.
 *
 * @example
 * ```ts
 * const options: FrameOptions = { lengthBytes: 2, littleEndian: true, maxFrameSize: 4096 };
 * await writeFrame(pipe.writer, 'ping', options);
 * const frame = await readFrame(pipe.reader, options); // 'ping'
 * ```
 */
export interface FrameOptions extends WaitOptions {
  /** Size of the length prefix: 1, 2 or 4 bytes. Default 4. */
  lengthBytes?: 1 | 2 | 4;
  /** Whether the length prefix is little-endian. Default false (network order, big-endian). */
  littleEndian?: boolean;
  /**
   * Largest payload accepted, in bytes. A reader rejects a larger announced frame with
   * `FrameTooLargeError` as soon as it sees the header, before buffering the payload; `writeFrame`
   * refuses to send one. Default 16 MiB.
   */
  maxFrameSize?: number;
  /**
   * For `frames()` over a stream source (not a `PipeReader`, nor bytes already in memory): most bytes
   * the reader it creates may hold unconsumed (`BufferLimitError` beyond). Default 16 MiB, and never
   * below `maxFrameSize` plus the prefix whatever is given: a legal frame always fits.
   */
  maxBufferedBytes?: number;
}

/** @internal Validated options. */
export interface Layout {
  readonly lengthBytes: 1 | 2 | 4;
  readonly littleEndian: boolean;
  readonly maxFrameSize: number;
  /** Largest length the prefix can express. */
  readonly maxLength: number;
  /** Limit of a reader the helper creates: at least `maxFrameSize + lengthBytes`. */
  readonly maxBufferedBytes: number;
  readonly signal: AbortSignal | undefined;
}

/** @internal */
export function layoutOf(options: FrameOptions | undefined, what: string): Layout {
  const lengthBytes = options?.lengthBytes ?? 4;
  if (lengthBytes !== 1 && lengthBytes !== 2 && lengthBytes !== 4) {
    throw new RangeError(`${what}: lengthBytes must be 1, 2 or 4, got ${String(lengthBytes)}.`);
  }
  const maxFrameSize = options?.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  if (!Number.isInteger(maxFrameSize) || maxFrameSize < 0) {
    throw new RangeError(`${what}: maxFrameSize must be a non-negative integer, got ${String(maxFrameSize)}.`);
  }
  const requested = options?.maxBufferedBytes;
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 1)) {
    throw new RangeError(`${what}: maxBufferedBytes must be a positive integer, got ${String(requested)}.`);
  }
  return {
    lengthBytes,
    littleEndian: options?.littleEndian === true,
    maxFrameSize,
    maxLength: lengthBytes === 4 ? 0xffffffff : lengthBytes === 2 ? 0xffff : 0xff,
    maxBufferedBytes: Math.max(requested ?? DEFAULT_MAX_BUFFERED_BYTES, maxFrameSize + lengthBytes),
    signal: options?.signal,
  };
}

/**
 * @internal Reads a length prefix; -1 (and the reader not moved) when fewer than `lengthBytes` bytes
 * remain.
 */
export function readLength(reader: SequenceReader, layout: Layout): number {
  const n =
    layout.lengthBytes === 4
      ? reader.tryReadUint32(layout.littleEndian)
      : layout.lengthBytes === 2
        ? reader.tryReadUint16(layout.littleEndian)
        : reader.tryReadUint8();
  return n === undefined ? -1 : n;
}

/** @internal Writes `length` as a prefix into `target[0, lengthBytes)`. */
export function writeLength(target: Uint8Array, length: number, layout: Layout): void {
  const n = layout.lengthBytes;
  for (let k = 0; k < n; k++) {
    const shift = 8 * (layout.littleEndian ? k : n - 1 - k);
    target[k] = (length >>> shift) & 0xff;
  }
}
