/**
 * createDuplexPipe over a net.Socket (loopback).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { createDuplexPipe } from '../../src/node.js';
import { bytes, equalBytes, rejects, within } from '../helpers.js';
import { Boom, randomChunks, readAll, turns } from './kit.js';

const t = suite('adapters/duplex (Node)');

/** A connected client socket and the server's end of it. */
async function socketPair(): Promise<{ client: net.Socket; server: net.Socket; close(): void }> {
  const listener = net.createServer({ allowHalfOpen: true });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection');
  const client = net.connect({ port: (listener.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  const connected = once(client, 'connect'); // either event may come first
  const [server] = (await accepted) as [net.Socket];
  await connected;
  return {
    client,
    server,
    close: () => {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}

function collect(socket: net.Socket): Promise<Uint8Array> {
  const got: Buffer[] = [];
  socket.on('data', (d: Buffer) => got.push(d));
  return new Promise((resolve) => socket.on('end', () => resolve(Buffer.concat(got))));
}

t('a socket round-trips both ways; completing output half-closes while input keeps reading', async () => {
  const { client, server, close } = await socketPair();
  const duplex = createDuplexPipe(client);
  const there = randomChunks(300_000, 121, 20_000);
  const back = randomChunks(200_000, 122, 20_000);
  const serverGot = collect(server);
  for (const c of there.chunks) await duplex.output.write(c);
  await duplex.output.complete(); // end(): the server sees the end of its input ...
  equalBytes(await within(serverGot, 5000), there.data);
  assert.is(client.destroyed, false, '... while the socket stays open for reading');
  for (const c of back.chunks) if (!server.write(c)) await once(server, 'drain');
  server.end();
  equalBytes(await within(readAll(duplex.input), 5000), back.data);
  await duplex.input.complete(); // both halves done: the socket is destroyed
  await turns(2);
  assert.is(client.destroyed, true);
  close();
});

t('completing input first keeps the write side; output completing then closes the socket', async () => {
  const { client, server, close } = await socketPair();
  const duplex = createDuplexPipe(client);
  const serverGot = collect(server);
  await duplex.input.complete();
  assert.is(client.destroyed, false);
  await duplex.output.write(bytes('after the input completed'));
  await duplex.output.complete();
  assert.is(new TextDecoder().decode(await within(serverGot)), 'after the input completed');
  await turns(2);
  assert.is(client.destroyed, true);
  close();
});

t('leaveOpen: neither half ends or destroys the socket', async () => {
  const { client, server, close } = await socketPair();
  const duplex = createDuplexPipe(client, { leaveOpen: true });
  server.write('hello');
  const r = await within(duplex.input.read());
  assert.is(r.buffer.toString(), 'hello');
  duplex.input.advanceTo(r.buffer.getPosition(2), r.buffer.end); // 'llo' unconsumed
  await duplex.input.complete();
  await duplex.output.complete();
  await turns(2);
  assert.is(client.destroyed, false);
  assert.is(client.writableEnded, false);
  const more = once(client, 'data');
  client.resume();
  assert.is(String((await within(more))[0]), 'llo', 'unread bytes went back to the socket');
  client.end('bye');
  server.resume();
  await once(server, 'end');
  close();
});

t('output.complete(error) destroys the socket; the input then fails', async () => {
  const { client, server, close } = await socketPair();
  server.on('error', () => {});
  const duplex = createDuplexPipe(client);
  const pending = duplex.input.read();
  await duplex.output.complete(new Boom('protocol error'));
  await rejects(() => within(pending), Boom, /protocol error/);
  assert.is(client.destroyed, true);
  await duplex.input.complete();
  close();
});

t('a Readable or a Writable alone is not a duplex: a TypeError, and the stream is left alone', async () => {
  const readable = new Readable({ read() {} });
  const writable = new Writable({ write: (_c, _e, cb) => cb() });
  for (const half of [readable, writable]) {
    await rejects(() => createDuplexPipe(half as never), TypeError, /^createDuplexPipe\(\) takes a Node Duplex/);
    assert.is(half.listenerCount('error'), 0, 'no listener left on the stream');
  }
  readable.push('still mine');
  assert.is(String(readable.read()), 'still mine');
});

t.run();
