/**
 * No hangs, for the adapters and helpers: every wait (a source reader's read/readAtLeast, a sink
 * writer's flush, a duplex pair's read, readFrame/frames/lines/forEachLine) is released by the other side
 * ending or failing, by cancelPending…, by an AbortSignal and by completing its own side — a
 * parameterised table of (wait × releaser), each case guarded by `within()`. Universal.
 */
import { suite } from 'uvu';
import { ReadableStream as PolyfillReadableStream, WritableStream as PolyfillWritableStream } from 'web-streams-polyfill';
import {
  InvalidOperationError, Pipe, PipeReader, PipeWriter, createDuplexPipePair, forEachLine, frames, lines, readFrame,
  type PipeSink, type PipeSource,
} from '../../src/index.js';
import { bytes } from '../helpers.js';
import { assertReleased, deferred, rejectsExactly, rejectsWith, resolvesWith, type Outcome, type Started } from './release-kit.js';

const t = suite('reliability: no hangs (adapters and helpers)');
const boom = new Error('boom');
const reason = new Error('aborted by the test');
const aborted: Outcome = rejectsExactly(reason, 'signal.reason');

// ------------------------------------------------------------------ stalled sources

/** A source that yields `prefix` (if any), then stalls until the test ends or fails it. */
interface Stalled {
  source: PipeSource;
  end(): void;
  fail(error: unknown): void;
}

