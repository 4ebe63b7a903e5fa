/**
 * Named error classes. Each has a stable `name` and `code` so callers can branch on them without
 * `instanceof` across realms or duplicated package copies.
 *
 * @module
 */

/** Base of the library's errors: carries a stable `code`. */
export class PipelinesError extends Error {
  /** A stable, machine-readable code such as `ERR_INVALID_OPERATION`. */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A method was called in a state that does not allow it: reading twice without `advanceTo`, using a
 * buffer after it was released, writing after `complete()`. The message says what to do instead.
 *
 * @example
 * ```ts
 * try { await reader.read(); await reader.read(); }
 * catch (e) { if (e instanceof InvalidOperationError) console.error(e.message); }
 * ```
 */
export class InvalidOperationError extends PipelinesError {
  override readonly name = 'InvalidOperationError';
  constructor(message: string) {
    super(message, 'ERR_INVALID_OPERATION');
  }
}

/**
 * More bytes were buffered than `maxBufferedBytes` allows: the reader examined everything but consumed
 * nothing, so the pipe could not apply backpressure. Raised by the reader's `read()`; the writer then
 * sees `isCompleted`.
 */
export class BufferLimitError extends PipelinesError {
  override readonly name = 'BufferLimitError';
  /** The configured limit, in bytes. */
  readonly limit: number;
  constructor(limit: number, buffered: number) {
    super(
      `${buffered} bytes are buffered but unconsumed, over maxBufferedBytes (${limit}). The reader examined ` +
        `the data without consuming it: consume what you parsed with advanceTo(), or raise maxBufferedBytes.`,
      'ERR_BUFFER_LIMIT',
    );
    this.limit = limit;
  }
}

/** A line was longer than `maxLineLength` (and `onLongLine` was `'error'`). */
export class LineTooLongError extends PipelinesError {
  override readonly name = 'LineTooLongError';
  /** The configured limit, in bytes. */
  readonly limit: number;
  /** Byte offset in the input where the long line starts. */
  readonly offset: number;
  constructor(limit: number, offset: number) {
    super(
      `A line starting at byte offset ${offset} is longer than maxLineLength (${limit} bytes). Raise ` +
        `maxLineLength, or pass onLongLine: 'skip' or 'split' to tolerate such lines.`,
      'ERR_LINE_TOO_LONG',
    );
    this.limit = limit;
    this.offset = offset;
  }
}

/** A frame header announced a payload larger than `maxFrameSize`; nothing of it was buffered. */
export class FrameTooLargeError extends PipelinesError {
  override readonly name = 'FrameTooLargeError';
  readonly limit: number;
  readonly size: number;
  constructor(limit: number, size: number) {
    super(
      `A frame of ${size} bytes exceeds maxFrameSize (${limit} bytes). The peer sent a frame larger ` +
        `than allowed (or is not speaking this framing); raise maxFrameSize if such frames are expected.`,
      'ERR_FRAME_TOO_LARGE',
    );
    this.limit = limit;
    this.size = size;
  }
}

/** The input ended inside a frame: the peer closed (or died) mid-message. */
export class TruncatedFrameError extends PipelinesError {
  override readonly name = 'TruncatedFrameError';
  /** Bytes of the frame (header included) that did arrive. */
  readonly received: number;
  /** Bytes the frame needed (header included), when the header was complete. */
  readonly expected: number | undefined;
  constructor(received: number, expected?: number) {
    super(
      `The input ended inside a frame: ${received} of ${expected ?? 'an unknown number of'} bytes arrived. ` +
        `The peer closed the connection mid-message; the partial frame was discarded.`,
      'ERR_TRUNCATED_FRAME',
    );
    this.received = received;
    this.expected = expected;
  }
}

/** The server was closed while waiting for (or before) an `accept()`. */
export class ServerClosedError extends PipelinesError {
  override readonly name = 'ServerClosedError';
  constructor(message = 'The server is closed: it accepts no more connections.') {
    super(message, 'ERR_SERVER_CLOSED');
  }
}

/** A `DOMException` named `TimeoutError`, the standard type for an operation that ran out of time. */
export function timeoutError(message: string): DOMException {
  return new DOMException(message, 'TimeoutError');
}

/** A `DOMException` named `AbortError`, what an aborted signal without an explicit reason carries. */
export function abortError(message = 'The operation was aborted.'): DOMException {
  return new DOMException(message, 'AbortError');
}
