// A consumer of the packed io-pipelines: compiled by test/runtimes/packaging.test.ts with
// moduleResolution node16 and bundler. It uses every public export of both entries (the test checks),
// so the types users see are exercised as users would write them.
import {
  BufferLimitError, BufferPool, FrameTooLargeError, InvalidOperationError, LineTooLongError, Pipe, PipeReader,
  PipeWriter, PipelinesError, ReadOnlySequence, SequencePosition, SequenceReader, ServerClosedError,
  TruncatedFrameError, createDuplexPipe, createDuplexPipePair, forEachLine, frames, lineSequences, lines,
  readFrame, writeFrame,
  type BufferPoolOptions, type CopyDestination, type CopyToOptions, type DecodeOptions, type DuplexPipe,
  type DuplexPipeOptions, type FlushResult, type FrameOptions, type FrameSource, type LineOptions, type LineSource,
  type NodeDuplexLike, type NodeReadableLike, type NodeWritableLike, type PipeOptions, type PipeSink,
  type PipeSource, type ReadResult, type ReadToOptions, type ReaderStreamOptions, type StreamPipeReaderOptions,
  type StreamPipeWriterOptions, type WaitOptions, type WebDuplexLike, type WebReadableLike,
  type WebWritableLike, type WriterStreamOptions,
} from 'io-pipelines';
import {
  NamedPipeConnection, NamedPipeServer, connectNamedPipe, namedPipePath, openFifo, openFile, toNodeDuplex,
  toNodeReadable, toNodeWritable,
  type AcceptOptions, type CloseOptions, type ConnectNamedPipeOptions, type NamedPipeConnectionOptions,
  type NamedPipePathOptions, type NamedPipeServerOptions, type NodeDuplexOptions, type NodeReadableOptions,
  type NodeWritableOptions, type OpenFifoReaderOptions, type OpenFifoWriterOptions, type OpenFileOptions,
} from 'io-pipelines/node';
import * as node from 'io-pipelines/node';
import { createReadStream, createWriteStream } from 'node:fs';
import { Socket } from 'node:net';

// --- The core: a pipe, parsed in place -------------------------------------------------------------
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
  new SequenceReader(sequence).tryReadTo(3, to);
  return sequence.indexOf(new Uint8Array([2, 3])) + sequence.toString('utf-8', decode).length;
}

// --- Adapters: streams in, streams out ------------------------------------------------------------
export async function adapters(response: Response, socket: Socket): Promise<void> {
  const body: WebReadableLike = response.body!;
  const source: PipeSource = body;
  const readerOptions: StreamPipeReaderOptions = { leaveOpen: false, bufferSize: 65536, minimumReadSize: 1024, pool };
  const fromWeb = PipeReader.create(source, readerOptions);
  const fromNode = PipeReader.create(createReadStream('in.bin') satisfies NodeReadableLike);

  const nodeSink: NodeWritableLike = createWriteStream('out.bin');
  const sink: PipeSink = nodeSink;
  const writerOptions: StreamPipeWriterOptions = { minimumBufferSize: 4096, pool };
  const toFile = PipeWriter.create(sink, writerOptions);

  const destination: CopyDestination = toFile;
  const copyOptions: CopyToOptions = { signal: AbortSignal.timeout(10_000) };
  await fromWeb.copyTo(destination, copyOptions);

  const streamOptions: ReaderStreamOptions = { leaveOpen: true };
  const readable: ReadableStream<Uint8Array> = fromNode.asStream(streamOptions);
  const writeOptions: WriterStreamOptions = { leaveOpen: false };
  const web: WebWritableLike = new Pipe().writer.asStream(writeOptions);
  await readable.pipeTo(web as WritableStream<Uint8Array>);

  const duplexOptions: DuplexPipeOptions = { leaveOpen: false };
  const nodeDuplex: NodeDuplexLike = socket;
  const overSocket: DuplexPipe = createDuplexPipe(nodeDuplex, duplexOptions);
  const webDuplex: WebDuplexLike = new TransformStream<Uint8Array, Uint8Array>();
  const overWeb: DuplexPipe = createDuplexPipe(webDuplex);
  const [client, server] = createDuplexPipePair(options);
  await client.output.write(new Uint8Array([1]));
  await Promise.all([overSocket.input.complete(), overWeb.output.complete(), server.input.complete()]);
}

