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
export { createDuplexPipe, createDuplexPipePair, type DuplexPipe, type DuplexPipeOptions, type WebDuplexLike } from './pipe/duplex.js';
export type { PipeSource, StreamPipeReaderOptions } from './adapters/source.js';
export type { PipeSink, StreamPipeWriterOptions } from './adapters/sink.js';
export type { ReaderStreamOptions } from './adapters/readable-stream.js';
export type { WriterStreamOptions } from './adapters/writable-stream.js';
export type { CopyDestination, CopyToOptions } from './adapters/copy.js';
export type { NodeReadableLike, NodeWritableLike, NodeDuplexLike, WebReadableLike, WebWritableLike } from './adapters/shapes.js';
export { writeFrame } from './framing/write-frame.js';
export { readFrame, frames, type FrameSource } from './framing/read-frame.js';
export type { FrameOptions } from './framing/frame-options.js';
export { lines } from './text/lines.js';
export { lineSequences } from './text/line-sequences.js';
export { forEachLine } from './text/for-each-line.js';
export type { LineOptions, LineSource } from './text/line-options.js';
