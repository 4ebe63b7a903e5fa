/**
 * A chat server over a named pipe (`npm run example:server`): no port, just a name. Every message a
 * client sends (one length-prefixed frame, UTF-8) goes to every connected client, the sender included,
 * as `[id] text` — so with one client it is an echo server. Ctrl-C closes the server gracefully: it
 * stops accepting at once and gives connected clients 2 s to finish.
 *
 *   npm run example:server               pipe name 'io-pipelines-demo'
 *   npx tsx examples/pipe-server.ts NAME  another name (or an absolute socket path)
 *
 * The pipe is $TMPDIR/CoreFxPipe_NAME on Linux and macOS and \\.\pipe\NAME on Windows, as .NET names it:
 * a .NET NamedPipeClientStream("NAME") can connect too (it has to speak the same framing).
 */
import { NamedPipeServer, frames, writeFrame, type NamedPipeConnection } from '../src/node.js';

const name = process.argv[2] ?? 'io-pipelines-demo';
const server = await NamedPipeServer.listen(name);
const clients = new Map<number, NamedPipeConnection>();
let nextId = 1;
console.log(`listening on ${server.path} (Ctrl-C to stop)`);

process.once('SIGINT', () => {
  console.log('\nclosing: no new clients; connected ones get 2 s to finish');
  void server.close({ timeout: 2000 });
});

async function broadcast(text: string): Promise<void> {
  // Each client's writes are awaited in turn: a slow client slows its own delivery, nobody else's memory grows.
  await Promise.all([...clients.values()].map((c) => writeFrame(c.output, text).catch(() => {})));
}

async function serve(id: number, connection: NamedPipeConnection): Promise<void> {
  clients.set(id, connection);
  console.log(`[${id}] connected (${clients.size} online)`);
  try {
    for await (const frame of frames(connection.input, { maxFrameSize: 64 * 1024 })) {
      const text = frame.toString(); // decode before the next step: the frame is a view of the read buffer
      console.log(`[${id}] ${text}`);
      await broadcast(`[${id}] ${text}`);
    }
  } catch (error) {
    console.log(`[${id}] ${(error as Error).message}`);
  } finally {
    clients.delete(id);
    await connection.close();
    console.log(`[${id}] left (${clients.size} online)`);
  }
}

for await (const connection of server) void serve(nextId++, connection);
console.log('server closed');
