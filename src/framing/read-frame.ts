import { ReadOnlySequence } from '../buffers/sequence.js';
import { SequenceReader } from '../buffers/reader.js';
import { FrameTooLargeError, TruncatedFrameError } from '../errors.js';
import { PipeReader } from '../pipe/reader.js';
import type { ReadResult } from '../pipe/types.js';
import type { PipeSource } from '../adapters/source.js';
import { layoutOf, readLength, type FrameOptions, type Layout } from './frame-options.js';

/**
 * Reads one length-prefixed frame. Resolves its payload as a `ReadOnlySequence` that owns its bytes
 * (a copy: it stays valid after later reads), with the reader advanced past the frame; or `null` at a
 * clean end of input (or when the read was ended by `cancelPendingRead()`; a partial frame then stays
 * buffered for the next call).
 *
 * Rejects with `FrameTooLargeError` when a header announces more than `maxFrameSize` (before the payload
 * is buffered), and with `TruncatedFrameError` when the input ends inside a frame. The reader is not
 * completed: that stays the caller's job.
 *
 * @example
 * ```ts
 * for (let frame; (frame = await readFrame(connection.input)) !== null; ) {
 *   console.log(frame.toString());
 * }
 * await connection.input.complete();
 * ```
 */
export async function readFrame(reader: PipeReader, options?: FrameOptions): Promise<ReadOnlySequence | null> {
  const layout = layoutOf(options, 'readFrame()');
  const wait = { signal: layout.signal };
  let needed = 0;
  for (;;) {
    // Once the header is known, wait for the whole frame at once (this also lets a writer paused at a
    // smaller threshold go on: no deadlock for frames larger than the pipe's pause threshold).
    const result = needed > 0 ? await reader.readAtLeast(needed, wait) : await reader.read(wait);
    const buffer = result.buffer;
    const cursor = new SequenceReader(buffer);
    const size = readLength(cursor, layout);
    if (size >= 0) {
      if (size > layout.maxFrameSize) {
        reader.advanceTo(buffer.start, buffer.end);
        throw new FrameTooLargeError(layout.maxFrameSize, size);
      }
      const payload = cursor.tryReadExact(size);
      if (payload !== undefined) {
        const copy = new Uint8Array(size);
        payload.copyTo(copy);
        reader.advanceTo(cursor.position);
        return ReadOnlySequence.from(copy);
      }
      needed = layout.lengthBytes + size;
    }
    if (result.isCompleted) {
      reader.advanceTo(buffer.end);
      if (buffer.length === 0) return null;
      throw new TruncatedFrameError(buffer.length, size >= 0 ? needed : undefined);
    }
    reader.advanceTo(buffer.start, buffer.end);
    if (result.isCanceled) return null;
  }
}

/** What {@link frames} reads: a `PipeReader`, or anything `PipeReader.create()` takes. */
export type FrameSource = PipeReader | PipeSource;

/**
 * The frames of `source`, as zero-copy slices of the read buffer: each payload is valid until the loop
 * takes its next step (copy it with `toUint8Array().slice()` to keep it). Ending the loop — at the end
 * of input, by `break`, by an exception, or after `cancelPendingRead()` — completes the reader (for a
 * stream source, the reader made for it with `PipeReader.create()`, which destroys the stream).
 *
 * `source` is a `PipeReader` (a connection's `input`), or a Node `Readable` such as a socket, a WHATWG
 * `ReadableStream`, an (async) iterable of `Uint8Array`, or bytes.
 *
 * Throws `FrameTooLargeError` when a header announces more than `maxFrameSize` (the reader is then
 * completed with that error, so the writer learns of it) and `TruncatedFrameError` when the input ends
 * inside a frame (never a partial message).
 *
 * @example
 * ```ts
 * for await (const frame of frames(connection.input, { maxFrameSize: 1 << 20 })) {
 *   await writeFrame(connection.output, frame); // echo it: copied before the next step
 * }
 * ```
 */
export function frames(source: FrameSource, options?: FrameOptions): AsyncIterable<ReadOnlySequence> {
  const layout = layoutOf(options, 'frames()');
  return { [Symbol.asyncIterator]: () => iterate(openReader(source, layout), layout) };
}

function openReader(source: FrameSource, layout: Layout): PipeReader {
  if (source instanceof PipeReader) return source;
  // Bytes already in memory cost nothing more to hold: a limit would only reject a big input.
  const inMemory = source instanceof Uint8Array || source instanceof ReadOnlySequence;
  return PipeReader.create(source, inMemory ? undefined : { maxBufferedBytes: layout.maxBufferedBytes });
}

async function* iterate(reader: PipeReader, layout: Layout): AsyncGenerator<ReadOnlySequence, void, undefined> {
  const wait = { signal: layout.signal };
  let fault: FrameTooLargeError | undefined;
  try {
    let needed = 0;
    for (;;) {
      const result: ReadResult = needed > 0 ? await reader.readAtLeast(needed, wait) : await reader.read(wait);
      const buffer = result.buffer;
      const cursor = new SequenceReader(buffer);
      needed = 0;
      // Every whole frame in this buffer is handed out before the buffer is advanced: one read per batch.
      for (;;) {
        const size = readLength(cursor, layout);
        if (size < 0) break;
        if (size > layout.maxFrameSize) throw (fault = new FrameTooLargeError(layout.maxFrameSize, size));
        const payload = cursor.tryReadExact(size);
        if (payload === undefined) {
          cursor.rewind(layout.lengthBytes);
          needed = layout.lengthBytes + size;
          break;
        }
        yield payload;
      }
      if (result.isCompleted) {
        if (!cursor.end) throw new TruncatedFrameError(cursor.remaining, needed > 0 ? needed : undefined);
        return;
      }
      if (result.isCanceled) return;
      reader.advanceTo(cursor.position, buffer.end);
    }
  } finally {
    await (fault === undefined ? reader.complete() : reader.complete(fault));
  }
}