function stalledStream(Ctor: typeof ReadableStream, prefix?: Uint8Array): Stalled {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  let sent = prefix === undefined;
  const stream = new Ctor<Uint8Array>(
    {
      start: (c) => void (ctrl = c),
      pull: (c) => {
        if (!sent) {
          sent = true;
          c.enqueue(prefix!);
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { source: stream as PipeSource, end: () => ctrl.close(), fail: (e) => ctrl.error(e) };
}

function stalledIterator(prefix?: Uint8Array): Stalled {
  const stall = deferred<IteratorResult<Uint8Array>>();
  let sent = prefix === undefined;
  const iterator: AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array> = {
    next: () => {
      if (!sent) {
        sent = true;
        return Promise.resolve({ value: prefix!, done: false });
      }
      return stall.promise;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { source: iterator, end: () => stall.resolve({ value: undefined, done: true }), fail: (e) => stall.reject(e) };
}

const stalledKinds: [string, (prefix?: Uint8Array) => Stalled][] = [
  ['ReadableStream (native)', (p) => stalledStream(ReadableStream, p)],
  ['ReadableStream (web-streams-polyfill)', (p) => stalledStream(PolyfillReadableStream as unknown as typeof ReadableStream, p)],
  ['AsyncIterable', (p) => stalledIterator(p)],
];

interface ReaderCase {
  reader: PipeReader;
  stalled: Stalled;
  controller: AbortController;
}

/** `unexamined`: the source first yields 3 bytes the wait has not examined yet. */
const readerWaits: { name: string; unexamined: boolean; prefix: boolean; start(c: ReaderCase): Promise<Started> }[] = [
  { name: 'read()', unexamined: false, prefix: false, start: async ({ reader, controller }) => ({ wait: reader.read({ signal: controller.signal }) }) },
  {
    name: 'read() after examining the first chunk',
    unexamined: false,
    prefix: true,
    start: async ({ reader, controller }) => {
      const r = await reader.read();
      reader.advanceTo(r.buffer.start, r.buffer.end);
      return { wait: reader.read({ signal: controller.signal }) };
    },
  },
  { name: 'readAtLeast(100) with 3 bytes in', unexamined: true, prefix: true, start: async ({ reader, controller }) => ({ wait: reader.readAtLeast(100, { signal: controller.signal }) }) },
];

const isMisuse = (e: unknown) => e instanceof InvalidOperationError && /completed while this read was pending/.test(e.message);
const readerReleasers: { name: string; release(c: ReaderCase): unknown; outcome(unexamined: boolean): Outcome }[] = [
  { name: 'the source ending', release: ({ stalled }) => stalled.end(), outcome: () => resolvesWith({ isCompleted: true }) },
  {
    name: 'a source error',
    release: ({ stalled }) => stalled.fail(boom),
    // Bytes not examined yet are delivered first (nothing lost); the error comes with the next read.
    outcome: (unexamined) => (unexamined ? resolvesWith({ isCompleted: false }) : rejectsExactly(boom)),
  },
  { name: 'cancelPendingRead()', release: ({ reader }) => reader.cancelPendingRead(), outcome: () => resolvesWith({ isCanceled: true }) },
  { name: 'an AbortSignal', release: ({ controller }) => controller.abort(reason), outcome: () => aborted },
  { name: 'reader.complete()', release: ({ reader }) => reader.complete(), outcome: () => rejectsWith(isMisuse, 'InvalidOperationError') },
];

for (const [kind, make] of stalledKinds) {
  for (const wait of readerWaits) {
    for (const releaser of readerReleasers) {
      t(`PipeReader.create(${kind}): ${wait.name} is released by ${releaser.name}`, async () => {
        const stalled = make(wait.prefix ? bytes('abc') : undefined);
        const c: ReaderCase = { reader: PipeReader.create(stalled.source), stalled, controller: new AbortController() };
        const started = await wait.start(c);
        await assertReleased(started, () => releaser.release(c), releaser.outcome(wait.unexamined), `${kind} ${wait.name} × ${releaser.name}`);
        await c.reader.complete();
      });
    }
  }
}

// ------------------------------------------------------------------ stalled sinks

/** A sink whose writes stay pending until released; its highWaterMark is one chunk. */
function stalledSink(Ctor: typeof WritableStream) {
  let ctrl!: WritableStreamDefaultController;
  const accept = deferred();
  const sink = new Ctor<Uint8Array>({ start: (c) => void (ctrl = c), write: () => accept.promise });
  return {
    sink: sink as PipeSink,
    accept: () => accept.resolve(),
    /** The controller errors the stream (while a write is in flight, the stream stays "erroring"). */
    fail: (e: unknown) => ctrl.error(e),
    /** The pending write fails: the stream errors. */
    failWrite: (e: unknown) => accept.reject(e),
  };
}

for (const [kind, Ctor] of [
  ['WritableStream (native)', WritableStream],
  ['WritableStream (web-streams-polyfill)', PolyfillWritableStream as unknown as typeof WritableStream],
] as const) {
  const releasers: [string, (c: { writer: PipeWriter; s: ReturnType<typeof stalledSink>; controller: AbortController }) => unknown, Outcome][] = [
    ['the sink accepting', ({ s }) => s.accept(), resolvesWith({ isCompleted: false, isCanceled: false })],
    ['a sink error (controller.error)', ({ s }) => s.fail(boom), rejectsExactly(boom)],
    ['a failed write', ({ s }) => s.failWrite(boom), rejectsExactly(boom)],
    ['cancelPendingFlush()', ({ writer }) => writer.cancelPendingFlush(), resolvesWith({ isCanceled: true })],
    ['an AbortSignal', ({ controller }) => controller.abort(reason), aborted],
    ['writer.complete(error)', ({ writer }) => void writer.complete(boom).catch(() => {}), resolvesWith({ isCanceled: false })],
  ];
  for (const [name, release, outcome] of releasers) {
    t(`PipeWriter.create(${kind}): a flush waiting on backpressure is released by ${name}`, async () => {
      const s = stalledSink(Ctor);
      const writer = PipeWriter.create(s.sink);
      const controller = new AbortController();
      const started = { wait: writer.write(bytes('0123456789'), { signal: controller.signal }) };
      await assertReleased(started, () => release({ writer, s, controller }), outcome, `${kind} flush × ${name}`);
      s.accept();
      await writer.complete(boom).catch(() => {});
    });
  }

  t(`PipeWriter.create(${kind}): complete() waiting for a stuck sink is released by a failed write`, async () => {
    const s = stalledSink(Ctor);
    const writer = PipeWriter.create(s.sink);
    void writer.write(bytes('x')).catch(() => {});
    const started = { wait: writer.complete() };
    // The sink's failure is what complete() reports: it could not deliver the bytes.
    await assertReleased(started, () => s.failWrite(boom), rejectsExactly(boom), `${kind} complete() × failed write`);
  });
}

// ------------------------------------------------------------------ duplex pair

t('createDuplexPipePair: a read is released by the peer completing, failing, and by cancel/abort', async () => {
  const cases: [string, (a: ReturnType<typeof createDuplexPipePair>, c: AbortController) => unknown, Outcome][] = [
    ['peer output.complete()', ([, b]) => b.output.complete(), resolvesWith({ isCompleted: true })],
    ['peer output.complete(error)', ([, b]) => b.output.complete(boom), rejectsExactly(boom)],
    ['cancelPendingRead()', ([a]) => a.input.cancelPendingRead(), resolvesWith({ isCanceled: true })],
    ['an AbortSignal', (_p, c) => c.abort(reason), aborted],
  ];
  for (const [name, release, outcome] of cases) {
    const pair = createDuplexPipePair();
    const controller = new AbortController();
    const started = { wait: pair[0].input.read({ signal: controller.signal }) };
    await assertReleased(started, () => release(pair, controller), outcome, `duplex read × ${name}`);
  }
});

// ------------------------------------------------------------------ line and frame helpers

type Helper = (reader: PipeReader, signal: AbortSignal) => Promise<unknown>;
const helpers: [string, Helper, { done: Outcome }][] = [
  ['readFrame()', (r, signal) => readFrame(r, { signal }), { done: { resolves: (v) => v === null, what: 'null' } }],
  ['frames() next()', (r, signal) => frames(r, { signal })[Symbol.asyncIterator]().next(), { done: resolvesWith({ done: true }) }],
  ['lines() next()', (r, signal) => lines(r, { signal }).next(), { done: resolvesWith({ done: true }) }],
  ['forEachLine()', (r, signal) => forEachLine(r, () => {}, { signal }), { done: { resolves: (v) => v === 0, what: '0 lines' } }],
];

for (const [name, helper, { done }] of helpers) {
  const releasers: [string, (p: Pipe, c: AbortController) => unknown, Outcome][] = [
    ['the writer completing', (p) => p.writer.complete(), done],
    ['the writer failing', (p) => p.writer.complete(boom), rejectsExactly(boom)],
    ['cancelPendingRead()', (p) => p.reader.cancelPendingRead(), done],
    ['an AbortSignal', (_p, c) => c.abort(reason), aborted],
  ];
  for (const [what, release, outcome] of releasers) {
    t(`${name} waiting for input is released by ${what}`, async () => {
      const pipe = new Pipe();
      const controller = new AbortController();
      const started = { wait: helper(pipe.reader, controller.signal) };
      await assertReleased(started, () => release(pipe, controller), outcome, `${name} × ${what}`);
    });
  }
}

t.run();
