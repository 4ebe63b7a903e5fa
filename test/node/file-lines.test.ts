import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { PipeReader, SequenceReader, forEachLine, lineSequences, lines } from '../../src/node.js';
import { rejects, within } from '../helpers.js';

const t = suite('lines over Node streams');

const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-lines-'));
const text = Array.from({ length: 3000 }, (_, i) => `line ${i} ✓${i % 4 === 0 ? '\r' : ''}\n`).join('');
const expected = text.split('\n').slice(0, -1).map((l) => l.replace(/\r$/, ''));
const path = join(dir, 'lines.txt');
writeFileSync(path, text);

t('lines(fs.createReadStream) with small chunks: every line, decoded', async () => {
  const got: string[] = [];
  for await (const line of lines(createReadStream(path, { highWaterMark: 333 }))) got.push(line);
  assert.equal(got, expected);
});

t('forEachLine and lineSequences over a stream agree', async () => {
  assert.is(await forEachLine(createReadStream(path, { highWaterMark: 100 }), () => {}), expected.length);
  let n = 0;
  for await (const line of lineSequences(createReadStream(path))) if (line.toString() === expected[n]) n++;
  assert.is(n, expected.length);
});

t('breaking out of the loop destroys the file stream (its file is closed)', async () => {
  const stream = createReadStream(path, { highWaterMark: 1024 });
  for await (const line of lines(stream)) {
    assert.is(line, 'line 0 ✓');
    break;
  }
  assert.is(stream.destroyed, true);
  if (!stream.closed) await within(once(stream, 'close'));
});

t('leaveOpen: breaking out leaves the stream usable, the unread bytes still in it', async () => {
  const source = new PassThrough();
  source.end('first\nsecond\nthird\n');
  for await (const line of lines(source, { leaveOpen: true })) {
    assert.is(line, 'first');
    break;
  }
  assert.is(source.destroyed, false);
  const rest: Buffer[] = [];
  for await (const chunk of source) rest.push(chunk as Buffer);
  assert.is(Buffer.concat(rest).toString(), 'second\nthird\n');
});

t('an error in the stream: the lines before it, then the error', async () => {
  const source = new Readable({ read() {} });
  source.push('a\nb\nc');
  setTimeout(() => source.destroy(new Error('disk on fire')), 5);
  const got: string[] = [];
  await rejects(async () => {
    for await (const line of lines(source)) got.push(line);
  }, Error, /disk on fire/);
  assert.equal(got, ['a', 'b']);
});

t('signal: aborting mid-file rejects with an AbortError and destroys the stream', async () => {
  const controller = new AbortController();
  const stream = createReadStream(path, { highWaterMark: 64 });
  let n = 0;
  const error = await rejects(async () => {
    for await (const _ of lines(stream, { signal: controller.signal })) if (++n === 10) controller.abort();
  }, DOMException);
  assert.is((error as DOMException).name, 'AbortError');
  assert.is(n, 10);
  assert.is(stream.destroyed, true);
});

t('PipeReader.create(fs.createReadStream) + the idiomatic loop: the same lines', async () => {
  const reader = PipeReader.create(createReadStream(path, { highWaterMark: 777 }));
  const got: string[] = [];
  for (;;) {
    const { buffer, isCompleted } = await within(reader.read());
    const cursor = new SequenceReader(buffer);
    for (let line; (line = cursor.tryReadLine()) !== undefined; ) got.push(line.toString());
    if (isCompleted) break;
    reader.advanceTo(cursor.position, buffer.end);
  }
  await reader.complete();
  assert.equal(got, expected);
});

t.after(() => rmSync(dir, { recursive: true, force: true }));

t.run();
