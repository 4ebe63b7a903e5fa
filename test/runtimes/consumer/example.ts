// A consumer of the packed io-pipelines: compiled by test/runtimes/packaging.test.ts with
// moduleResolution node16 and bundler. It must use every public export of both entries (the test
// checks), so the types users see are exercised as users would write them.
import {
  BufferLimitError, BufferPool, FrameTooLargeError, InvalidOperationError, LineTooLongError, Pipe, PipeReader,
  PipeWriter, PipelinesError, ReadOnlySequence, SequencePosition, SequenceReader, ServerClosedError,
  TruncatedFrameError, frames, readFrame, writeFrame,
  type BufferPoolOptions, type DecodeOptions, type FlushResult, type FrameOptions, type PipeOptions,
  type ReadResult, type ReadToOptions, type WaitOptions,
} from 'io-pipelines';
import * as node from 'io-pipelines/node';

const poolOptions: BufferPoolOptions = {};
const pool: BufferPool = new BufferPool(poolOptions);
const options: PipeOptions = { pauseWriterThreshold: 1 << 16, resumeWriterThreshold: 1 << 15, minimumSegmentSize: 4096, pool };
const pipe = new Pipe(options);
const reader: PipeReader = pipe.reader;
const writer: PipeWriter = pipe.writer;
const wait: WaitOptions = { signal: AbortSignal.timeout(1000) };

export async function parseLines(): Promise<string[]> {
  const flushed: FlushResult = await writer.write(new TextEncoder().encode('alpha\r\nbravo\nchar'));
  if (flushed.isCompleted) return [];
  await writer.complete();
  const out: string[] = [];
  for (;;) {
    const result: ReadResult = await reader.read(wait);
    const cursor = new SequenceReader(result.buffer);
    for (let line; (line = cursor.tryReadLine()) !== undefined; ) out.push(line.toString());
    const position: SequencePosition = cursor.position;
    if (result.isCompleted) {
      if (!cursor.end) out.push(cursor.unreadSequence.toString());
      break;
    }
    reader.advanceTo(position, result.buffer.end);
  }
  await reader.complete();
  return out;
}

export function searching(): number {
  const sequence = ReadOnlySequence.from(new Uint8Array([1, 2]), new Uint8Array([3, 4]));
  const decode: DecodeOptions = { fatal: false };
  const to: ReadToOptions = { escape: 0x5c, advancePastDelimiter: true };
  const cursor = new SequenceReader(sequence);
  cursor.tryReadTo(3, to);
  return sequence.indexOf(new Uint8Array([2, 3])) + sequence.toString('utf-8', decode).length;
}

export async function framing(): Promise<void> {
  const frameOptions: FrameOptions = { lengthBytes: 2, littleEndian: true, maxFrameSize: 1024 };
  const p = new node.Pipe();
  await writeFrame(p.writer, new TextEncoder().encode('ping'), frameOptions);
  await p.writer.complete();
  const first: ReadOnlySequence | null = await readFrame(p.reader, frameOptions);
  for await (const frame of frames(p.reader, frameOptions)) void frame.length;
  void first;
}

export function classify(error: unknown): string {
  if (error instanceof LineTooLongError || error instanceof BufferLimitError) return 'too long';
  if (error instanceof FrameTooLargeError || error instanceof TruncatedFrameError) return 'bad frame';
  if (error instanceof ServerClosedError) return 'closed';
  if (error instanceof InvalidOperationError) return 'misuse';
  if (error instanceof PipelinesError) return error.code;
  return 'other';
}
