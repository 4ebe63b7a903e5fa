import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import {
  ServerClosedError, frames, namedPipePath, readFrame, writeFrame, type NamedPipeConnection, type PipeReader,
} from '../../src/node.js';
import { bytes, concat, equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';
import { runFixture, uniqueName, uniquePath, disposeTracked, listen, connect } from '../fixtures/child.js';

const t = suite('NamedPipeServer');
t.after.each(disposeTracked);

/** Reads everything until the end of input. */
async function readAll(reader: PipeReader): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { buffer, isCompleted } = await reader.read();
    for (const c of buffer) chunks.push(c.slice());
    reader.advanceTo(buffer.end);
    if (isCompleted) return concat(chunks);
  }
}

/** Echoes frames until the client ends, then closes. */
async function echo(connection: NamedPipeConnection): Promise<void> {
  for await (const frame of frames(connection.input)) await writeFrame(connection.output, frame);
  await connection.close();
}

function modeOf(path: string): number {
  return lstatSync(path).mode & 0o777;
}

t('accept, then echo 1 MiB', async () => {
  const server = await listen(uniquePath());
  try {
    const accepting = server.accept();
    const client = await within(connect(server.path));
    const serving = echo(await within(accepting));
    const payload = randomBytes(1 << 20, 11);
    await writeFrame(client.output, payload);
    const back = await within(readFrame(client.input), 5000);
    equalBytes(back!.toUint8Array(), payload, 'echo');
    await client.output.complete();
    assert.is(await within(readFrame(client.input)), null, 'the server closed after the client ended');
    await client.close();
    await within(serving);
  } finally {
    await server.close();
  }
});

t('a peer that only receives (its sending side shut at once) still gets everything we write', async () => {
  const server = await listen(uniquePath());
  try {
    const client = await within(connect(server.path));
    await client.output.complete(); // half-close, as a receive-only .NET client does
    const connection = await within(server.accept());
    assert.is((await within(readAll(connection.input))).length, 0, 'the server sees the end of its input');
    const payload = randomBytes(1 << 20, 21);
    const received = readAll(client.input);
    await within(connection.output.write(payload), 5000);
    await within(connection.close());
    equalBytes(await within(received, 5000), payload);
    await client.close();
  } finally {
    await server.close();
  }
});

t('clients that connect before accept() are queued with their early bytes', async () => {
  const server = await listen(uniquePath());
  try {
    const clients: NamedPipeConnection[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await within(connect(server.path));
      await c.output.write(`hello ${i}`);
      await c.output.complete(); // and gone, before anyone accepted it
      clients.push(c);
    }
    for (let i = 0; i < 3; i++) {
      const connection = await within(server.accept());
      assert.is(new TextDecoder().decode(await within(readAll(connection.input))), `hello ${i}`);
      await connection.close();
    }
    await Promise.all(clients.map((c) => c.close()));
  } finally {
    await server.close();
  }
});

t('a pending accept can be aborted or time out; the server keeps listening', async () => {
  const server = await listen(uniquePath());
  try {
    const controller = new AbortController();
    const aborted = server.accept({ signal: controller.signal });
    assert.ok(await isPending(aborted));
    controller.abort();
    const abortError = (await rejects(() => within(aborted), DOMException)) as DOMException;
    assert.is(abortError.name, 'AbortError');
    await rejects(() => server.accept({ signal: AbortSignal.abort(new Error('pre-aborted')) }), Error, /pre-aborted/);

    const timedOut = (await rejects(() => within(server.accept({ timeout: 20 })), DOMException, /accept\(\) timed out after 20 ms/)) as DOMException;
    assert.is(timedOut.name, 'TimeoutError');
    assert.match(timedOut.message, server.path);

    const client = await within(connect(server.path));
    const connection = await within(server.accept({ timeout: 2000, signal: new AbortController().signal }));
    await client.output.write('still listening');
    await client.output.complete();
    assert.is(new TextDecoder().decode(await within(readAll(connection.input))), 'still listening');
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await server.close();
  }
});

