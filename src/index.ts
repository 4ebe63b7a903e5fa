/**
 * io-pipelines: System.IO.Pipelines for JavaScript. This entry is universal (no Node built-ins): it runs
 * in Node, Deno, Bun and browsers. Node-only additions are in `io-pipelines/node`.
 *
 * @module
 */
export { InvalidOperationError, BufferLimitError, LineTooLongError, FrameTooLargeError, TruncatedFrameError, ServerClosedError, PipelinesError } from './errors.js';
export { SequencePosition } from './buffers/position.js';
export { ReadOnlySequence, type DecodeOptions } from './buffers/sequence.js';
export { SequenceReader, type ReadToOptions } from './buffers/reader.js';
export { BufferPool, type BufferPoolOptions } from './buffers/pool.js';
export { Pipe } from './pipe/pipe.js';
export { PipeReader } from './pipe/reader.js';
export { PipeWriter } from './pipe/writer.js';
export type { ReadResult, FlushResult, PipeOptions, WaitOptions } from './pipe/types.js';
export { writeFrame } from './framing/write-frame.js';
export { readFrame, frames } from './framing/read-frame.js';
export type { FrameOptions } from './framing/frame-options.js';
