import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import {
  TruncatedFrameError, frames, readFrame, writeFrame, type NamedPipeConnection, type NamedPipeServer,
} from '../../src/node.js';
import { bytes, concat, equalBytes, isPending, randomBytes, rejects, within } from '../helpers.js';
import { runFixture, uniquePath, disposeTracked, listen, connect } from '../fixtures/child.js';

const t = suite('connectNamedPipe');
t.after.each(disposeTracked);

async function echo(connection: NamedPipeConnection): Promise<void> {
  try {
    for await (const frame of frames(connection.input)) await writeFrame(connection.output, frame);
  } finally {
    await connection.close();
  }
}

/** An echo server for the duration of `body`. */
async function withEchoServer(body: (server: NamedPipeServer) => Promise<void>): Promise<void> {
  const server = await listen(uniquePath());
  const serving: Promise<void>[] = [];
  const loop = (async () => {
    for await (const connection of server) serving.push(echo(connection).catch(() => {}));
  })();
  try {
    await body(server);
  } finally {
    await server.close();
    await loop;
    await Promise.all(serving);
  }
}

t('a connect with no server times out with a TimeoutError naming the path', async () => {
  const path = uniquePath();
  const error = (await rejects(() => within(connect(path, { timeout: 60 })), DOMException)) as DOMException;
  assert.is(error.name, 'TimeoutError');
  assert.ok(error.message.includes(path), error.message);
  assert.match(error.message, /within 60 ms \(last error: ENOENT\)/);
});

t('a process that only failed to connect exits by itself', async () => {
  const child = runFixture('named-pipe-peer.ts', ['connect-fail', uniquePath(), '200']);
  const result = JSON.parse(await within(child.line(), 10_000, 'child')) as { name: string; message: string };
  assert.is(result.name, 'TimeoutError');
  // Nothing (timer, socket) may keep it alive: it ends on its own, with success.
  assert.is(await within(child.exited, 5000, 'child exit'), 0);
});

t('a server that appears late is reached', async () => {
  const path = uniquePath();
  const connecting = connect(path, { timeout: 5000 });
  assert.ok(await isPending(connecting));
  await new Promise((r) => setTimeout(r, 30));
  const server = await listen(path);
  try {
    const client = await within(connecting);
    const connection = await within(server.accept());
    await writeFrame(client.output, 'made it');
    assert.is((await within(readFrame(connection.input)))!.toString(), 'made it');
    await Promise.all([client.close(), connection.close()]);
  } finally {
    await server.close();
  }
});

t('aborting a connect rejects with the reason and leaves nothing behind', async () => {
  const controller = new AbortController();
  const connecting = connect(uniquePath(), { signal: controller.signal, timeout: Infinity });
  assert.ok(await isPending(connecting));
  const reason = new Error('changed my mind');
  controller.abort(reason);
  assert.is(await within(connecting.catch((e: unknown) => e)), reason);
  const pre = (await rejects(() => connect(uniquePath(), { signal: AbortSignal.abort() }), DOMException)) as DOMException;
  assert.is(pre.name, 'AbortError');
});

t('an abort during a successful connect leaves no connection', async () => {
  const server = await listen(uniquePath());
  try {
    const controller = new AbortController();
    const connecting = connect(server.path, { signal: controller.signal });
    controller.abort();
    await rejects(() => within(connecting), DOMException, /aborted/);
    // If the socket got through before the abort, it was closed: the server sees a connection that ends.
    const accepted = await server.accept({ timeout: 100 }).catch(() => null);
    if (accepted !== null) {
      assert.is((await within(accepted.input.readAtLeast(1))).isCompleted, true);
      await accepted.close();
    }
  } finally {
    await server.close();
  }
});

t('a path too long, a bad timeout, and errors retrying cannot fix fail at once', async () => {
  await rejects(() => connect('/tmp/' + 'x'.repeat(200)), RangeError, /is 205 bytes; Unix sockets allow at most 107/);
  await rejects(() => connect(uniquePath(), { timeout: -1 }), RangeError, /timeout must be a non-negative number/);
  const file = uniquePath('file');
  writeFileSync(file, '');
  const error = (await rejects(() => within(connect(file + '/below', { timeout: 60_000 })), Error, /cannot connect to .*below/)) as NodeJS.ErrnoException;
  assert.is(error.code, 'ENOTDIR');
});

t('a client killed mid-frame is a TruncatedFrameError on the server', async () => {
  const server = await listen(uniquePath());
  try {
    const child = runFixture('named-pipe-peer.ts', ['partial-frame', server.path]);
    const connection = await within(server.accept(), 10_000);
    assert.is(await within(child.line(), 10_000), 'sent');
    child.process.kill('SIGKILL');
    const error = (await rejects(async () => {
      for await (const _ of frames(connection.input)) assert.unreachable('no whole frame was sent');
    }, TruncatedFrameError, /14 of 1004 bytes arrived/)) as TruncatedFrameError;
    assert.is(error.expected, 1004);
    await connection.close();
    await child.exited;
  } finally {
    await server.close();
  }
});

t('a peer reset is a clear error on the reader, and no unhandled error', async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => void uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  const server = await listen(uniquePath());
  try {
    const client = await within(connect(server.path));
    const connection = await within(server.accept());
    // The client leaves without reading what the server sent: the kernel resets the connection.
    await connection.output.write(randomBytes(200_000));
    await client.output.write('hello?');
    await new Promise((r) => setTimeout(r, 20));
    client.socket.destroy();
    const { buffer } = await within(connection.input.read());
    assert.is(buffer.toString(), 'hello?');
    connection.input.advanceTo(buffer.end);
    const error = (await rejects(() => within(connection.input.read()), Error)) as NodeJS.ErrnoException;
    assert.is(error.code, 'ECONNRESET', String(error));
    await connection.close();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
    await server.close();
  }
});

t('a peer that is not ours (socat or python3) talks to our server', async () => {
  await withEchoServer(async (server) => {
    const payload = concat([bytes([0, 0, 0, 12]), bytes('from outside'), bytes([0, 0, 0, 3]), bytes('bye')]);
    const hasSocat = spawnSync('socat', ['-V']).status === 0;
    const [cmd, args] = hasSocat
      ? ['socat', ['-t', '5', '-', `UNIX-CONNECT:${server.path}`]]
      : ['python3', ['-c', [
          'import socket,sys',
          's=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])',
          's.sendall(sys.stdin.buffer.read()); s.shutdown(socket.SHUT_WR)',
          'out=b""',
          'while True:',
          '  d=s.recv(65536)',
          '  if not d: break',
          '  out+=d',
          'sys.stdout.buffer.write(out)',
        ].join('\n'), server.path]];
    const peer = spawn(cmd as string, args as string[], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Uint8Array[] = [];
    peer.stdout.on('data', (d: Uint8Array) => out.push(d));
    peer.stdin.end(payload);
    const code = await within(new Promise((r) => peer.on('exit', r)), 10_000, `${cmd} peer`);
    assert.is(code, 0);
    // It half-closed after sending; our echo still arrived, then our end.
    equalBytes(concat(out), payload);
  });
});

t('100 concurrent clients in another process each echo 1 MiB intact', async () => {
  await withEchoServer(async (server) => {
    const child = runFixture('named-pipe-peer.ts', ['echo-clients', server.path, '100', String(1 << 20)]);
    const result = JSON.parse(await within(child.line(), 60_000, '100 clients')) as { ok: number; failures: string[]; ms: number };
    assert.equal(result.failures, []);
    assert.is(result.ok, 100);
    assert.is(await within(child.exited, 5000), 0);
  });
});

t.run();
