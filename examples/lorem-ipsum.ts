/**
 * The lorem-ipsum demo (`npm start`): the line-processing program of the .NET System.IO.Pipelines
 * documentation, in TypeScript. It reads a text through `PipeReader.create`, parses it line by line in
 * place (`SequenceReader.tryReadLine`, then `advanceTo(consumed, examined)`), and writes the lines
 * through `PipeWriter.create(process.stdout, { leaveOpen: true })`.
 *
 *   npm start                                  the bundled examples/lorem-ipsum.txt
 *   npx tsx examples/lorem-ipsum.ts <path>     another file
 *   some-command | npx tsx examples/lorem-ipsum.ts -      standard input
 *
 * Options: `--strict` reports an incomplete last line (no line end) as the original does, with
 * `Incomplete message.` on stderr and exit code 1 (without it, that line is written like the others);
 * `--delay=<ms>` waits after each line, so that there is time to press the cancel key on a short text.
 *
 * When stdin is a terminal, pressing `C` cancels: `cancelPendingRead()` ends the pending read and
 * `cancelPendingFlush()` the pending flush, and the program ends with `Processing cancelled.`. When it is
 * not (CI, pipes, `-`), there is no key to wait for and stdin is left alone.
 */
import { createReadStream } from 'node:fs';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { PipeReader, PipeWriter, SequenceReader, type ReadOnlySequence } from '../src/node.js';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const delay = Number(args.find((a) => a.startsWith('--delay='))?.slice('--delay='.length) ?? 0);
const input = args.find((a) => a === '-' || !a.startsWith('--'));
const fromStdin = input === '-';
const path = input ?? fileURLToPath(new URL('./lorem-ipsum.txt', import.meta.url));

// `... | head` closes stdout early: stop quietly, as command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const reader = PipeReader.create(fromStdin ? process.stdin : createReadStream(path));
const writer = PipeWriter.create(process.stdout, { leaveOpen: true });

let cancelled = false;
const stopWatching = watchCancelKey(() => {
  cancelled = true;
  reader.cancelPendingRead();
  writer.cancelPendingFlush();
});

process.stdout.write("Press 'C' to cancel processing...\n");

let incomplete = false;
try {
  incomplete = await processLines();
} finally {
  stopWatching();
  await reader.complete();
  await writer.complete(); // flushes what is left; stdout stays open (leaveOpen)
}

if (cancelled) {
  process.stdout.write('Processing cancelled.\n');
} else if (incomplete) {
  process.stderr.write('Incomplete message.\n');
  process.exitCode = 1;
} else {
  process.stdout.write('Processing completed.\n');
}

/** The read loop. Returns true when the input ended inside a line and `--strict` was given. */
async function processLines(): Promise<boolean> {
  for (;;) {
    const result = await reader.read();
    const { buffer } = result;
    const lines = new SequenceReader(buffer);
    let flushCanceled = false;
    for (let line; !cancelled && (line = lines.tryReadLine()) !== undefined; ) {
      writeLine(line);
      if (delay > 0) {
        flushCanceled = (await writer.flush()).isCanceled;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (result.isCanceled || flushCanceled || cancelled) return false;
    if (result.isCompleted) {
      if (lines.end) return false;
      // The input ended inside a line: the original treats that as an error.
      if (strict) return true;
      writeLine(lines.unreadSequence);
      return false;
    }
    // Consumed the lines, examined everything: the next read waits for new bytes.
    reader.advanceTo(lines.position, buffer.end);
    const flushed = await writer.flush();
    if (flushed.isCanceled || flushed.isCompleted) return false;
  }
}

/** Copies a line (zero-copy view of the input) into the writer's memory, with a line end. */
function writeLine(line: ReadOnlySequence): void {
  const memory = writer.getMemory(line.length + 1);
  line.copyTo(memory);
  memory[line.length] = 0x0a;
  writer.advance(line.length + 1);
}

/** Raw-mode key handling while stdin is a terminal (and not the input). Returns the way to stop it. */
function watchCancelKey(onCancel: () => void): () => void {
  if (fromStdin || !isatty(0)) return () => {};
  const stdin = process.stdin;
  stdin.setRawMode(true);
  const onData = (key: Buffer): void => {
    const k = key.toString('latin1');
    if (k === 'c' || k === 'C') onCancel();
    else if (k === '\u0003') {
      // Ctrl+C does not raise SIGINT in raw mode: behave as the terminal would.
      stdin.setRawMode(false);
      process.exit(130);
    }
  };
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
