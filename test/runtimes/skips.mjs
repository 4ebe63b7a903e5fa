// The explicit list of tests that cannot run on a runtime, each with its upstream reason. Nothing is
// skipped silently: the harness prints every skip with its reason, counts it in uvu's "Skipped", and fails
// the run if an entry matches no test (so the list never goes stale after a rename).
//
// Entry shapes (`runtime`: 'deno' | 'bun' | 'chromium'; `file`: the test file, repo-relative):
//   { runtime, file, suite, test, reason }  one test (uvu suite name + test name, exactly as in the file)
//   { runtime, file, suite, reason }        every test of a suite
//   { runtime, file, reason }               the whole file is left out of that runtime's bundle: only when
//                                           the module cannot even be loaded there (its tests are then
//                                           not counted)
/** @type {{ runtime: 'deno' | 'bun' | 'chromium', file: string, suite?: string, test?: string, reason: string }[]} */
export const skips = [];

// openFifo hands the FIFO's non-blocking descriptor to `new net.Socket({ fd })` (a libuv pipe handle),
// which neither runtime can do yet for a descriptor that node:fs opened.
const denoFd =
  'Deno 2.9: `new net.Socket({ fd })` throws "open EEXIST" for a descriptor opened through node:fs: Pipe.open(fd) ' +
  'rejects any non-stdio fd already in Deno\'s FdTable (ext/node/ops/pipe_wrap.rs; fd adoption landed in ' +
  'denoland/deno#33136 and #33150, extended only to inherited stdio fds in #34133)';
const bunFd =
  'Bun 1.4.5: `new net.Socket({ fd })` over a FIFO neither reads (no data, no end: oven-sh/bun#29141, a native ' +
  'Pipe handle for Socket({fd}), is still open) nor writes past a full pipe buffer (EAGAIN is fatal: ' +
  'oven-sh/bun#41835, open)';
const fifoIo = [
  'reads what another process writes, then completes at its end',
  'a writer and a reader in this process move 1 MiB',
  'reopen: the reader keeps reading after a writer closes, for the next writer',
  'a writer waits for a reader, without a thread; timeout and abort end the wait',
  'the reader going away is an error for the writer',
];
for (const test of fifoIo) {
  skips.push({ runtime: 'deno', file: 'test/node/fifo.test.ts', suite: 'openFifo', test, reason: denoFd });
  skips.push({ runtime: 'bun', file: 'test/node/fifo.test.ts', suite: 'openFifo', test, reason: bunFd });
}
skips.push({ runtime: 'deno', file: 'test/node/fifo.test.ts', suite: 'openFifo', test: 'FIFOs with no writer do not block the thread pool (UV_THREADPOOL_SIZE=1)', reason: denoFd });
skips.push({
  runtime: 'bun',
  file: 'test/node/named-pipe-client.test.ts',
  suite: 'connectNamedPipe',
  test: 'a path too long, a bad timeout, and errors retrying cannot fix fail at once',
  reason: 'Bun 1.4.5 reports a failed Unix-socket connect(2) as ECONNREFUSED whatever the errno (here ENOTDIR), so the ' +
    'client cannot tell "never" from "not yet" and retries until its timeout (oven-sh/bun#29182, "preserve real ' +
    'errno from unix socket connect failures", was closed unmerged)',
});
// The reliability suite's FIFO read/write case goes through the same `new net.Socket({ fd })`.
for (const [runtime, reason] of [['deno', denoFd], ['bun', bunFd]]) {
  skips.push({
    runtime,
    file: 'test/node/reliability-hangs.test.ts',
    suite: 'reliability: no hangs (Node)',
    test: 'openFifo(path, "w") waiting for a reader is released by a reader opening, and that reader\'s read by the writer completing',
    reason,
  });
}
// Node's libuv turns ENOENT from bind(2) into EACCES for a Unix socket in a missing directory
// (uv_pipe_bind, "for compatibility with Windows"); Deno and Bun report the kernel's ENOENT. The test
// pins Node's code, so it cannot pass elsewhere (it could accept either code).
for (const runtime of ['deno', 'bun']) {
  skips.push({
    runtime,
    file: 'test/node/named-pipe-socket-file.test.ts',
    suite: 'named-pipe socket file',
    test: 'a directory that does not exist, or is a file, is an error',
    reason: `${runtime === 'deno' ? 'Deno 2.9' : 'Bun 1.4.5'} reports bind(2)'s real ENOENT for a socket in a missing directory; ` +
      'the test expects the EACCES that only Node\'s libuv produces (uv_pipe_bind maps ENOENT to EACCES)',
  });
}
// The client example fails at once on ENOTDIR; Bun flattens that errno into ECONNREFUSED (see above).
skips.push({
  runtime: 'bun',
  file: 'test/node/named-pipe-examples.test.ts',
  suite: 'named-pipe examples',
  test: 'the client says what to do when it cannot connect',
  reason: 'Bun 1.4.5 reports the ENOTDIR of connect(2) as ECONNREFUSED, so the example client retries until its ' +
    'timeout instead of failing at once (oven-sh/bun#29182, closed unmerged)',
});
skips.push({
  runtime: 'deno',
  file: 'test/node/reliability-memory.test.ts',
  suite: 'reliability: bounded memory (Node)',
  test: 'Unix socket: 1 GiB from a fast writer keeps buffered ≤ unconsumed + one chunk',
  reason: 'Deno 2.9.6 calls a socket\'s onread for consecutive reads back to back, with no nextTick or microtask ' +
    'checkpoint between them (Node drains both after every read callback). So the \'data\' after the one that ' +
    'satisfied a read arrives before that read\'s continuation runs; the adapter keeps it (its documented one chunk ' +
    'beyond what the reader holds) and pauses, and the test, sampling right after read(), sees 10000 + 2 x 65536 = ' +
    '141072 > 10000 + 65536 (the reader\'s own buffer stays <= 10000 + 65536). Repro: a flowing Unix socket fed 64 MiB ' +
    'in 64 KiB writes, a queueMicrotask (or nextTick) marker set in each \'data\' handler is still pending at the next ' +
    '\'data\' for 877 of 1170 events on Deno 2.9.6, 0 on Node 20.20 and Bun 1.4.5; the same over TCP. No upstream ' +
    'issue found (closest: denoland/deno#11731, open, on microtask checkpoints between tasks in general)',
});