t('close() rejects pending accepts with ServerClosedError, without unhandled rejections', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const server = await listen(uniquePath());
    const first = server.accept();
    const second = server.accept({ timeout: 60_000 });
    server.accept(); // nobody ever looks at this one
    await within(server.close());
    await rejects(() => first, ServerClosedError, /closed while accept\(\) was waiting/);
    const e = (await rejects(() => second, ServerClosedError)) as ServerClosedError;
    assert.is(e.code, 'ERR_SERVER_CLOSED');
    await rejects(() => server.accept(), ServerClosedError, /accepts no more connections/);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(unhandled, []);
    assert.is(existsSync(server.path), false, 'the socket file is removed');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

t('close() closes connections that were never accepted at once', async () => {
  const server = await listen(uniquePath());
  const client = await within(connect(server.path));
  await within(server.close({ timeout: 60_000 }));
  const { isCompleted } = await within(client.input.readAtLeast(1));
  assert.is(isCompleted, true, 'the client sees the end of its input');
  await client.close();
});

t('graceful close: open connections may finish, then are destroyed at the deadline', async () => {
  const server = await listen(uniquePath());
  const polite = await within(connect(server.path));
  const politeServer = await within(server.accept());
  const stubborn = await within(connect(server.path));
  const stubbornServer = await within(server.accept());
  const stubbornRead = stubbornServer.input.read();
  stubbornRead.catch(() => {});

  const closing = server.close({ timeout: 200 });
  assert.ok(await isPending(closing));
  // New clients are refused at once.
  await rejects(() => connect(server.path, { timeout: 50 }), DOMException, /no server accepted/);
  // An open connection still works while the server closes.
  await writeFrame(polite.output, 'late question');
  const question = await within(readFrame(politeServer.input));
  await writeFrame(politeServer.output, `answer to ${question!.toString()}`);
  await politeServer.close();
  assert.is((await within(readFrame(polite.input)))!.toString(), 'answer to late question');

  // The other one never finishes: at the deadline it is destroyed, and its pending read says why.
  await within(closing, 3000);
  await rejects(() => stubbornRead, ServerClosedError, /outlived the close\(\) deadline/);
  assert.is((await within(stubborn.input.readAtLeast(1))).isCompleted, true);
  await Promise.all([polite.close(), stubborn.close()]);
});

t('closing a connection whose peer is gone resolves; its unsent bytes are dropped', async () => {
  const server = await listen(uniquePath());
  try {
    const client = await within(connect(server.path));
    const connection = await within(server.accept());
    await client.close();
    await new Promise((r) => setTimeout(r, 20));
    connection.output.getMemory(100_000);
    connection.output.advance(100_000); // committed, never flushed: complete() tries to send it (EPIPE)
    await within(connection.close());
    assert.is(connection.socket.destroyed, true);
    assert.is(connection.close(), connection.close(), 'close() is idempotent');
  } finally {
    await server.close();
  }
});

t('a connection’s close({ timeout }) does not wait forever for a peer that stopped reading', async () => {
  const server = await listen(uniquePath());
  try {
    const client = await within(connect(server.path));
    const connection = await within(server.accept());
    const writing = connection.output.write(randomBytes(8 << 20)); // far more than the socket buffers hold
    writing.catch(() => {});
    assert.ok(await isPending(writing), 'the peer does not read: the flush waits');
    await rejects(() => connection.close({ timeout: -1 }), RangeError, /close\(\): timeout must be a non-negative number/);
    await within(connection.close({ timeout: 50 }));
    assert.is(connection.socket.destroyed, true);
    await client.close({ timeout: 1000 });
  } finally {
    await server.close();
  }
});

t('close() is idempotent and always resolves the same way', async () => {
  const server = await listen(uniquePath());
  const a = server.close();
  const b = server.close({ timeout: 1 });
  assert.is(a, b);
  await within(a);
  await within(server.close());
  assert.is(server.closed, true);
  const other = await listen(uniquePath());
  await rejects(() => other.close({ timeout: -1 }), RangeError, /close\(\): timeout must be a non-negative number/);
  assert.is(other.closed, false, 'a rejected close() changes nothing');
  await other.close({ timeout: Infinity });
});

t('for await accepts until the server closes', async () => {
  const server = await listen(uniquePath());
  const seen: string[] = [];
  const loop = (async () => {
    for await (const connection of server) {
      seen.push(new TextDecoder().decode(await readAll(connection.input)));
      await connection.close();
      if (seen.length === 2) void server.close();
    }
  })();
  for (const word of ['one', 'two']) {
    const c = await within(connect(server.path));
    await c.output.write(word);
    await c.close();
  }
  await within(loop);
  assert.equal(seen, ['one', 'two']);
});

t('listening on a live path is EADDRINUSE and leaves the live server alone', async () => {
  const path = uniquePath();
  const live = await listen(path);
  try {
    const inode = lstatSync(path).ino;
    const error = (await rejects(() => listen(path), Error, /another server is listening there \(EADDRINUSE\)/)) as NodeJS.ErrnoException;
    assert.is(error.code, 'EADDRINUSE');
    assert.is(lstatSync(path).ino, inode, 'the file is the live server’s');
    const client = await within(connect(path));
    const connection = await within(live.accept());
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await live.close();
  }
});

t('a regular file at the path is an error and stays untouched', async () => {
  const path = uniquePath();
  writeFileSync(path, 'precious');
  const error = (await rejects(() => listen(path), Error, /not a socket is there\. It was left untouched/)) as NodeJS.ErrnoException;
  assert.is(error.code, 'EEXIST');
  assert.is(readFileSync(path, 'utf8'), 'precious');
  unlinkSync(path);
});

t('a stale socket file of a SIGKILLed server is detected and replaced', async () => {
  const path = uniquePath();
  const child = runFixture('named-pipe-peer.ts', ['serve', path]);
  assert.is(await within(child.line(), 10_000, 'child server'), 'listening');
  child.process.kill('SIGKILL');
  assert.is(await within(child.exited), 'SIGKILL');
  assert.ok(lstatSync(path).isSocket(), 'the dead server left its socket file');
  // Nobody answers there: a client retries until its timeout, naming the reason.
  await rejects(() => connect(path, { timeout: 50 }), DOMException, /last error: ECONNREFUSED/);
  const server = await within(listen(path));
  try {
    const client = await within(connect(path));
    const connection = await within(server.accept());
    await client.output.write('after recovery');
    await client.close();
    assert.is(new TextDecoder().decode(await within(readAll(connection.input))), 'after recovery');
    await connection.close();
  } finally {
    await server.close();
  }
});

t('an old server’s close leaves a newer server’s file alone', async () => {
  const path = uniquePath();
  const old = await listen(path);
  unlinkSync(path); // e.g. a cleanup script removed it while the old server still ran
  const newer = await listen(path);
  try {
    const inode = lstatSync(path).ino;
    await old.close();
    assert.is(lstatSync(path).ino, inode, 'the newer server’s file is still there');
    const client = await within(connect(path));
    const connection = await within(newer.accept());
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await newer.close();
  }
  assert.is(existsSync(path), false);
});

t('the socket file is mode 0600 at all times, from its first instant', async () => {
  const path = uniquePath('mode');
  const dir = path.slice(0, path.lastIndexOf('/'));
  const poller = runFixture('socket-mode-poller.mjs', [dir, path.slice(dir.length + 1)]);
  assert.is(await within(poller.line(), 10_000, 'poller'), 'ready');
  for (let i = 0; i < 20; i++) {
    const server = await listen(path);
    assert.is(modeOf(path), 0o600);
    await server.close();
  }
  // Make sure the poller saw the file at least once (it may have been descheduled during the cycles).
  const last = await listen(path);
  assert.is(await within(poller.line(), 10_000, 'poller sees the socket'), 'seen');
  await last.close();
  poller.process.stdin!.end();
  const seen = JSON.parse(await within(poller.line(), 5000)) as Record<string, Record<string, number>>;
  assert.equal(Object.keys(seen.target!), ['600'], `modes seen at the path: ${JSON.stringify(seen)}`);
  for (const mode of Object.keys(seen.privateDirs!)) assert.is(mode, '700', 'private directories are 0700');
  await poller.exited;
});

t('currentUserOnly: false makes the socket reachable by everyone (0666)', async () => {
  const server = await listen(uniquePath(), { currentUserOnly: false });
  assert.is(modeOf(server.path), 0o666);
  await server.close();
});

t('maxConnections closes connections over the limit', async () => {
  const server = await listen(uniquePath(), { maxConnections: 1 });
  try {
    const first = await within(connect(server.path));
    const accepted = await within(server.accept());
    const second = await within(connect(server.path));
    assert.is((await within(second.input.readAtLeast(1))).isCompleted, true, 'the second one is closed');
    await first.output.write('first');
    await first.close();
    assert.is(new TextDecoder().decode(await within(readAll(accepted.input))), 'first');
    await Promise.all([accepted.close(), second.close()]);
  } finally {
    await server.close();
  }
});

t('the queue of unaccepted connections is bounded by backlog', async () => {
  const server = await listen(uniquePath(), { backlog: 2 });
  try {
    const clients = [];
    for (let i = 0; i < 3; i++) {
      const c = await within(connect(server.path));
      if (i < 2) await c.output.write(`c${i}`);
      clients.push(c);
    }
    assert.is((await within(clients[2]!.input.readAtLeast(1))).isCompleted, true, 'the third one is closed');
    for (let i = 0; i < 2; i++) {
      await clients[i]!.output.complete();
      const connection = await within(server.accept());
      assert.is(new TextDecoder().decode(await within(readAll(connection.input))), `c${i}`);
      await connection.close();
    }
    await Promise.all(clients.map((c) => c.close()));
  } finally {
    await server.close();
  }
});

t('the signal closes the server; an aborted signal stops listen()', async () => {
  const controller = new AbortController();
  const server = await listen(uniquePath(), { signal: controller.signal });
  const pending = server.accept();
  controller.abort();
  await rejects(() => within(pending), ServerClosedError);
  assert.is(server.closed, true);
  await within(server.close());

  const path = uniquePath();
  await rejects(() => listen(path, { signal: AbortSignal.abort(new Error('never mind')) }), Error, /never mind/);
  assert.is(existsSync(path), false);
});

t('bad options are a RangeError and nothing is left behind', async () => {
  const path = uniquePath();
  await rejects(() => listen(path, { backlog: 0 }), RangeError, /backlog must be a positive integer/);
  await rejects(() => listen(path, { maxConnections: -1 }), RangeError, /maxConnections must be a positive integer/);
  await rejects(() => listen('/' + 'x'.repeat(200)), RangeError, /Unix sockets allow at most/);
  assert.is(existsSync(path), false);
  const server = await listen(path);
  await rejects(() => server.accept({ timeout: -5 }), RangeError, /accept\(\): timeout must be a non-negative number/);
  await server.close();
});

t('a plain name listens at $TMPDIR/CoreFxPipe_NAME', async () => {
  const name = uniqueName();
  const server = await listen(name);
  try {
    assert.is(server.path, namedPipePath(name));
    assert.ok(lstatSync(server.path).isSocket());
    const client = await within(connect(name));
    const connection = await within(server.accept());
    await writeFrame(client.output, bytes('by name'));
    assert.is((await within(readFrame(connection.input)))!.toString(), 'by name');
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await server.close();
  }
  assert.is(existsSync(server.path), false);
});

t.run();
