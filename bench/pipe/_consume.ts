import type { PipeReader } from '../../src/index.js';

/**
 * The consumer of both Pipe rows: the idiomatic read loop. Each segment of the buffer is touched like
 * the chunks of the other rows (length + first byte), then everything is consumed.
 */
export async function consume(reader: PipeReader): Promise<{ bytes: number; check: number }> {
  let bytes = 0;
  let check = 0;
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    for (const segment of buffer) {
      bytes += segment.length;
      check ^= segment[0]!;
    }
    reader.advanceTo(buffer.end);
    if (isCompleted) break;
  }
  await reader.complete();
  return { bytes, check };
}
