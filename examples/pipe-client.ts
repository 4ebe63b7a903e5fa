/**
 * The client of examples/pipe-server.ts (`npm run example:client`): each line typed (or piped in) is
 * sent as one frame; every frame the server sends is printed. When the input ends, the client
 * half-closes its side, prints what is still coming, and exits once the server closes the connection.
 *
 *   npm run example:client                              then type; Ctrl-D to leave
 *   printf 'hello\nworld\n' | npm run example:client    prints "[1] hello" and "[1] world", then exits
 *   npx tsx examples/pipe-client.ts NAME                another pipe name
 *
 * It waits up to 5 s for the server to appear, so both can be started in either order.
 */
import { PipeReader, connectNamedPipe, frames, lines, writeFrame } from '../src/node.js';

const name = process.argv[2] ?? 'io-pipelines-demo';
let connection;
try {
  connection = await connectNamedPipe(name, { timeout: 5000 });
} catch (error) {
  console.error(`${(error as Error).message}\nIs the server running? npm run example:server`);
  process.exit(1);
}

const receiving = (async () => {
  for await (const frame of frames(connection.input)) console.log(frame.toString());
})();

// stdin stays open for the caller (leaveOpen): only its lines are ours.
for await (const line of lines(PipeReader.create(process.stdin, { leaveOpen: true }))) {
  if (line.length === 0) continue;
  const { isCompleted } = await writeFrame(connection.output, line);
  if (isCompleted) break; // the server went away
}
await connection.output.complete(); // half-close: "I have nothing more to say"
try {
  await receiving;
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
await connection.close();
process.stdin.destroy();
