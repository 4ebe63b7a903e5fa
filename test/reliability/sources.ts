/**
 * Every universal kind of reader source, built from the same chunks: a Pipe's writer, a Uint8Array, a
 * ReadOnlySequence, an Iterable, an AsyncIterable, and WHATWG ReadableStreams (native default and byte
 * streams, and web-streams-polyfill's). The differential tests run the same properties over each.
 * Universal: no `node:` imports (the Node kinds are in test/node/reliability-*.test.ts).
 */
import { ReadableStream as PolyfillReadableStream } from 'web-streams-polyfill';
import { Pipe, PipeReader, ReadOnlySequence, type LineSource } from '../../src/index.js';
import { concat } from '../helpers.js';

/** A source made from chunks: what to hand to `lines()`/`PipeReader.create()`, and its producer, if any. */
export interface Made {
  source: LineSource;
  /**
   * Settles when a producer (the Pipe's writer) is done, with the error its write or complete rejected
   * with (a reader completed with an error makes the writer's flush reject with it), else undefined.
   */
  producer: Promise<unknown>;
}

export interface SourceKind {
  name: string;
  /** Whether the kind keeps the chunking (a Uint8Array is one chunk whatever the chunks were). */
  chunked: boolean;
  make(chunks: Uint8Array[]): Made | Promise<Made>;
}

const none = Promise.resolve(undefined);

/** At most `max` chunks: neighbours are joined when there are more. */
function coalesce(chunks: Uint8Array[], max: number): Uint8Array[] {
  if (chunks.length <= max) return chunks;
  const per = Math.ceil(chunks.length / max);
  const out: Uint8Array[] = [];
  for (let i = 0; i < chunks.length; i += per) out.push(concat(chunks.slice(i, i + per)));
  return out;
}

/** Pulls one chunk per `pull()`: a stream that is as lazy as its consumer. */
function pullSource(chunks: Uint8Array[], copy: boolean, skipEmpty: boolean) {
  let i = 0;
  return {
    pull(controller: ReadableStreamDefaultController<Uint8Array>) {
      while (i < chunks.length && skipEmpty && chunks[i]!.length === 0) i++;
      if (i === chunks.length) controller.close();
      // A byte stream transfers (detaches) what is enqueued: give it its own copy, never the test's input.
      else controller.enqueue(copy ? chunks[i++]!.slice() : chunks[i++]!);
    },
  };
}

export const universalKinds: SourceKind[] = [
  {
    name: 'Pipe writer',
    chunked: true,
    make(chunks) {
      // Small thresholds and segments: backpressure and seams on every few bytes.
      const pipe = new Pipe({ pauseWriterThreshold: 64, minimumSegmentSize: 16 });
      const producer = (async () => {
        try {
          for (const chunk of chunks) if ((await pipe.writer.write(chunk)).isCompleted) break;
        } catch (error) {
          await pipe.writer.complete();
          return error;
        }
        await pipe.writer.complete();
        return undefined;
      })();
      return { source: pipe.reader, producer };
    },
  },
  { name: 'Uint8Array', chunked: false, make: (chunks) => ({ source: concat(chunks), producer: none }) },
  {
    name: 'ReadOnlySequence',
    chunked: true,
    // from(...chunks) spreads its arguments: hundreds of thousands of 1-byte chunks would overflow the
    // engine's argument limit (the caller's problem, not the sequence's), so very long lists are coalesced.
    make: (chunks) => ({ source: ReadOnlySequence.from(...coalesce(chunks, 20_000)), producer: none }),
  },
  {
    name: 'Iterable',
    chunked: true,
    make: (chunks) => ({
      source: (function* () {
        yield* chunks;
      })(),
      producer: none,
    }),
  },
  {
    name: 'AsyncIterable',
    chunked: true,
    make: (chunks) => ({
      source: (async function* () {
        for (const c of chunks) yield c;
      })(),
      producer: none,
    }),
  },
  {
    name: 'ReadableStream (native)',
    chunked: true,
    make: (chunks) => ({ source: new ReadableStream<Uint8Array>(pullSource(chunks, false, false), { highWaterMark: 0 }), producer: none }),
  },
  {
    name: 'ReadableStream type bytes (native)',
    chunked: true,
    make: (chunks) => ({
      source: new ReadableStream({ type: 'bytes', ...pullSource(chunks, true, true) } as UnderlyingByteSource),
      producer: none,
    }),
  },
  {
    name: 'ReadableStream (web-streams-polyfill)',
    chunked: true,
    make: (chunks) => ({
      source: new PolyfillReadableStream<Uint8Array>(pullSource(chunks, false, false), { highWaterMark: 0 }) as unknown as LineSource,
      producer: none,
    }),
  },
];

/** The `PipeReader` for a made source: a Pipe's reader as it is, anything else through `PipeReader.create`. */
export function readerOf(made: Made, options?: Parameters<typeof PipeReader.create>[1]): PipeReader {
  return made.source instanceof PipeReader ? made.source : PipeReader.create(made.source as Parameters<typeof PipeReader.create>[0], options);
}
