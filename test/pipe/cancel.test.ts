import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError } from '../../src/index.js';
import { isPending, rejects, within } from '../helpers.js';
import { finish, setup } from './kit.js';

const t = suite('cancel and abort');
const OK = { isCompleted: false, isCanceled: false };
const CANCELED = { isCompleted: false, isCanceled: true };

/** A reason that is recognisably ours. */
class Stop extends Error {}

// ------------------------------------------------------------------ cancelPendingRead

t('cancelPendingRead during a pending read resolves it with isCanceled and no error', async () => {
  const s = setup();
  const pending = s.reader.read();
  assert.ok(await isPending(pending));
  s.reader.cancelPendingRead();
  const r = await within(pending);
  assert.is(r.isCanceled, true);
  assert.is(r.isCompleted, false);
  assert.is(r.buffer.length, 0);
  s.reader.advanceTo(r.buffer.start);
  // The cancel was used up: the next read waits again, and works.
  const next = s.reader.read();
  assert.ok(await isPending(next));
  await s.writer.write('after');
  const r2 = await within(next);
  assert.is(r2.isCanceled, false);
  assert.is(r2.buffer.toString(), 'after');
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('cancelPendingRead before a read cancels the next one, with the buffered data', async () => {
  const s = setup();
  await s.writer.write('abc');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.end); // examined everything: a read would wait
  s.reader.cancelPendingRead();
  const r2 = await within(s.reader.read(), 500, 'a canceled read returns at once');
  assert.is(r2.isCanceled, true);
  assert.is(r2.buffer.toString(), 'abc', 'data included when buffered');
  s.reader.advanceTo(r2.buffer.start, r2.buffer.end);
  const next = s.reader.read();
  assert.ok(await isPending(next), 'the cancel was used up');
  await s.writer.complete();
  const last = await within(next);
  assert.is(last.isCanceled, false);
  assert.is(last.isCompleted, true);
  s.reader.advanceTo(last.buffer.end);
  await finish(s);
});

t('cancelPendingRead after a read completed applies to the next read (and tryRead)', async () => {
  const s = setup();
  await s.writer.write('x');
  const r = await within(s.reader.read());
  s.reader.cancelPendingRead(); // nothing pending: remembered
  s.reader.advanceTo(r.buffer.end);
  const r2 = s.reader.tryRead();
  assert.ok(r2 !== undefined, 'tryRead returns the canceled result');
  assert.is(r2!.isCanceled, true);
  assert.is(r2!.buffer.length, 0);
  s.reader.advanceTo(r2!.buffer.end);
  assert.is(s.reader.tryRead(), undefined);
  await finish(s);
});

t('cancelPendingRead ends a pending readAtLeast', async () => {
  const s = setup();
  await s.writer.write('ab');
  const pending = s.reader.readAtLeast(10);
  assert.ok(await isPending(pending));
  s.reader.cancelPendingRead();
  const r = await within(pending);
  assert.is(r.isCanceled, true);
  assert.is(r.buffer.toString(), 'ab');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('a canceled read on a faulted writer returns data instead of the error', async () => {
  const s = setup();
  await s.writer.write('ab');
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.start, r.buffer.end);
  await s.writer.complete(new Stop('boom'));
  s.reader.cancelPendingRead();
  const r2 = await within(s.reader.read());
  assert.is(r2.isCanceled, true);
  assert.is(r2.isCompleted, false);
  assert.is(r2.buffer.toString(), 'ab');
  s.reader.advanceTo(r2.buffer.end);
  await rejects(() => s.reader.read(), Stop, /boom/);
  await s.reader.complete();
  assert.is(s.pool.rentedBytes, 0);
});

// ------------------------------------------------------------------ cancelPendingFlush

t('cancelPendingFlush during a paused flush resolves it with isCanceled', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const paused = s.writer.write('abcd');
  assert.ok(await isPending(paused));
  s.writer.cancelPendingFlush();
  assert.equal(await within(paused), CANCELED);
  // The data was flushed all the same.
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcd');
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await s.writer.write('e'), OK, 'the cancel was used up');
  await finish(s);
});

t('cancelPendingFlush before a flush cancels the next one', async () => {
  const s = setup();
  s.writer.cancelPendingFlush();
  assert.equal(await within(s.writer.write('a')), CANCELED);
  assert.equal(await within(s.writer.write('b')), OK);
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'ab');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('cancelPendingFlush before a flush that would pause ends that flush at once with isCanceled', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  s.writer.cancelPendingFlush();
  assert.equal(await within(s.writer.write('abcd'), 500, 'a canceled flush does not wait'), CANCELED);
  const paused = s.writer.flush();
  assert.ok(await isPending(paused), 'the cancel was used up: the next flush waits');
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcd');
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(paused), OK);
  await finish(s);
});

t('cancelPendingFlush after a flush completed applies to the next one', async () => {
  const s = setup();
  assert.equal(await s.writer.write('a'), OK);
  s.writer.cancelPendingFlush();
  assert.equal(await s.writer.flush(), CANCELED);
  assert.equal(await s.writer.flush(), OK);
  await finish(s);
});

// ------------------------------------------------------------------ AbortSignal on read

