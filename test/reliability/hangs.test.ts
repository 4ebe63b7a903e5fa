/**
 * No hangs: every wait of the universal API is released by each thing that should release it — the other
 * side completing (with or without an error), cancelPending…, an AbortSignal — as a table of
 * (wait × releaser). Each case is guarded by `within()`: a hang fails the test instead of the run.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidOperationError, Pipe, type PipeOptions, type PipeReader, type PipeWriter } from '../../src/index.js';
import { bytes, isPending, within } from '../helpers.js';

const t = suite('reliability: no hangs (Pipe)');

/** What a released wait must end with. */
type Outcome =
  | { resolves: Partial<Record<'isCompleted' | 'isCanceled', boolean>> }
  | { rejects: (e: unknown) => boolean; what: string };

interface Ends {
  reader: PipeReader;
  writer: PipeWriter;
  controller: AbortController;
}

/** A wait that is pending once `start` returns; `side` says which releasers apply. */
interface Wait {
  name: string;
  side: 'read' | 'flush';
  /** Bytes are buffered but unexamined: a faulted writer delivers them before its error. */
  unexamined?: boolean;
  /** Returns the pending wait boxed (an async function would otherwise adopt it). */
  start(ends: Ends): Promise<{ wait: Promise<unknown> }>;
}

interface Releaser {
  name: string;
  side: 'read' | 'flush';
  release(ends: Ends): void | Promise<void>;
  outcome: Outcome | ((wait: Wait) => Outcome);
}

const boom = new Error('boom');
const reason = new Error('aborted by the test');

const waits: Wait[] = [
  { name: 'read() on an empty pipe', side: 'read', start: async ({ reader, controller }) => ({ wait: reader.read({ signal: controller.signal }) }) },
  {
    name: 'read() after everything was examined',
    side: 'read',
    start: async ({ reader, writer, controller }) => {
      await writer.write('abc');
      const r = await reader.read();
      reader.advanceTo(r.buffer.start, r.buffer.end);
      return { wait: reader.read({ signal: controller.signal }) };
    },
  },
  {
    name: 'readAtLeast(100) with 3 bytes buffered',
    side: 'read',
    unexamined: true,
    start: async ({ reader, writer, controller }) => {
      await writer.write('abc');
      return { wait: reader.readAtLeast(100, { signal: controller.signal }) };
    },
  },
  {
    name: 'flush() paused by backpressure',
    side: 'flush',
    start: async ({ writer, controller }) => {
      writer.getMemory(8);
      writer.advance(8);
      return { wait: writer.flush({ signal: controller.signal }) };
    },
  },
  { name: 'write() paused by backpressure', side: 'flush', start: async ({ writer, controller }) => ({ wait: writer.write('0123456789', { signal: controller.signal }) }) },
];

const isAbort = (e: unknown) => e === reason;
const releasers: Releaser[] = [
  { name: 'writer.complete()', side: 'read', release: ({ writer }) => writer.complete(), outcome: { resolves: { isCompleted: true } } },
  { name: 'writer.complete(error)', side: 'read', release: ({ writer }) => writer.complete(boom), outcome: (w) => (w.unexamined ? { resolves: { isCompleted: false } } : { rejects: (e) => e === boom, what: 'the error' }) },
  { name: 'cancelPendingRead()', side: 'read', release: ({ reader }) => reader.cancelPendingRead(), outcome: { resolves: { isCanceled: true } } },
  { name: 'AbortSignal', side: 'read', release: ({ controller }) => controller.abort(reason), outcome: { rejects: isAbort, what: 'signal.reason' } },
  {
    name: 'reader.complete() (own side)',
    side: 'read',
    release: ({ reader }) => reader.complete(),
    outcome: { rejects: (e) => e instanceof InvalidOperationError && /completed while this read was pending/.test(e.message), what: 'InvalidOperationError' },
  },
  { name: 'reader.complete()', side: 'flush', release: ({ reader }) => reader.complete(), outcome: { resolves: { isCompleted: true } } },
  { name: 'reader.complete(error)', side: 'flush', release: ({ reader }) => reader.complete(boom), outcome: { rejects: (e) => e === boom, what: 'the error' } },
  { name: 'cancelPendingFlush()', side: 'flush', release: ({ writer }) => writer.cancelPendingFlush(), outcome: { resolves: { isCanceled: true } } },
  { name: 'AbortSignal', side: 'flush', release: ({ controller }) => controller.abort(reason), outcome: { rejects: isAbort, what: 'signal.reason' } },
  {
    name: 'the reader consuming',
    side: 'flush',
    release: async ({ reader }) => {
      const r = await reader.read();
      reader.advanceTo(r.buffer.end);
    },
    outcome: { resolves: { isCompleted: false, isCanceled: false } },
  },
  { name: 'writer.complete() (own side)', side: 'flush', release: ({ writer }) => writer.complete(), outcome: { resolves: { isCanceled: false } } },
];

