import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameTooLargeError, InvalidOperationError, Pipe, ReadOnlySequence, writeFrame } from '../../src/index.js';
import { bytes, concat, equalBytes, randomBytes, rejects, within } from '../helpers.js';

const t = suite('writeFrame');

/** Everything the pipe's writer produced, after completing it. */
async function drain(pipe: Pipe): Promise<Uint8Array> {
  await pipe.writer.complete();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { buffer, isCompleted } = await pipe.reader.read();
    for (const c of buffer) chunks.push(c.slice());
    pipe.reader.advanceTo(buffer.end);
    if (isCompleted) break;
  }
  return concat(chunks);
}

t('the default prefix is 4 bytes, big-endian', async () => {
  const pipe = new Pipe();
  const flushed = await writeFrame(pipe.writer, bytes('hello'));
  assert.equal(flushed, { isCompleted: false, isCanceled: false });
  equalBytes(await drain(pipe), concat([bytes([0, 0, 0, 5]), bytes('hello')]));
});

t('lengthBytes and littleEndian lay out the prefix', async () => {
  const payload = randomBytes(258, 3);
  const cases: [1 | 2 | 4, boolean, number[]][] = [
    [2, false, [1, 2]],
    [2, true, [2, 1]],
    [4, true, [2, 1, 0, 0]],
    [4, false, [0, 0, 1, 2]],
  ];
  for (const [lengthBytes, littleEndian, header] of cases) {
    const pipe = new Pipe();
    await writeFrame(pipe.writer, payload, { lengthBytes, littleEndian });
    equalBytes(await drain(pipe), concat([bytes(header), payload]), `${lengthBytes}/${littleEndian}`);
  }
  const one = new Pipe();
  await writeFrame(one.writer, bytes('abc'), { lengthBytes: 1 });
  equalBytes(await drain(one), bytes([3, 0x61, 0x62, 0x63]));
});

t('a string payload is sent as UTF-8', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, 'héllo', { lengthBytes: 1 });
  equalBytes(await drain(pipe), concat([bytes([6]), bytes('héllo')]));
});

t('a multi-segment sequence payload is copied in order', async () => {
  const parts = [randomBytes(70000, 1), randomBytes(5, 2), randomBytes(100000, 3)];
  const pipe = new Pipe({ pauseWriterThreshold: 0 });
  await writeFrame(pipe.writer, ReadOnlySequence.from(...parts));
  const total = 70000 + 5 + 100000; // 0x00029815
  equalBytes(await drain(pipe), concat([bytes([0, 2, 0x98, 0x15]), ...parts]));
  assert.is(total, 0x29815);
});

t('an empty payload is a bare prefix', async () => {
  const pipe = new Pipe();
  await writeFrame(pipe.writer, new Uint8Array(0), { lengthBytes: 2 });
  await writeFrame(pipe.writer, ReadOnlySequence.empty, { lengthBytes: 2 });
  equalBytes(await drain(pipe), bytes([0, 0, 0, 0]));
});

t('a payload that does not fit the prefix is a RangeError and writes nothing', async () => {
  const pipe = new Pipe();
  await rejects(() => writeFrame(pipe.writer, new Uint8Array(256), { lengthBytes: 1 }), RangeError, /256 bytes does not fit a 1-byte length prefix \(at most 255\)/);
  await rejects(() => writeFrame(pipe.writer, new Uint8Array(65536), { lengthBytes: 2 }), RangeError, /at most 65535/);
  equalBytes(await drain(pipe), new Uint8Array(0));
});

t('a payload over maxFrameSize is a FrameTooLargeError and writes nothing', async () => {
  const pipe = new Pipe();
  const error = (await rejects(() => writeFrame(pipe.writer, new Uint8Array(11), { maxFrameSize: 10 }), FrameTooLargeError, /11 bytes exceeds maxFrameSize \(10 bytes\)/)) as FrameTooLargeError;
  assert.is(error.code, 'ERR_FRAME_TOO_LARGE');
  equalBytes(await drain(pipe), new Uint8Array(0));
});

t('bad arguments are reported', async () => {
  const pipe = new Pipe();
  await rejects(() => writeFrame(pipe.writer, 42 as never), TypeError, /Uint8Array, a ReadOnlySequence or a string payload, got number/);
  await rejects(() => writeFrame(pipe.writer, bytes('x'), { lengthBytes: 3 as never }), RangeError, /lengthBytes must be 1, 2 or 4, got 3/);
  await rejects(() => writeFrame(pipe.writer, bytes('x'), { maxFrameSize: -1 }), RangeError, /maxFrameSize must be a non-negative integer/);
  await pipe.writer.complete();
  await rejects(() => writeFrame(pipe.writer, bytes('x')), InvalidOperationError, /after the writer completed/);
});

t('writing to a completed reader reports isCompleted', async () => {
  const pipe = new Pipe();
  await pipe.reader.complete();
  assert.is((await writeFrame(pipe.writer, randomBytes(10))).isCompleted, true);
  assert.is((await writeFrame(pipe.writer, ReadOnlySequence.from(randomBytes(10)))).isCompleted, true);
});

t('a frame larger than the pause threshold waits for the reader', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 1024 });
  const payload = randomBytes(10000, 9);
  const writing = writeFrame(pipe.writer, payload);
  const { buffer } = await within(pipe.reader.readAtLeast(10004));
  assert.is(buffer.length, 10004);
  pipe.reader.advanceTo(buffer.end);
  assert.equal(await within(writing), { isCompleted: false, isCanceled: false });
});

t.run();
