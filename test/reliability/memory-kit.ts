/**
 * The slow consumer of the bounded-memory tests, recording the peaks of the library's own counters.
 * Universal.
 */
import type { PipeReader } from '../../src/index.js';

/** The core behind a Pipe's reader or a `PipeReader.create()` reader: its `buffered` counter. */
export function coreOf(reader: PipeReader): { buffered: number } {
  return (reader as unknown as { _core: { buffered: number } })._core;
}

export interface Peaks {
  /** Bytes consumed in all. */
  total: number;
  /** Peak of the core's `buffered` (flushed or appended, not consumed). */
  buffered: number;
  /** Peak of `extra()` (e.g. a pool's `rentedBytes`), sampled after each read. */
  extra: number;
  /** The largest segment (source chunk or pipe block) seen in a buffer. */
  segment: number;
}

/**
 * Reads to the end as a slow consumer: `take` consumes at most that many bytes per read (examined =
 * consumed); `keep` examines everything but leaves up to that many bytes unconsumed. Every 4096 reads it
 * yields to the event loop, so a producer that can run ahead does.
 */
export async function peaks(reader: PipeReader, how: { take: number } | { keep: number }, extra?: () => number): Promise<Peaks> {
  const core = coreOf(reader);
  const p: Peaks = { total: 0, buffered: 0, extra: 0, segment: 0 };
  for (let n = 1; ; n++) {
    const { buffer, isCompleted } = await reader.read();
    if (core.buffered > p.buffered) p.buffered = core.buffered;
    if (extra !== undefined) p.extra = Math.max(p.extra, extra());
    for (const view of buffer) if (view.length > p.segment) p.segment = view.length;
    let take: number;
    if (isCompleted) take = buffer.length;
    else if ('take' in how) take = Math.min(buffer.length, how.take);
    else take = Math.max(0, buffer.length - how.keep);
    p.total += take;
    const consumed = buffer.getPosition(take);
    reader.advanceTo(consumed, 'keep' in how ? buffer.end : consumed);
    if (isCompleted) break;
    if (n % 4096 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  await reader.complete();
  return p;
}
