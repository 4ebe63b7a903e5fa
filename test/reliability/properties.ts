/**
 * The differential properties, one function each, run over any source kind: the universal suite runs them
 * over the universal kinds, the Node suite over Node Readables, files and sockets. Universal module.
 */
import fc from 'fast-check';
import {
  FrameTooLargeError, TruncatedFrameError, forEachLine, frames, lineSequences, lines, readFrame, type FrameOptions,
} from '../../src/index.js';
import { equalBytes, within } from '../helpers.js';
import { encodeFrames, modelFrames, modelLineBytes, modelLines, type FrameFormat, type FrameOutcome } from './model.js';
import { chunkingArb, counter, params, readBytes, sameChunks, sameStrings, split, strategyArb, streamArb } from './fuzz-kit.js';
import { readerOf, type Made, type SourceKind } from './sources.js';
export const CI_RUNS = 25;
const LIMIT = 20_000;

async function noProducerError(made: Made): Promise<void> {
  const error = await made.producer;
  if (error !== undefined) throw new Error(`the producer failed: ${String(error)}`);
}

/** The bytes of any source, any strategy. */
export function bytesProperty(kind: SourceKind, runs = CI_RUNS) {
  return fc.assert(
    fc.asyncProperty(streamArb(), chunkingArb, strategyArb, async (data, sizes, strategy) => {
      counter.cases++;
      const made = await kind.make(split(data, sizes));
      const got = await within(readBytes(readerOf(made), strategy, data), LIMIT, `${kind.name} bytes`);
      await noProducerError(made);
      equalBytes(got, data);
    }),
    params(runs),
  );
}

/** lines() strings, with and without line ends. */
export function linesProperty(kind: SourceKind, runs = CI_RUNS) {
  return fc.assert(
    fc.asyncProperty(streamArb(), chunkingArb, fc.boolean(), async (data, sizes, keepLineEnds) => {
      counter.cases++;
      const made = await kind.make(split(data, sizes));
      const got: string[] = [];
      await within((async () => {
        for await (const line of lines(made.source, { keepLineEnds })) got.push(line);
      })(), LIMIT, `${kind.name} lines()`);
      await noProducerError(made);
      sameStrings(got, modelLines(data, keepLineEnds), `${kind.name} lines()`);
    }),
    params(runs),
  );
}

/** lineSequences() and forEachLine() bytes (no decoding: a BOM stays). */
export function lineBytesProperty(kind: SourceKind, runs = CI_RUNS) {
  return fc.assert(
    fc.asyncProperty(streamArb(), chunkingArb, fc.boolean(), fc.boolean(), async (data, sizes, keepLineEnds, each) => {
      counter.cases++;
      const made = await kind.make(split(data, sizes));
      const got: Uint8Array[] = [];
      await within((async () => {
        if (each) {
          const n = await forEachLine(made.source, (line) => void got.push(line.toUint8Array().slice()), { keepLineEnds });
          if (n !== got.length) throw new Error(`forEachLine resolved ${n} but called back ${got.length} times`);
        } else {
          for await (const line of lineSequences(made.source, { keepLineEnds })) got.push(line.toUint8Array().slice());
        }
      })(), LIMIT, `${kind.name} ${each ? 'forEachLine' : 'lineSequences'}`);
      await noProducerError(made);
      sameChunks(got, modelLineBytes(data, keepLineEnds), `${kind.name} ${each ? 'forEachLine' : 'lineSequences'}`);
    }),
    params(runs),
  );
}

const formatArb: fc.Arbitrary<FrameFormat> = fc.record({
  lengthBytes: fc.constantFrom(1 as const, 2 as const, 4 as const),
  littleEndian: fc.boolean(),
  maxFrameSize: fc.constantFrom(0, 3, 200, 70_000),
});

/** A framed stream: valid frames, then maybe a cut (truncation) or trailing garbage. */
const framedArb = formatArb.chain((format) =>
  fc.record({
    format: fc.constant(format),
    payloads: fc.array(fc.uint8Array({ maxLength: format.lengthBytes === 1 ? 255 : 600 }), { maxLength: 12 }),
    tail: fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }) }) },
    ),
  }).map(({ format, payloads, tail }) => {
    let data = encodeFrames(payloads, format);
    if (tail.kind === 'cut') data = data.subarray(0, Math.floor(data.length * tail.at));
    if (tail.kind === 'garbage') {
      const joined = new Uint8Array(data.length + tail.bytes.length);
      joined.set(data);
      joined.set(tail.bytes, data.length);
      data = joined;
    }
    return { format, data };
  }),
);

function checkFrames(what: string, got: Uint8Array[], error: unknown, want: FrameOutcome): void {
  sameChunks(got, want.frames, `${what} frames`);
  if (want.end === 'clean') {
    if (error !== undefined) throw new Error(`${what}: a clean stream ended with ${String(error)}`);
  } else if (want.end === 'too-large') {
    if (!(error instanceof FrameTooLargeError) || error.size !== want.size) throw new Error(`${what}: expected FrameTooLargeError(${want.size}), got ${String(error)}`);
  } else if (!(error instanceof TruncatedFrameError) || error.received !== want.received || error.expected !== want.expected) {
    throw new Error(`${what}: expected TruncatedFrameError(${want.received}, ${want.expected}), got ${String(error)}`);
  }
}

/** readFrame() in a loop and the frames() iterator give the model's frames and end. */
export function framesProperty(kind: SourceKind, runs = CI_RUNS) {
  return fc.assert(
    fc.asyncProperty(framedArb, chunkingArb, fc.boolean(), async ({ format, data }, sizes, iterate) => {
      counter.cases++;
      const made = await kind.make(split(data, sizes));
      const reader = readerOf(made);
      const options: FrameOptions = format;
      const got: Uint8Array[] = [];
      let error: unknown;
      await within((async () => {
        try {
          if (iterate) {
            for await (const frame of frames(reader, options)) got.push(frame.toUint8Array().slice());
          } else {
            for (let f; (f = await readFrame(reader, options)) !== null; ) got.push(f.toUint8Array());
          }
        } catch (e) {
          error = e;
        }
        await reader.complete();
      })(), LIMIT, `${kind.name} frames`);
      const producerError = await made.producer;
      // frames() completes the reader with a FrameTooLargeError, so the writer learns of it: only that one.
      if (producerError !== undefined && producerError !== error) throw new Error(`the producer failed: ${String(producerError)}`);
      checkFrames(`${kind.name} ${iterate ? 'frames()' : 'readFrame()'}`, got, error, modelFrames(data, format));
    }),
    params(runs),
  );
}

