import { ReadOnlySequence, describe } from '../buffers/sequence.js';
import { FrameTooLargeError } from '../errors.js';
import type { PipeWriter } from '../pipe/writer.js';
import type { FlushResult } from '../pipe/types.js';
import { layoutOf, writeLength, type FrameOptions } from './frame-options.js';

const encoder = new TextEncoder();
/** Largest block asked of the writer at once when copying a multi-segment payload. */
const COPY_BLOCK = 65536;

/**
 * Writes one length-prefixed frame (the prefix, then `payload`) and flushes it. A string is sent as
 * UTF-8; a `ReadOnlySequence` (e.g. a frame just read) is copied segment by segment.
 *
 * Rejects with a `RangeError` when the payload does not fit the length prefix (over 255 bytes for
 * `lengthBytes: 1`, 65535 for 2), and with `FrameTooLargeError` when it is over `maxFrameSize`; in both
 * cases nothing is written.
 *
 * @example
 * ```ts
 * const pipe = new Pipe();
 * await writeFrame(pipe.writer, 'hello');                 // 00 00 00 05 'hello'
 * await writeFrame(pipe.writer, new Uint8Array([1, 2]), { lengthBytes: 2 });
 * ```
 */
export async function writeFrame(
  writer: PipeWriter, payload: Uint8Array | ReadOnlySequence | string, options?: FrameOptions,
): Promise<FlushResult> {
  const layout = layoutOf(options, 'writeFrame()');
  const data = typeof payload === 'string' ? encoder.encode(payload) : payload;
  if (!(data instanceof Uint8Array) && !(data instanceof ReadOnlySequence)) {
    throw new TypeError(`writeFrame() takes a Uint8Array, a ReadOnlySequence or a string payload, got ${describe(payload)}.`);
  }
  const size = data.length;
  if (size > layout.maxLength) {
    throw new RangeError(
      `writeFrame(): a payload of ${size} bytes does not fit a ${layout.lengthBytes}-byte length prefix ` +
        `(at most ${layout.maxLength}). Use a larger lengthBytes or split the message.`,
    );
  }
  if (size > layout.maxFrameSize) throw new FrameTooLargeError(layout.maxFrameSize, size);

  const header = writer.getMemory(layout.lengthBytes);
  writeLength(header, size, layout);
  writer.advance(layout.lengthBytes);
  // write() copies the payload and flushes it together with the prefix advanced above.
  if (data instanceof Uint8Array) return writer.write(data, options);
  for (const chunk of data) {
    for (let offset = 0; offset < chunk.length; ) {
      const memory = writer.getMemory(Math.min(chunk.length - offset, COPY_BLOCK));
      const n = Math.min(memory.length, chunk.length - offset);
      memory.set(chunk.subarray(offset, offset + n));
      writer.advance(n);
      offset += n;
    }
  }
  return writer.flush(options);
}
