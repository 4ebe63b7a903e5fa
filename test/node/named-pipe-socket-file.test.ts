import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { bindPrivately, listen as listenOn } from '../../src/node/named-pipe-socket-file.js';
import { rejects, within } from '../helpers.js';
import { scratchDir, uniquePath, disposeTracked, listen, connect } from '../fixtures/child.js';

const t = suite('named-pipe socket file');
t.after.each(disposeTracked);

/** Leaves a socket file nobody listens on (bound, never listened, process gone): a stale file. */
function staleSocket(path: string): void {
  const r = spawnSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
  assert.is(r.status, 0, String(r.stderr));
  assert.ok(lstatSync(path).isSocket());
}

/** Private directories left beside `path` (there must be none). */
function leftovers(path: string): string[] {
  return readdirSync(dirname(path)).filter((n) => n.startsWith('.'));
}

t('a stale socket file is replaced by listen()', async () => {
  const path = uniquePath();
  staleSocket(path);
  const server = await within(listen(path));
  try {
    // (Not an inode comparison: the stale file's freed inode number may be reused at once.)
    const client = await within(connect(path, { timeout: 1000 }));
    const connection = await within(server.accept());
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await server.close();
  }
  assert.equal(leftovers(path), []);
});

t('a file appearing between the claim and the link: stale → replaced, live → EADDRINUSE', async () => {
  const stalePath = uniquePath();
  staleSocket(stalePath);
  const server = net.createServer();
  const id = await within(bindPrivately(server, stalePath, 0o600, 16));
  assert.is(lstatSync(stalePath).ino, id.ino);
  assert.is(lstatSync(stalePath).mode & 0o777, 0o600);
  await new Promise((r) => server.close(r));

  const livePath = uniquePath();
  const live = await listen(livePath);
  const loser = net.createServer();
  const error = (await rejects(() => bindPrivately(loser, livePath, 0o600, 16), Error, /another server is listening there/)) as NodeJS.ErrnoException;
  assert.is(error.code, 'EADDRINUSE');
  assert.is(loser.listening, false, 'the losing server was closed');
  await live.close();
  assert.equal(leftovers(livePath), []);
});

t('close() copes with a socket file someone else removed', async () => {
  const server = await listen(uniquePath());
  unlinkSync(server.path);
  await within(server.close());
  assert.is(existsSync(server.path), false);
});

t('a path whose private twin would be too long is refused, leaving nothing', async () => {
  // The socket is first made at <dir>/.XXXXXX/s: 10 bytes after the directory, more than '/x'.
  const dir = join(scratchDir(), 'd'.repeat(Math.max(1, 105 - scratchDir().length - 1)));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'x');
  assert.ok(Buffer.byteLength(path) <= 107);
  await rejects(() => listen(path), RangeError, /is created at .* first .* over the platform limit/);
  assert.equal(readdirSync(dir), []);
});

t('a directory that does not exist, or is a file, is an error', async () => {
  const file = uniquePath('file');
  writeFileSync(file, '');
  const e1 = (await rejects(() => listen(join(file, 'below')), Error)) as NodeJS.ErrnoException;
  assert.is(e1.code, 'ENOTDIR');
  const e2 = (await rejects(() => listen(join(scratchDir(), 'missing', 'below')), Error)) as NodeJS.ErrnoException;
  assert.is(e2.code, 'ENOENT');
  const e3 = (await rejects(() => listenOn(net.createServer(), join(scratchDir(), 'missing', 's'), 1), Error)) as NodeJS.ErrnoException;
  assert.is(e3.code, 'EACCES', 'libuv reports a bind in a missing directory as EACCES');
});

t('aborting the signal while listen() runs closes the new server', async () => {
  const path = uniquePath();
  const controller = new AbortController();
  const listening = listen(path, { signal: controller.signal });
  controller.abort(new Error('shutting down'));
  await rejects(() => within(listening), Error, /shutting down/);
  assert.is(existsSync(path), false);
  assert.equal(leftovers(path), []);
});

t.run();
