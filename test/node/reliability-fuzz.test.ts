/**
 * Differential fuzzing over the Node source kinds: a Node Readable (pull-based and `Readable.from`), a
 * file (`fs.createReadStream` and `openFile`, read sizes from the chunking) and a Unix socket. Same
 * properties and model as the universal suite (test/reliability/fuzz.test.ts).
 */
import { suite } from 'uvu';
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openFile } from '../../src/node.js';
import { concat } from '../helpers.js';
import { counter } from '../reliability/fuzz-kit.js';
import { bytesProperty, framesProperty, lineBytesProperty, linesProperty } from '../reliability/properties.js';
import type { LineSource } from '../../src/index.js';
import type { SourceKind } from '../reliability/sources.js';

const t = suite('reliability: differential fuzz (Node sources)');
const none = Promise.resolve(undefined);
const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-fuzz-'));
let files = 0;
let server: Server;
const sockPath = join(dir, 'fuzz.sock');
const accepted: ((s: Socket) => void)[] = [];

/**
 * A read size from the chunking: its first size, within [1, 1 MiB], but no more than ~500 reads per file
 * (each read is a thread-pool round trip: 1-byte reads of a 300 KB file would take seconds).
 */
function readSize(chunks: Uint8Array[]): number {
  let total = 0;
  for (const c of chunks) total += c.length;
  return Math.max(1, Math.ceil(total / 500), Math.min(1 << 20, chunks[0]?.length ?? 1));
}

function file(chunks: Uint8Array[]): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, concat(chunks));
  return path;
}

const nodeKinds: SourceKind[] = [
  {
    name: 'Node Readable (pull)',
    chunked: true,
    make(chunks) {
      let i = 0;
      const stream = new Readable({
        highWaterMark: 16,
        read() {
          // Node skips empty pushes in byte mode; they still exercise its paths.
          this.push(i < chunks.length ? chunks[i++]! : null);
        },
      });
      return { source: stream as unknown as LineSource, producer: none };
    },
  },
  {
    name: 'Node Readable.from (objectMode)',
    chunked: true,
    make: (chunks) => ({ source: Readable.from(chunks.filter((c) => c.length > 0)) as unknown as LineSource, producer: none }),
  },
  {
    name: 'fs.createReadStream',
    chunked: false,
    make: (chunks) => ({ source: createReadStream(file(chunks), { highWaterMark: readSize(chunks) }) as unknown as LineSource, producer: none }),
  },
  {
    name: 'openFile',
    chunked: false,
    make: (chunks) => ({ source: openFile(file(chunks), { readSize: readSize(chunks) }), producer: none }),
  },
  {
    name: 'Unix socket',
    chunked: false,
    async make(chunks) {
      const serverSide = new Promise<Socket>((resolve) => accepted.push(resolve));
      const client = createConnection(sockPath);
      // The producer writes each chunk with backpressure, then ends its side.
      const producer = (async () => {
        await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
        for (const chunk of chunks) {
          if (chunk.length > 0 && !client.write(chunk)) await new Promise((r) => client.once('drain', r));
        }
        await new Promise<void>((resolve) => client.end(resolve));
        return undefined;
      })();
      producer.catch(() => {});
      client.on('error', () => {}); // the reader may stop early (a frame error) and reset the connection
      return { source: (await serverSide) as unknown as LineSource, producer: producer.then(() => undefined, () => undefined) };
    },
  },
];

t.before(async () => {
  server = createServer((socket) => accepted.shift()!(socket));
  await new Promise<void>((resolve) => server.listen(sockPath, resolve));
});

t.after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  if (counter.cases > 2000) console.log(`\nfuzz cases run in this process so far (all suites): ${counter.cases}`);
});

const RUNS = 15;
for (const kind of nodeKinds) {
  t(`${kind.name}: bytes equal the input for any chunking and read strategy`, () => bytesProperty(kind, RUNS));
  t(`${kind.name}: lines() equal the model lines`, () => linesProperty(kind, RUNS));
  t(`${kind.name}: lineSequences() and forEachLine() equal the model line bytes`, () => lineBytesProperty(kind, RUNS));
  t(`${kind.name}: readFrame() and frames() equal the model frames and end`, () => framesProperty(kind, RUNS));
}

t.run();
