import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PipeReader, type SequencePosition } from '../../src/index.js';
import { randomBytes, chunked } from '../helpers.js';

const t = suite('released memory');

// A stale position (or an expired buffer) must not pin the chunks read after it: a consumed segment drops
// its memory and its link to the next one. Before this, a position kept from the first read held every
// later chunk reachable, and a line reader over createReadStream peaked at twice its usual RSS.
t('a consumed segment keeps neither its memory nor the chain after it', async () => {
  const chunks = chunked(randomBytes(64 * 1024), [1024]);
  const reader = PipeReader.create(chunks);
  const first = await reader.read();
  const stale: SequencePosition = first.buffer.start;
  reader.advanceTo(first.buffer.end);
  for (;;) {
    const r = await reader.read();
    reader.advanceTo(r.buffer.end);
    if (r.isCompleted) break;
  }
  await reader.complete();
  const seg = (stale as unknown as { _segment: { bytes: Uint8Array; data: Uint8Array; next: unknown; released: boolean } })._segment;
  assert.ok(seg.released);
  assert.is(seg.bytes.length, 0);
  assert.is(seg.data.length, 0);
  assert.is(seg.next, null);
});

t.run();