for (const wait of waits) {
  for (const releaser of releasers.filter((r) => r.side === wait.side)) {
    t(`${wait.name} is released by ${releaser.name}`, async () => {
      const pipe = new Pipe({ pauseWriterThreshold: 4, resumeWriterThreshold: 2 });
      const ends: Ends = { reader: pipe.reader, writer: pipe.writer, controller: new AbortController() };
      const { wait: pending } = await wait.start(ends);
      assert.ok(await isPending(pending), 'the wait is pending before it is released');
      await releaser.release(ends);
      const outcome = typeof releaser.outcome === 'function' ? releaser.outcome(wait) : releaser.outcome;
      let settled: { value: unknown } | { error: unknown };
      try {
        settled = { value: await within(pending, 2000, wait.name) };
      } catch (error) {
        settled = { error };
      }
      if ('resolves' in outcome) {
        assert.ok('value' in settled, `resolves, but rejected with ${'error' in settled ? String(settled.error) : ''}`);
        const value = settled.value as Record<string, boolean>;
        for (const [k, v] of Object.entries(outcome.resolves)) assert.is(value[k], v, k);
      } else {
        assert.ok('error' in settled, `rejects with ${outcome.what}, but resolved`);
        assert.ok(outcome.rejects(settled.error), `rejects with ${outcome.what}, got ${String(settled.error)}`);
      }
    });
  }
}

t('after an aborted read or flush the pipe still works (the abort released only that wait)', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 4 });
  const c = new AbortController();
  const read = pipe.reader.read({ signal: c.signal });
  c.abort(reason);
  await within(read.then(() => assert.unreachable(), (e) => assert.is(e, reason)));
  const c2 = new AbortController();
  const flush = pipe.writer.write('0123456789', { signal: c2.signal });
  c2.abort(reason);
  await within(flush.then(() => assert.unreachable(), (e) => assert.is(e, reason)));
  const r = await within(pipe.reader.read());
  assert.is(r.buffer.toString(), '0123456789', 'the aborted flush did not lose its bytes');
  pipe.reader.advanceTo(r.buffer.end);
  await pipe.writer.complete();
  assert.ok((await within(pipe.reader.read())).isCompleted);
});

// Found by the fuzz test: pause 1 → default resume floor(1/2) = 0, and `unexamined < 0` never held, so the
// first paused flush waited forever although the reader had examined everything.
for (const options of [{ pauseWriterThreshold: 1 }, { pauseWriterThreshold: 10, resumeWriterThreshold: 0 }] as PipeOptions[]) {
  t(`a writer paused with resume threshold 0 resumes once everything is examined (${JSON.stringify(options)})`, async () => {
    const pipe = new Pipe(options);
    const data = bytes('x'.repeat(50));
    const produce = (async () => {
      for (let i = 0; i < data.length; i += 7) await pipe.writer.write(data.subarray(i, i + 7));
      await pipe.writer.complete();
    })();
    let got = '';
    for (;;) {
      const r = await within(pipe.reader.read(), 2000, 'read');
      got += r.buffer.toString();
      pipe.reader.advanceTo(r.buffer.end);
      if (r.isCompleted) break;
    }
    await within(produce, 2000, 'producer');
    assert.is(got, 'x'.repeat(50));
  });
}

t('a paused writer and a reader that examined nothing new: read() returns at once, never both waiting', async () => {
  const pipe = new Pipe({ pauseWriterThreshold: 4 });
  const flush = pipe.writer.write('0123456789');
  const r = await within(pipe.reader.read());
  pipe.reader.advanceTo(r.buffer.start); // examined nothing: the next read must not wait
  const again = await within(pipe.reader.read(), 2000, 'read after examining nothing');
  assert.is(again.buffer.length, 10);
  pipe.reader.advanceTo(again.buffer.end);
  await within(flush);
});

t.run();
