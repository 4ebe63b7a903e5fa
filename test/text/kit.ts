/**
 * Shared by the line suites (universal: no node: imports). A reference model of lines over one flat
 * byte array, the source kinds every scenario runs against, and collectors for the three helpers.
 */
import * as assert from 'uvu/assert';
import {
  BufferPool, Pipe, ReadOnlySequence, type PipeReader, forEachLine, lineSequences, lines,
  type LineOptions,
} from '../../src/index.js';
import { concat } from '../helpers.js';

export const dec = new TextDecoder();
const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });

/** The lines of `data` as a simple model sees them: `\n` or `\r\n` end a line, a last unended line counts. */
export function modelLines(data: Uint8Array, keepLineEnds = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 10) continue;
    const end = keepLineEnds ? i + 1 : i > start && data[i - 1] === 13 ? i - 1 : i;
    out.push(data.subarray(start, end));
    start = i + 1;
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}

/** The model's lines decoded as `lines()` decodes them (non-fatal UTF-8, a leading BOM dropped). */
export function modelStrings(data: Uint8Array, keepLineEnds = false): string[] {
  const out = modelLines(data, keepLineEnds).map((l) => keepBom.decode(l));
  if (out.length > 0 && out[0]!.charCodeAt(0) === 0xfeff) out[0] = out[0]!.slice(1);
  return out;
}

/** A source kind: builds a fresh source over `chunks`. */
export interface SourceKind {
  name: string;
  make(chunks: readonly Uint8Array[]): Parameters<typeof lines>[0];
}

/** Every universal source kind: iterables, WHATWG streams, a Pipe's reader fed chunk by chunk, a sequence. */
export const SOURCE_KINDS: readonly SourceKind[] = [
  { name: 'Iterable', make: (chunks) => [...chunks] },
  {
    name: 'AsyncIterable',
    make: (chunks) => (async function* () {
      for (const c of chunks) yield c;
    })(),
  },
  {
    name: 'ReadableStream',
    make: (chunks) => {
      let k = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (k < chunks.length) controller.enqueue(chunks[k++]!);
          else controller.close();
        },
      });
    },
  },
  { name: 'Pipe reader', make: (chunks) => pipeReaderOver(chunks) },
  // All chunks at once, one segment each: buffers of many segments.
  { name: 'ReadOnlySequence', make: (chunks) => ReadOnlySequence.from(...chunks) },
];

/** A Pipe (on a private pool) whose writer writes and flushes each chunk, then completes. */
export function pipeReaderOver(chunks: readonly Uint8Array[], pool = new BufferPool()): PipeReader {
  const pipe = new Pipe({ pool, pauseWriterThreshold: 0 });
  void (async () => {
    for (const c of chunks) {
      const r = await pipe.writer.write(c);
      if (r.isCompleted) break;
    }
    await pipe.writer.complete();
  })();
  return pipe.reader;
}

/** Collects `lines()`. */
export async function viaLines(source: Parameters<typeof lines>[0], options?: LineOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines(source, options)) out.push(line);
  return out;
}

/** Collects `lineSequences()`, copying each line before the next is asked for. */
export async function viaSequences(source: Parameters<typeof lines>[0], options?: LineOptions): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const line of lineSequences(source, options)) out.push(line.toUint8Array().slice());
  return out;
}

/** Collects `forEachLine()`, checking the count it resolves with. */
export async function viaForEach(source: Parameters<typeof lines>[0], options?: LineOptions): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const count = await forEachLine(source, (line) => out.push(line.toUint8Array().slice()), options);
  assert.is(count, out.length, 'forEachLine resolves with the number of lines');
  return out;
}

/** Asserts two lists of byte lines are equal, saying where they first differ. */
export function equalLines(actual: readonly Uint8Array[], expected: readonly Uint8Array[], what: string): void {
  const show = (ls: readonly Uint8Array[]) => JSON.stringify(ls.map((l) => dec.decode(l)));
  if (actual.length !== expected.length) {
    assert.unreachable(`${what}: ${actual.length} lines, expected ${expected.length}: ${show(actual)} vs ${show(expected)}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a.length !== e.length || a.some((b, k) => b !== e[k])) {
      assert.unreachable(`${what}: line ${i} is ${show([a])}, expected ${show([e])}`);
    }
  }
}

/** Every way to cut `data` in two, and in three (all pairs of cut points when `triples`). */
export function* seams(data: Uint8Array, triples = true): Generator<Uint8Array[]> {
  yield [data];
  for (let a = 1; a < data.length; a++) yield [data.subarray(0, a), data.subarray(a)];
  if (!triples) return;
  for (let a = 1; a < data.length; a++) {
    for (let b = a + 1; b < data.length; b++) yield [data.subarray(0, a), data.subarray(a, b), data.subarray(b)];
  }
}

/** One-byte chunks. */
export function bytewise(data: Uint8Array): Uint8Array[] {
  return Array.from(data, (_, i) => data.subarray(i, i + 1));
}

/** Joins byte lines back into one array (for checks on split pieces). */
export function joined(parts: readonly Uint8Array[]): Uint8Array {
  return concat(parts as Uint8Array[]);
}

