// The explicit list of tests that cannot run on a runtime, each with its upstream reason. Nothing is
// skipped silently: the harness prints every skip with its reason, counts it in uvu's "Skipped", and fails
// the run if an entry matches no test (so the list never goes stale after a rename).
//
// Entry shapes (`runtime`: 'deno' | 'bun' | 'chromium'):
//   { runtime, suite, test, reason }  one test (uvu suite name + test name, exactly as in the file)
//   { runtime, suite, reason }        every test of a suite
//   { runtime, file, reason }         a whole file is left out of that runtime's bundle: only when the
//                                     module cannot even be loaded there (its tests are then not counted)
/** @type {{ runtime: 'deno' | 'bun' | 'chromium', file?: string, suite?: string, test?: string, reason: string }[]} */
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
  skips.push({ runtime: 'deno', suite: 'openFifo', test, reason: denoFd });
  skips.push({ runtime: 'bun', suite: 'openFifo', test, reason: bunFd });
}
skips.push({ runtime: 'deno', suite: 'openFifo', test: 'FIFOs with no writer do not block the thread pool (UV_THREADPOOL_SIZE=1)', reason: denoFd });
skips.push({
  runtime: 'bun',
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
