// A first look at io-pipelines: a producer writes lines into a Pipe in awkward chunks, a consumer parses
// them in place. Run with `npx tsx examples/start.ts`.
import { Pipe, SequenceReader } from '../src/index.js';

const pipe = new Pipe();

async function produce(): Promise<void> {
  const text = 'alpha\nbravo\r\ncharlie\ndelta without newline';
  for (let i = 0; i < text.length; i += 5) await pipe.writer.write(text.slice(i, i + 5)); // split mid-line
  await pipe.writer.complete();
}

async function consume(): Promise<void> {
  for (;;) {
    const { buffer, isCompleted } = await pipe.reader.read();
    const reader = new SequenceReader(buffer);
    for (let line; (line = reader.tryReadLine()) !== undefined; ) console.log(`line: ${line.toString()}`);
    if (isCompleted) {
      if (!reader.end) console.log(`last: ${reader.unreadSequence.toString()}`);
      break;
    }
    pipe.reader.advanceTo(reader.position, buffer.end); // consumed the lines, looked at everything
  }
  await pipe.reader.complete();
}

await Promise.all([produce(), consume()]);