t('a pre-aborted signal rejects read with signal.reason without touching state', async () => {
  const s = setup();
  await s.writer.write('abc');
  const reason = new Stop('no');
  const aborted = AbortSignal.abort(reason);
  const err = await rejects(() => s.reader.read({ signal: aborted }), Stop);
  assert.is(err, reason);
  await rejects(() => s.reader.readAtLeast(1, { signal: aborted }), Stop);
  // No result was handed out: a normal read is not a "read before advanceTo" misuse.
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abc');
  // With a result outstanding, a pre-aborted read still rejects with the reason (and changes nothing).
  assert.is(await rejects(() => s.reader.read({ signal: aborted }), Stop), reason);
  assert.is(r.buffer.toString(), 'abc', 'the outstanding buffer is still valid');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('aborting a pending read rejects it with the reason; the pipe stays usable', async () => {
  const s = setup();
  const controller = new AbortController();
  const pending = s.reader.read({ signal: controller.signal });
  assert.ok(await isPending(pending));
  const reason = new Stop('timeout-ish');
  controller.abort(reason);
  assert.is(await rejects(() => within(pending), Stop), reason);
  await s.writer.write('still works');
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'still works');
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('the default abort reason is an AbortError DOMException', async () => {
  const s = setup();
  const controller = new AbortController();
  const pending = s.reader.read({ signal: controller.signal });
  controller.abort();
  const err = (await rejects(() => within(pending), DOMException)) as DOMException;
  assert.is(err.name, 'AbortError');
  const err2 = (await rejects(() => s.writer.flush({ signal: AbortSignal.abort() }), DOMException)) as DOMException;
  assert.is(err2.name, 'AbortError');
  await finish(s);
});

t('aborting a signal after its read resolved changes nothing', async () => {
  const s = setup();
  const controller = new AbortController();
  const pending = s.reader.read({ signal: controller.signal });
  await s.writer.write('x');
  const r = await within(pending);
  controller.abort(new Stop('late'));
  assert.is(r.buffer.toString(), 'x');
  s.reader.advanceTo(r.buffer.end);
  // An abort after a cancel-resolved read is ignored too.
  const c2 = new AbortController();
  const p2 = s.reader.read({ signal: c2.signal });
  s.reader.cancelPendingRead();
  const r2 = await within(p2);
  c2.abort();
  assert.is(r2.isCanceled, true);
  s.reader.advanceTo(r2.buffer.end);
  await finish(s);
});

t('one signal for many reads and flushes: each settled wait lets go of it, and an abort hits only the wait pending then', async () => {
  const s = setup({ pauseWriterThreshold: 4, resumeWriterThreshold: 2 });
  const controller = new AbortController();
  const signal = controller.signal;
  let listening = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, fn: EventListener, options?: AddEventListenerOptions) => {
    listening++;
    add(type, fn, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, fn: EventListener) => {
    listening--;
    remove(type, fn);
  }) as typeof signal.removeEventListener;
  for (let i = 0; i < 50; i++) {
    const read = s.reader.read({ signal });
    const written = s.writer.write('abcdef', { signal }); // 6 unexamined bytes: this flush waits
    const r = await within(read);
    assert.is(r.buffer.toString(), 'abcdef');
    assert.ok(await isPending(written), 'the flush waits for the reader');
    s.reader.advanceTo(r.buffer.end);
    assert.equal(await within(written), OK);
  }
  assert.is(listening, 0, 'every read and flush removed its abort listener when it settled');
  const last = s.reader.read({ signal });
  const reason = new Stop('now');
  controller.abort(reason);
  assert.is(await rejects(() => within(last), Stop), reason);
  const written = s.writer.write('after');
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'after');
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(written), OK);
  await finish(s);
});

// ------------------------------------------------------------------ AbortSignal on flush

t('a pre-aborted signal rejects flush and write with the reason and publishes nothing', async () => {
  const s = setup();
  const reason = new Stop('no');
  const m = s.writer.getMemory(3);
  m.set([1, 2, 3]);
  s.writer.advance(3);
  assert.is(await rejects(() => s.writer.flush({ signal: AbortSignal.abort(reason) }), Stop), reason);
  assert.is(s.writer.unflushedBytes, 3, 'nothing was flushed');
  assert.is(await rejects(() => s.writer.write('zz', { signal: AbortSignal.abort(reason) }), Stop), reason);
  assert.is(s.writer.unflushedBytes, 3, 'nothing was copied');
  assert.is(s.reader.tryRead(), undefined, 'the reader saw nothing');
  assert.equal(await s.writer.flush(), OK);
  const r = await within(s.reader.read());
  assert.equal([...r.buffer.toUint8Array()], [1, 2, 3]);
  s.reader.advanceTo(r.buffer.end);
  await finish(s);
});

t('aborting a paused flush rejects it with the reason; the data stays flushed and the pipe usable', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const controller = new AbortController();
  const paused = s.writer.write('abcd', { signal: controller.signal });
  assert.ok(await isPending(paused));
  const reason = new Stop('gave up');
  controller.abort(reason);
  assert.is(await rejects(() => within(paused), Stop), reason);
  // No flush is pending any more: the writer may flush again (it waits, as the reader is still behind).
  const again = s.writer.flush();
  assert.ok(await isPending(again));
  const r = await within(s.reader.read());
  assert.is(r.buffer.toString(), 'abcd');
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(again), OK);
  await finish(s);
});

t('a flush resolved before its signal aborts is unaffected', async () => {
  const s = setup({ pauseWriterThreshold: 4 });
  const controller = new AbortController();
  const paused = s.writer.write('abcd', { signal: controller.signal });
  const r = await within(s.reader.read());
  s.reader.advanceTo(r.buffer.end);
  assert.equal(await within(paused), OK);
  controller.abort();
  assert.equal(await s.writer.write('e'), OK);
  await finish(s);
});

t('on flush, a misuse is reported before a pre-aborted signal', async () => {
  const s = setup({ pauseWriterThreshold: 1 });
  const paused = s.writer.write('a');
  await rejects(() => s.writer.flush({ signal: AbortSignal.abort(new Stop()) }), InvalidOperationError, /another flush is pending/);
  s.writer.cancelPendingFlush();
  await paused;
  await finish(s);
});

t.run();
