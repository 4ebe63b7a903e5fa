/**
 * The bench's input files: a deterministic lorem-ipsum text generated into a temp folder, reused when
 * it is still there and intact, deleted on request.
 *
 * - `lorem-lf.txt`: exactly 256 MiB (`BENCH_LINES_MIB` to change), lines of 0 to 24 words ending in
 *   `\n`, about 3 % empty lines, 1 % of the words non-ASCII (see OTHER);
 * - `lorem-crlf.txt`: the same lines ending in `\r\n`;
 * - `lorem-1gib.txt`: `lorem-lf.txt` four times (the copy-file and 1 GiB RSS benches).
 * Every file ends with a line terminator, so every correct line counter (and `wc -l`) agrees.
 * A manifest records size, SHA-256 and line count; a file is reused only if its size and hash still
 * match (hashing also warms the page cache, so every contestant reads from memory, not disk).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bump when the generator changes: old files are then regenerated. */
const VERSION = 2;

export const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'io-pipelines-bench');
const LINES_BYTES = Math.round(Number(process.env.BENCH_LINES_MIB ?? 256) * 1024 * 1024);

const LATIN = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et ' +
  'dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea ' +
  'commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur ' +
  'excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum'
).split(' ');
/**
 * One word in a hundred is drawn from these, so about one line in ten has a multi-byte character (and
 * some are split across read boundaries): decoders take their non-ASCII path and must get seams right,
 * while the text stays mostly ASCII like lorem ipsum, prose and logs. (How much this matters: with
 * one word in eleven non-ASCII, every string row ran about 2× slower than on pure ASCII here, and
 * string rows gained ~0.2× on readline with pure ASCII.)
 */
const OTHER = 'café naïve größe λόγος 日本語 €uro'.split(' ');
const WORDS = [...LATIN, ...OTHER];
const WORD_BYTES = WORDS.map((w) => Buffer.byteLength(w));

/** mulberry32: a tiny seeded PRNG, so the text is the same on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes the LF and CRLF variants side by side. Returns their line count (the same for both).
 * The LF file is exactly `size` bytes: the last line is padded (ASCII) to fit.
 */
function generateLines(lfPath, crlfPath, size) {
  const random = prng(0x10_91_9e);
  const lf = openSync(lfPath, 'w');
  const crlf = openSync(crlfPath, 'w');
  let lfBlock = [];
  let crlfBlock = [];
  let blockBytes = 0;
  let total = 0;
  let lines = 0;
  const flush = () => {
    writeSync(lf, lfBlock.join(''));
    writeSync(crlf, crlfBlock.join(''));
    lfBlock = [];
    crlfBlock = [];
    blockBytes = 0;
  };
  for (;;) {
    const words = random() < 0.03 ? 0 : 1 + Math.floor(random() * 24);
    let line = '';
    let bytes = 0;
    for (let w = 0; w < words; w++) {
      const k = random() < 0.01 ? LATIN.length + Math.floor(random() * OTHER.length) : Math.floor(random() * LATIN.length);
      if (w > 0) {
        line += ' ';
        bytes++;
      }
      line += w === 0 ? WORDS[k][0].toUpperCase() + WORDS[k].slice(1) : WORDS[k];
      bytes += WORD_BYTES[k];
    }
    if (words > 0) {
      line += '.';
      bytes++;
    }
    if (total + bytes + 1 > size - 512) {
      // The last line: pad so the LF file is exactly `size` bytes.
      const rest = size - total - 1;
      line = 'Lorem ipsum '.repeat(Math.ceil(rest / 12)).slice(0, rest);
      lfBlock.push(line, '\n');
      crlfBlock.push(line, '\r\n');
      lines++;
      flush();
      break;
    }
    lfBlock.push(line, '\n');
    crlfBlock.push(line, '\r\n');
    total += bytes + 1;
    blockBytes += bytes + 1;
    lines++;
    if (blockBytes > 1 << 20) flush();
  }
  closeSync(lf);
  closeSync(crlf);
  return lines;
}

function concatenate(from, to, times) {
  const block = readFileSync(from);
  const fd = openSync(to, 'w');
  for (let i = 0; i < times; i++) writeSync(fd, block);
  closeSync(fd);
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Makes sure the data files exist and are intact; returns `{ lf, crlf, gib }`, each
 * `{ path, size, lines }`. `needGib`: also the 1 GiB file.
 */
export async function prepareData({ needGib = true, log = console.log } = {}) {
  mkdirSync(DATA_DIR, { recursive: true });
  const manifestPath = join(DATA_DIR, 'manifest.json');
  let manifest = readManifest(manifestPath);
  if (manifest?.version !== VERSION || manifest?.linesBytes !== LINES_BYTES) manifest = null;
  const files = {
    lf: join(DATA_DIR, 'lorem-lf.txt'),
    crlf: join(DATA_DIR, 'lorem-crlf.txt'),
    gib: join(DATA_DIR, 'lorem-1gib.txt'),
  };
  const intact = async (key) => {
    const entry = manifest?.files?.[key];
    if (entry === undefined || !existsSync(files[key]) || statSync(files[key]).size !== entry.size) return false;
    return (await sha256(files[key])) === entry.sha256;
  };

  if (!(await intact('lf')) || !(await intact('crlf'))) {
    log(`generating ${(LINES_BYTES / 2 ** 20).toFixed(0)} MiB lorem ipsum (LF and CRLF) in ${DATA_DIR} ...`);
    const lines = generateLines(files.lf, files.crlf, LINES_BYTES);
    manifest = { version: VERSION, linesBytes: LINES_BYTES, files: {} };
    for (const key of ['lf', 'crlf']) {
      manifest.files[key] = { size: statSync(files[key]).size, sha256: await sha256(files[key]), lines };
    }
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  if (needGib && !(await intact('gib'))) {
    log(`writing the 1 GiB file (lorem-lf.txt x 4) ...`);
    concatenate(files.lf, files.gib, 4);
    manifest.files.gib = {
      size: statSync(files.gib).size, sha256: await sha256(files.gib), lines: manifest.files.lf.lines * 4,
    };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  const out = {};
  for (const key of Object.keys(files)) {
    if (manifest.files[key] !== undefined) out[key] = { path: files[key], ...manifest.files[key] };
  }
  return out;
}

/** Deletes the data folder. */
export function deleteData() {
  rmSync(DATA_DIR, { recursive: true, force: true });
}
