/**
 * Handing bytes of a read buffer to someone who keeps them past `advanceTo()` (a stream's queue, a sink
 * that writes later). Pooled pipe memory is reused once consumed, so it is copied; a chunk a source
 * yielded (not pooled) is never written to again and is handed over as it is, without a copy.
 *
 * @module
 */
import type { ReadOnlySequence } from '../buffers/sequence.js';

/**
 * Calls `each(view, pooled)` for every segment view of `buffer`, in order. `pooled` says whether the
 * view's memory goes back to a pool (and is reused) once consumed.
 */
export function forEachSegment(buffer: ReadOnlySequence, each: (view: Uint8Array, pooled: boolean) => void): void {
  buffer._check();
  const end = buffer._endSeg;
  let seg = buffer._startSeg;
  let start = buffer._startIdx;
  for (;;) {
    const data = seg.data;
    const stop = seg === end ? buffer._endIdx : data.length;
    if (stop > start) each(start === 0 && stop === data.length ? data : data.subarray(start, stop), seg.pooled);
    if (seg === end) return;
    seg = seg.next!;
    start = 0;
  }
}

/**
 * The bytes of `buffer` as chunks that stay valid after `advanceTo()`: source chunks as they are, runs of
 * pooled memory copied into one fresh array each.
 */
export function detachedChunks(buffer: ReadOnlySequence): Uint8Array[] {
  const out: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const endRun = (): void => {
    if (runBytes === 0) return;
    const copy = new Uint8Array(runBytes);
    let o = 0;
    for (const v of run) {
      copy.set(v, o);
      o += v.length;
    }
    out.push(copy);
    run = [];
    runBytes = 0;
  };
  forEachSegment(buffer, (view, pooled) => {
    if (pooled) {
      run.push(view);
      runBytes += view.length;
    } else {
      endRun();
      out.push(view);
    }
  });
  endRun();
  return out;
}

/**
 * A method a `PipeWriter` may implement to take a read buffer's bytes without copying source chunks
 * (`copyTo()` uses it); it copies pooled memory itself. Like `write()` without the flush.
 */
export const HAND_OFF: unique symbol = Symbol('io-pipelines.handOff');

/** A writer implementing {@link HAND_OFF}. */
export interface HandOffTarget {
  [HAND_OFF](buffer: ReadOnlySequence): void;
}

/** The writing half of a `PipeWriter` that {@link copyInto} needs. */
export interface MemoryWriter {
  getMemory(sizeHint?: number): Uint8Array;
  advance(bytes: number): void;
}

/** Copies `data` into `writer`'s memory and commits it, asking for at most `maxBlock` bytes at a time. */
export function copyInto(writer: MemoryWriter, data: Uint8Array, maxBlock = 65536): void {
  for (let offset = 0; offset < data.length; ) {
    const memory = writer.getMemory(Math.min(data.length - offset, maxBlock));
    const n = Math.min(memory.length, data.length - offset);
    memory.set(n === data.length ? data : data.subarray(offset, offset + n));
    writer.advance(n);
    offset += n;
  }
}