// --- Lines ----------------------------------------------------------------------------------------
export async function text(): Promise<number> {
  const lineOptions: LineOptions = { encoding: 'utf-8', maxLineLength: 1 << 20, onLongLine: 'split', keepLineEnds: false };
  const source: LineSource = new TextEncoder().encode('a\nb\r\nc');
  let n = 0;
  for await (const line of lines(source, lineOptions)) n += line.length;
  for await (const sequence of lineSequences(ReadOnlySequence.from(new TextEncoder().encode('x\ny')))) n += sequence.length;
  n += await forEachLine(createReadStream('big.log'), (line: ReadOnlySequence) => void line.length);
  return n;
}

// --- Frames ---------------------------------------------------------------------------------------
export async function framing(): Promise<void> {
  const frameOptions: FrameOptions = { lengthBytes: 2, littleEndian: true, maxFrameSize: 1024 };
  const p = new node.Pipe();
  await writeFrame(p.writer, new TextEncoder().encode('ping'), frameOptions);
  await p.writer.complete();
  const first: ReadOnlySequence | null = await readFrame(p.reader, frameOptions);
  for await (const frame of frames(p.reader, frameOptions)) void frame.length;
  const socketFrames: FrameSource = createReadStream('frames.bin');
  for await (const frame of frames(socketFrames, frameOptions)) void frame.length;
  void first;
}

// --- Node: files, Node streams, named pipes, FIFOs ------------------------------------------------
export async function nodeOnly(): Promise<void> {
  const fileOptions: OpenFileOptions = { readSize: 1 << 20, pool };
  const file: PipeReader = openFile('big.log', fileOptions);
  const readableOptions: NodeReadableOptions = { highWaterMark: 65536 };
  toNodeReadable(file, readableOptions).pipe(process.stdout);
  const writableOptions: NodeWritableOptions = { highWaterMark: 65536 };
  process.stdin.pipe(toNodeWritable(PipeWriter.create(process.stdout, { leaveOpen: true }), writableOptions));

  const pathOptions: NamedPipePathOptions = { platform: 'linux', tmpdir: '/tmp' };
  const path: string = namedPipePath('demo', pathOptions);
  const connectionOptions: NamedPipeConnectionOptions = { bufferSize: 65536 };
  const serverOptions: NamedPipeServerOptions = { currentUserOnly: true, maxConnections: 8, backlog: 16, pipeOptions: connectionOptions };
  const server: NamedPipeServer = await NamedPipeServer.listen(path, serverOptions);
  const connectOptions: ConnectNamedPipeOptions = { timeout: 5000, pipeOptions: connectionOptions };
  const client: NamedPipeConnection = await connectNamedPipe(path, connectOptions);
  const acceptOptions: AcceptOptions = { timeout: 5000 };
  const connection = await server.accept(acceptOptions);
  const duplexOptions: NodeDuplexOptions = { readableHighWaterMark: 65536, writableHighWaterMark: 65536 };
  toNodeDuplex(connection, duplexOptions).end();
  await client.close();
  const closeOptions: CloseOptions = { timeout: 1000 };
  await server.close(closeOptions);

  const fifoReadOptions: OpenFifoReaderOptions = { reopen: true };
  const fifoIn: PipeReader = await openFifo('/tmp/in.fifo', 'r', fifoReadOptions);
  const fifoWriteOptions: OpenFifoWriterOptions = { timeout: 5000 };
  const fifoOut: PipeWriter = await openFifo('/tmp/out.fifo', 'w', fifoWriteOptions);
  await fifoIn.copyTo(fifoOut);
}

export function classify(error: unknown): string {
  if (error instanceof LineTooLongError || error instanceof BufferLimitError) return 'too long';
  if (error instanceof FrameTooLargeError || error instanceof TruncatedFrameError) return 'bad frame';
  if (error instanceof ServerClosedError) return 'closed';
  if (error instanceof InvalidOperationError) return 'misuse';
  if (error instanceof PipelinesError) return error.code;
  return 'other';
}
