#!/usr/bin/env node
/**
 * `npm run bench [-- <filters>] [--clean]` — runs the comparisons and prints one table each.
 *
 *   npm run bench                      everything (about 5 minutes on a 2-core machine)
 *   npm run bench -- pipe lines        only comparisons whose id contains a filter
 *                                      (ids: pipe, pipe-warm, copy-file, lines-lf, lines-crlf, rss-1gib)
 *   BENCH_RUNS=1 npm run bench -- copy one repetition (default 5; the table shows the best and median)
 *   npm run bench -- --clean           delete the generated data files afterwards
 *   npm run bench -- --list            list the contestants and exit
 * Other knobs: BENCH_DATA_DIR (default <tmpdir>/io-pipelines-bench), BENCH_LINES_MIB (default 256),
 * BENCH_PIPE_BYTES (default 1 GiB), BENCH_TIMEOUT_S (per contestant run, default 300).
 *
 * Methodology
 * - Every contestant is a separate process that does its job once: bench/pipe/*, bench/copy-file.*,
 *   bench/lines/* (io-pipelines rows), bench/lines-ref/* (the references), plus `wc -l`. So no
 *   contestant inherits another's JIT state, garbage or heap growth, and peak RSS is its own.
 *   The pipe comparison runs twice: `pipe` times each process's first transfer (cold), `pipe-warm`
 *   the transfer after 3 untimed ones in the same process (steady state; `BENCH_WARMUP`, same for
 *   every row). A 1 GiB transfer takes tens of ms, so cold figures are mostly JIT warm-up.
 * - A contestant times its job with performance.now() (not process start-up or module loading) and
 *   prints one JSON line `{ name, ms, cpuMs, rss, bytes?, lines?, chars? }`; cpuMs is the process's
 *   user+system CPU time during the job (all threads, so also libuv's file reads); rss is the
 *   kernel's peak RSS (`process.resourceUsage().maxRSS`). `wc -l` is timed by this runner around the
 *   spawn, its CPU time and peak RSS taken from /usr/bin/time.
 * - TypeScript contestants are bundled with esbuild (what tsx uses to transpile) into bench/build/ and
 *   run with plain `node`: tsx's loader runs on a worker thread with its own heap (+~50 MiB RSS on
 *   Node 20), which would be charged to the contestant.
 * - Repetitions are interleaved (run 1 of every contestant, then run 2, ...; the order rotates each
 *   round), so a slow phase of the machine hits every contestant alike. MB/s and every ratio use the
 *   BEST time of each row: other processes on the machine (a shared 2-core CI box) only ever add
 *   time, so the fastest run is the closest to the code's own speed. The median, the CPU time and the
 *   load average are printed too, so a noisy run shows. Ratio > 1 means faster than the reference.
 *   Peak RSS is the highest over the runs.
 * - Input files are generated once, deterministically (bench/data.mjs), and hashed before the run,
 *   which also puts them in the page cache: file benches measure the read path, not the disk.
 * - Targets are checked and printed as PASS/MISS; the process never fails on them (speed is not a
 *   test). Every lines contestant reports its line count, and those with strings their character
 *   count: a count that differs from the generator's is a MISS of its own (fast but wrong is wrong).
 * - Results: bench/results/<id>.json per comparison, bench/results/README.md (all tables, with the
 *   date and the machine) and bench/results/lines.svg (MB/s of the lines rows).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, deleteData, prepareData } from './data.mjs';
import { PIPE_TOTAL } from './common.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const RESULTS = join(BENCH, 'results');
const BUILD = join(BENCH, 'build');
const RUNS = Math.max(1, Math.floor(Number(process.env.BENCH_RUNS ?? 5)) || 1);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const MiB = 1024 * 1024;
const RSS_LIMIT = 100 * MiB;
/** Untimed transfers before the timed one in the pipe-warm comparison. */
const PIPE_WARMUP = 3;

const argv = process.argv.slice(2);
const filters = argv.filter((a) => !a.startsWith('-'));
const flags = new Set(argv.filter((a) => a.startsWith('-')));

// ------------------------------------------------------------------ contestants

/** Contestant scripts in `dir` (relative to bench/) whose names pass `accept`; `_*` files are helpers. */
function scripts(dir, accept = () => true) {
  const full = join(BENCH, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => /\.(ts|mjs|js)$/.test(f) && !f.startsWith('_') && !f.endsWith('.d.ts') && accept(f))
    .sort()
    .map((f) => join(full, f));
}

/** A contestant running a bench script. It is an io-pipelines row when its source imports src/. */
function scriptContestant(file, extra = {}) {
  const source = readFileSync(file, 'utf8');
  const ours = /from\s+['"](\.\.\/)+src\//.test(source) || /from\s+['"]io-pipelines/.test(source);
  const tag = /bench-role:\s*([\w-]+)/.exec(source)?.[1];
  return {
    id: basename(file).replace(/\.(ts|mjs|js)$/, ''),
    file,
    source,
    ours,
    role: tag ?? extra.role,
    ...extra,
  };
}

function wcContestant() {
  return { id: 'wc-l', name: 'wc -l', command: 'wc', ours: false };
}

/** Which target an io-pipelines lines row answers, from a `bench-role:` tag or from what it calls. */
function lineRole(c) {
  if (c.role !== undefined) return c.role;
  const s = c.source;
  if (/PipeReader\.create\s*\(/.test(s) && /createReadStream\s*\(/.test(s)) return 'stream-loop';
  if (/\blines\s*\(/.test(s)) return 'strings';
  if (/forEachLine\s*\(|openFile\s*\(|lineSequences\s*\(/.test(s)) return 'count';
  return 'other';
}

/** The read path of a row: 'readSync' for openFile (large reads), 'stream' for createReadStream. */
function readPath(c) {
  return /createReadStream\s*\(/.test(c.source ?? '') ? 'stream' : 'readSync';
}

/**
 * The pipe comparison. `warmup` = 0: each process times its first transfer (cold: the interpreter and
 * the JIT warm up during it). `warmup` > 0: each process first does that many untimed transfers, so
 * the timed one runs compiled code (steady state, what a long-lived pipe in a server sees).
 */
function pipeComparison(id, warmup) {
  const when = warmup === 0
    ? 'cold: the first transfer in a fresh process'
    : `warm: timed after ${warmup} untimed transfers in the same process`;
  return {
    id,
    title: `pipe throughput (${when}): ${fmtSize(PIPE_TOTAL)} in 64 KiB writes, the reader consumes everything`,
    bytes: PIPE_TOTAL,
    env: { BENCH_WARMUP: String(warmup) },
    note:
      `The same 64 KiB chunk is written ${fmtInt(PIPE_TOTAL / 65536)} times; ` +
      "each consumer adds each chunk's (or segment's) length and reads its first byte. " +
      "PassThrough with a 'data' listener hands each chunk over synchronously inside write() (no promise, no tick); " +
      'the Pipe rows, like the for-await row, take one await per chunk on each side. Pipe write() copies each chunk into pipe memory ' +
      '(the caller may reuse its chunk at once); getMemory/advance/flush is the in-place producer (a socket or file read fills pipe memory) and copies nothing, ' +
      'like PassThrough and TransformStream, which pass references. ' +
      'The floor row is no library: two async loops passing the chunk with bare promises, the least any awaited consumer pays per chunk. ' +
      (warmup === 0
        ? 'Cold: most of a Pipe row\'s time here is the JIT compiling the pipe; the pipe-warm table shows the steady state.'
        : 'Warm: every row, references included, gets the same untimed transfers first.'),
    contestants: scripts('pipe').map((f) => scriptContestant(f)),
    refs: [
      { id: 'passthrough', label: "× PassThrough 'data'" },
      { id: 'passthrough-async', label: '× PassThrough for-await' },
      { id: 'transform-stream', label: '× TransformStream' },
    ],
    targets: (rows) => [
      target(rows, 'Pipe write() ≥ 2× stream.PassThrough (issue 2)', 'pipe-write', 'passthrough', 2),
      target(rows, 'Pipe getMemory/advance/flush ≥ 2× stream.PassThrough', 'pipe-memory', 'passthrough', 2),
      // Not the issue's bar: the same comparison against the PassThrough consumer that also awaits each chunk.
      target(rows, 'Pipe write() ≥ 2× PassThrough for-await (same consumer shape)', 'pipe-write', 'passthrough-async', 2),
      target(rows, 'Pipe getMemory/advance/flush ≥ 2× PassThrough for-await (same consumer shape)', 'pipe-memory', 'passthrough-async', 2),
    ],
    checkBytes: true,
  };
}

function comparisons(data) {
  const lf = data?.lf;
  const crlf = data?.crlf;
  const gib = data?.gib;
  const linesContestants = () => [
    ...scripts('lines-ref').map((f) => scriptContestant(f)),
    wcContestant(),
    ...scripts('lines').map((f) => scriptContestant(f)),
  ].map((c) => (c.ours ? { ...c, role: lineRole(c) } : c));
  const linesComparison = (id, input, ending) => ({
    id,
    title: `lines: ${fmtSize(input?.size ?? 0)} lorem ipsum, ${ending} line ends`,
    input,
    contestants: linesContestants(),
    refs: [{ id: 'readline', label: '× readline' }],
    note:
      'Deterministic lorem ipsum (bench/data.mjs): 0–24 words per line, 1 % of the words non-ASCII (about one line in nine), ' +
      'read from the page cache. String rows count lines and characters; count rows decode nothing. ' +
      'readline uses its \'line\' event (faster than for await), split2 its \'data\' event.',
    targets: linesTargets,
    checkCounts: true,
  });
  const copyScripts = scripts('.', (f) => f.startsWith('copy-file.'));
  return [
    pipeComparison('pipe', 0),
    pipeComparison('pipe-warm', PIPE_WARMUP),
    {
      id: 'copy-file',
      title: 'copy a 1 GiB file to /dev/null',
      input: gib,
      needs: 'gib',
      contestants: (copyScripts.length > 0 ? copyScripts : scripts('copy')).map((f) => scriptContestant(f)),
      refs: [{ id: '@reference', label: '× stream.pipeline' }],
      targets: (rows) => {
        const ref = rows.find((r) => !r.ours);
        return rows.filter((r) => r.ours).map((r) => target(rows, `${r.name} ≥ 0.9× ${ref?.name ?? 'stream.pipeline'} (issue 3)`, r.id, ref?.id, 0.9));
      },
      checkBytes: true,
    },
    linesComparison('lines-lf', lf, 'LF'),
    linesComparison('lines-crlf', crlf, 'CRLF'),
    {
      id: 'rss-1gib',
      title: 'read a 1 GiB file line by line: peak RSS',
      input: gib,
      needs: 'gib',
      runs: 1,
      contestants: [
        ...scripts('lines-ref', (f) => f.startsWith('stream-bytes')).map((f) => scriptContestant(f)),
        ...scripts('lines').map((f) => scriptContestant(f)),
      ],
      refs: [],
      targets: (rows) =>
        rows.filter((r) => r.ours).map((r) => rssTarget(r, `${r.name}: peak RSS < 100 MiB on 1 GiB (issue 3)`)),
      checkCounts: true,
    },
  ];
}

/** The issue-4 targets for one lines comparison. */
function linesTargets(rows) {
  const out = [];
  const ours = rows.filter((r) => r.ours);
  for (const r of ours) {
    if (r.role === 'count') {
      out.push(target(rows, `${r.name} ≥ 6× readline`, r.id, 'readline', 6));
      out.push(target(rows, `${r.name} ≥ 0.8× hand readSync loop (count)`, r.id, 'readsync-bytes', 0.8));
    } else if (r.role === 'strings') {
      const hand = r.readPath === 'stream' ? 'stream-strings' : 'readsync-strings';
      out.push(target(rows, `${r.name} ≥ 1.5× readline`, r.id, 'readline', 1.5));
      out.push(target(rows, `${r.name} ≥ 0.85× hand ${r.readPath === 'stream' ? 'createReadStream' : 'readSync'} loop (string per line)`, r.id, hand, 0.85));
    } else if (r.role === 'stream-loop') {
      out.push(target(rows, `${r.name} ≥ 0.9× hand createReadStream loop (count)`, r.id, 'stream-bytes', 0.9));
    }
  }
  for (const r of ours) out.push(rssTarget(r, `${r.name}: peak RSS ≤ 100 MiB`));
  return out;
}

function target(rows, label, rowId, refId, min) {
  const row = rows.find((r) => r.id === rowId);
  const ref = rows.find((r) => r.id === refId);
  const value = row?.ms && ref?.ms ? ref.ms / row.ms : null;
  return { label, row: rowId, ref: refId, min, value, unit: '×', pass: value !== null && value >= min };
}

function rssTarget(row, label) {
  const value = row.rss ?? null;
  return { label, row: row.id, max: RSS_LIMIT, value, unit: 'B', pass: value !== null && value <= RSS_LIMIT };
}

// ------------------------------------------------------------------ running

async function bundle(contestants) {
  const ts = [...new Set(contestants.filter((c) => c.file?.endsWith('.ts')).map((c) => c.file))];
  if (ts.length === 0) return;
  const { build } = await import('esbuild');
  rmSync(BUILD, { recursive: true, force: true });
  await build({
    entryPoints: ts,
    outdir: BUILD,
    outbase: BENCH,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    packages: 'external',
    logLevel: 'warning',
  });
  for (const c of contestants) {
    if (c.file?.endsWith('.ts')) c.run = join(BUILD, relative(BENCH, c.file)).replace(/\.ts$/, '.mjs');
  }
}

/** One run of one contestant → `{ ms, rss, bytes?, lines?, chars?, name? }` or `{ error }`. */
function runOnce(c, inputPath, env) {
  if (c.command === 'wc') {
    const start = performance.now();
    const p = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', 'wc', '-l', inputPath], { encoding: 'utf8', timeout: TIMEOUT_MS });
    const ms = performance.now() - start;
    if (p.status !== 0) return { error: (p.stderr || String(p.error)).trim().slice(-500) };
    const rssKiB = Number(/maxrss=(\d+)/.exec(p.stderr)?.[1]);
    const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(p.stderr);
    return {
      ms,
      cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined,
      rss: Number.isFinite(rssKiB) ? rssKiB * 1024 : null,
      lines: Number(p.stdout.trim().split(/\s+/)[0]),
    };
  }
  const args = [c.run ?? c.file];
  if (inputPath !== undefined) args.push(inputPath);
  const p = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 16 * MiB,
    env: { ...process.env, ...env },
  });
  const line = p.stdout?.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (p.status !== 0 || line === undefined) {
    const why = p.error ? String(p.error) : `exit ${p.status ?? p.signal}`;
    return { error: `${why}: ${(p.stderr ?? '').trim().split('\n').slice(-6).join(' | ').slice(-600)}` };
  }
  try {
    return JSON.parse(line);
  } catch {
    return { error: `bad result line: ${line.slice(0, 200)}` };
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function runComparison(cmp, log) {
  const runs = cmp.runs ?? RUNS;
  const contestants = cmp.contestants;
  const results = new Map(contestants.map((c) => [c.id, []]));
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < contestants.length; k++) {
      const c = contestants[(k + round) % contestants.length];
      const r = runOnce(c, cmp.input?.path, cmp.env);
      results.get(c.id).push(r);
      const shown = r.error ? `ERROR ${r.error}` : `${r.ms.toFixed(0)} ms`;
      log(`  [${cmp.id} ${round + 1}/${runs}] ${(c.name ?? r.name ?? c.id).padEnd(58)} ${shown}`);
    }
  }
  const rows = contestants.map((c) => {
    const all = results.get(c.id);
    const ok = all.filter((r) => !r.error);
    const name = c.name ?? ok[0]?.name ?? c.id;
    const row = { id: c.id, name, ours: c.ours, role: c.role, readPath: c.source && readPath(c), file: c.file && relative(ROOT, c.file), runs: all };
    if (ok.length < all.length) row.error = all.find((r) => r.error).error;
    if (ok.length === 0) return row;
    row.ms = Math.min(...ok.map((r) => r.ms));
    row.medianMs = median(ok.map((r) => r.ms));
    const cpu = ok.map((r) => r.cpuMs).filter((v) => typeof v === 'number');
    if (cpu.length > 0) row.cpuMs = Math.min(...cpu);
    // MB/s of the input (file benches) or of the bytes moved (pipe): what a user gets through.
    row.bytes = ok[0].bytes ?? cmp.input?.size ?? cmp.bytes;
    row.mbps = (cmp.input?.size ?? row.bytes) / 1e6 / (row.ms / 1e3);
    const rss = ok.map((r) => r.rss).filter((v) => typeof v === 'number');
    row.rss = rss.length > 0 ? Math.max(...rss) : null;
    const lines = [...new Set(ok.map((r) => r.lines).filter((v) => v !== undefined))];
    const chars = [...new Set(ok.map((r) => r.chars).filter((v) => v !== undefined))];
    const bytes = [...new Set(ok.map((r) => r.bytes).filter((v) => v !== undefined))];
    if (lines.length > 0) row.lines = lines.length === 1 ? lines[0] : lines;
    if (chars.length > 0) row.chars = chars.length === 1 ? chars[0] : chars;
    if (bytes.length > 1) row.bytes = bytes;
    return row;
  });
  const targets = cmp.targets(rows);
  if (cmp.checkCounts) targets.push(...countChecks(cmp, rows));
  if (cmp.checkBytes) targets.push(bytesCheck(cmp, rows));
  return { rows, targets };
}

/** Every row counted the generator's lines (and, with strings, the same characters). */
function countChecks(cmp, rows) {
  const expected = cmp.input.lines;
  const withChars = rows.filter((r) => r.chars !== undefined);
  const wrong = rows.filter((r) => r.ms !== undefined && r.lines !== expected);
  const out = [
    {
      label: `every row counts ${fmtInt(expected)} lines${wrong.length ? ` (wrong: ${wrong.map((r) => `${r.name} = ${r.lines}`).join(', ')})` : ''}`,
      pass: wrong.length === 0 && rows.every((r) => r.ms !== undefined),
      value: rows.length - wrong.length,
      unit: 'rows',
    },
  ];
  if (withChars.length > 1) {
    const first = withChars[0].chars;
    const bad = withChars.filter((r) => r.chars !== first);
    out.push({
      label: `every string row decodes the same ${fmtInt(first)} characters${bad.length ? ` (differ: ${bad.map((r) => `${r.name} = ${r.chars}`).join(', ')})` : ''}`,
      pass: bad.length === 0,
      value: withChars.length - bad.length,
      unit: 'rows',
    });
  }
  return out;
}

function bytesCheck(cmp, rows) {
  const expected = cmp.input?.size ?? cmp.bytes;
  const wrong = rows.filter((r) => r.ms !== undefined && r.bytes !== expected);
  return {
    label: `every row moved ${fmtInt(expected)} bytes${wrong.length ? ` (wrong: ${wrong.map((r) => `${r.name} = ${r.bytes}`).join(', ')})` : ''}`,
    pass: wrong.length === 0 && rows.every((r) => r.ms !== undefined),
    value: rows.length - wrong.length,
    unit: 'rows',
  };
}

// ------------------------------------------------------------------ reporting

function fmtSize(b) {
  return b >= 2 ** 30 ? `${+(b / 2 ** 30).toFixed(2)} GiB` : `${+(b / MiB).toFixed(1)} MiB`;
}
function fmtInt(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
}
function fmtMbps(v) {
  return v === undefined ? '—' : v >= 100 ? fmtInt(Math.round(v)) : v.toFixed(1);
}
function fmtRatio(v) {
  return v === null || v === undefined ? '—' : `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}
/** A target's ratio: three decimals, so a MISS never prints as the threshold itself (0.80× < 0.8). */
function fmtTargetRatio(v) {
  return v === null || v === undefined ? '—' : `${v.toFixed(3)}×`;
}
function fmtMiB(b) {
  return typeof b === 'number' ? (b / MiB).toFixed(0) : '—';
}

function refRows(cmp, rows) {
  return cmp.refs
    .map(({ id, label }) => ({ label, row: id === '@reference' ? rows.find((r) => !r.ours) : rows.find((r) => r.id === id) }))
    .filter((ref) => ref.row?.ms !== undefined);
}

/** A markdown table (padded so it also reads well in a terminal). */
function table(headers, body, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const cell = (s, i) => (align[i] === 'r' ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...body.map(line)].join('\n');
}

function renderComparison(result) {
  const { cmp, rows, targets, runs } = result;
  const refs = refRows(cmp, rows);
  const hasLines = rows.some((r) => r.lines !== undefined);
  const headers = ['contestant', 'MB/s', 'best ms', 'median ms', 'CPU ms', 'peak RSS MiB'];
  const align = ['l', 'r', 'r', 'r', 'r', 'r'];
  if (hasLines) {
    headers.push('lines');
    align.push('r');
  }
  for (const ref of refs) {
    headers.push(ref.label);
    align.push('r');
  }
  const body = rows.map((r) => {
    const cells = [
      `${r.ours ? '**' : ''}${r.name}${r.ours ? '**' : ''}`,
      r.ms === undefined ? 'FAILED' : fmtMbps(r.mbps),
      r.ms === undefined ? '—' : r.ms.toFixed(0),
      r.medianMs === undefined ? '—' : r.medianMs.toFixed(0),
      r.cpuMs === undefined ? '—' : r.cpuMs.toFixed(0),
      fmtMiB(r.rss),
    ];
    if (hasLines) cells.push(r.lines === undefined ? '—' : Array.isArray(r.lines) ? r.lines.join('/') : fmtInt(r.lines));
    for (const ref of refs) cells.push(r.ms === undefined ? '—' : fmtRatio(ref.row.ms / r.ms));
    return cells;
  });
  const inputNote = cmp.input ? ` — ${fmtInt(cmp.input.size)} bytes${cmp.input.lines && cmp.checkCounts ? `, ${fmtInt(cmp.input.lines)} lines` : ''}` : '';
  const out = [
    `### ${cmp.id}: ${cmp.title}${inputNote}`,
    '',
    ...(cmp.note ? [cmp.note, ''] : []),
    `Best of ${runs} run${runs === 1 ? '' : 's'} per row (MB/s and ratios from the best time), each a separate process; ` +
      `**bold** = io-pipelines; MB/s = 10^6 bytes/s; CPU = user+system of the best run. ` +
      `Load average (1 min) before/after: ${result.load.join(' / ')} on ${result.machine.cores} cores.`,
    '',
    table(headers, body, align),
    '',
  ];
  const errors = rows.filter((r) => r.error);
  for (const r of errors) out.push(`- ERROR in ${r.name}: ${r.error}`);
  if (errors.length) out.push('');
  if (targets.length) {
    out.push('Targets:', '');
    for (const t of targets) {
      const shown = t.unit === '×' ? fmtTargetRatio(t.value) : t.unit === 'B' ? `${fmtMiB(t.value)} MiB` : '';
      out.push(`- ${t.pass ? 'PASS' : 'MISS'} ${t.label}${shown ? `: ${shown}` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
function machineLine(m, date) {
  return `${date.slice(0, 10)} · Node ${m.node} · ${m.cpu} · ${m.cores} cores · ${m.memGiB} GiB · ${m.os}`;
}

/** Horizontal bars of the lines rows' MB/s, LF and CRLF side by side. Plain SVG, no dependency. */
function linesSvg(lf, crlf) {
  const names = [...new Set([...(lf?.rows ?? []), ...(crlf?.rows ?? [])].map((r) => r.id))];
  const rowOf = (res, id) => res?.rows.find((r) => r.id === id);
  const entries = names.map((id) => {
    const a = rowOf(lf, id);
    const b = rowOf(crlf, id);
    return { id, name: (a ?? b).name, ours: (a ?? b).ours, lf: a?.mbps, crlf: b?.mbps };
  });
  entries.sort((x, y) => (y.lf ?? y.crlf ?? 0) - (x.lf ?? x.crlf ?? 0));
  // wc -l (native, no strings) is an order of magnitude faster than every JS row: the scale ignores
  // it, and its bars are drawn broken (the value is printed) so the JS rows stay comparable.
  const scaled = entries.filter((e) => e.id !== 'wc-l');
  const max = Math.max(1, ...(scaled.length > 0 ? scaled : entries).flatMap((e) => [e.lf ?? 0, e.crlf ?? 0])) * 1.02;
  // Room for the longest label (about 8 px per character at 13 px bold).
  const labelW = Math.max(200, Math.ceil(Math.max(...entries.map((e) => e.name.length)) * 8) + 20);
  const barW = 420;
  const rowH = 34;
  const top = 84;
  const height = top + entries.length * rowH + 40;
  const width = labelW + barW + 90;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const m = (lf ?? crlf).machine;
  const date = (lf ?? crlf).date;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="16" font-weight="600">Reading ${esc(((lf ?? crlf).cmp.input.size / MiB).toFixed(0))} MiB of text line by line — MB/s (higher is better)</text>`,
    `<text x="12" y="42" fill="#555">${esc(machineLine(m, date))} · best of ${(lf ?? crlf).runs} run${(lf ?? crlf).runs === 1 ? '' : 's'} · wc -l bars broken (off scale)</text>`,
    `<rect x="12" y="${top - 22}" width="10" height="10" fill="#2f6fdf"/><text x="26" y="${top - 13}">LF</text>`,
    `<rect x="62" y="${top - 22}" width="10" height="10" fill="#9bbcf2"/><text x="76" y="${top - 13}">CRLF</text>`,
    `<rect x="128" y="${top - 22}" width="10" height="10" fill="#1a9b5a"/><rect x="140" y="${top - 22}" width="10" height="10" fill="#8fd3ae"/><text x="156" y="${top - 13}">io-pipelines (LF, CRLF)</text>`,
  ];
  entries.forEach((e, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${labelW - 8}" y="${y + 16}" text-anchor="end"${e.ours ? ' font-weight="600"' : ''}>${esc(e.name)}</text>`);
    const bars = [
      [e.lf, e.ours ? '#1a9b5a' : '#2f6fdf', 0],
      [e.crlf, e.ours ? '#8fd3ae' : '#9bbcf2', 14],
    ];
    for (const [v, color, dy] of bars) {
      if (v === undefined) continue;
      const broken = v > max;
      const w = broken ? barW : Math.max(1, (v / max) * barW);
      parts.push(`<rect x="${labelW}" y="${y + 4 + dy}" width="${w.toFixed(1)}" height="12" fill="${color}"/>`);
      if (broken) {
        const bx = labelW + barW * 0.85;
        parts.push(`<path d="M${bx} ${y + 2 + dy} l6 8 l-6 8 h5 l6 -8 l-6 -8 z" fill="#ffffff"/>`);
      }
      parts.push(`<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 14 + dy}" font-size="11" fill="#333">${esc(fmtMbps(v))}</text>`);
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function writeReadme() {
  const files = readdirSync(RESULTS).filter((f) => f.endsWith('.json')).sort();
  const order = ['pipe', 'pipe-warm', 'copy-file', 'lines-lf', 'lines-crlf', 'rss-1gib'];
  const saved = files
    .map((f) => JSON.parse(readFileSync(join(RESULTS, f), 'utf8')))
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const out = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.mjs); each section says when and where it was measured. Every',
    'row is a separate process; MB/s and ratios use each row\'s best time in that same run (> 1× = faster',
    'than that row).',
    'Methodology: the comment at the top of bench/run.mjs.',
    '',
  ];
  for (const s of saved) {
    out.push(`_${machineLine(s.machine, s.date)}_`, '', s.markdown.trim(), '');
    if (s.id === 'lines-lf' || (s.id === 'lines-crlf' && !saved.some((x) => x.id === 'lines-lf'))) {
      out.push('![MB/s of the lines rows](lines.svg)', '');
    }
  }
  writeFileSync(join(RESULTS, 'README.md'), out.join('\n'));
}

// ------------------------------------------------------------------ main

async function main() {
  const started = performance.now();
  const log = (s) => console.log(s);
  const selected = (id) => filters.length === 0 || filters.some((f) => id.includes(f));
  const wanted = comparisons(undefined).filter((c) => selected(c.id));
  if (wanted.length === 0) {
    console.log(`no comparison matches ${filters.join(', ')}; ids: ${comparisons(undefined).map((c) => c.id).join(', ')}`);
    return;
  }
  if (flags.has('--list')) {
    for (const c of wanted) {
      console.log(`${c.id}:`);
      for (const k of c.contestants) console.log(`  ${k.ours ? '*' : ' '} ${k.id}${k.role ? ` (${k.role})` : ''}  ${k.file ? relative(ROOT, k.file) : k.command}`);
    }
    return;
  }
  const m = machine();
  const date = new Date().toISOString();
  log(`io-pipelines bench · ${machineLine(m, date)} · load ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} · ${RUNS} run(s)`);
  const needsFiles = wanted.some((c) => !c.id.startsWith('pipe'));
  const data = needsFiles ? await prepareData({ needGib: wanted.some((c) => c.needs === 'gib'), log }) : undefined;
  const list = comparisons(data).filter((c) => selected(c.id));
  await bundle(list.flatMap((c) => c.contestants));
  mkdirSync(RESULTS, { recursive: true });
  const done = {};
  const printed = [];
  for (const cmp of list) {
    if (cmp.contestants.length === 0) {
      log(`\n(${cmp.id}: no contestants yet)`);
      continue;
    }
    log(`\n${cmp.id}: ${cmp.contestants.length} contestants × ${cmp.runs ?? RUNS} run(s)`);
    const loadBefore = os.loadavg()[0];
    const { rows, targets } = await runComparison(cmp, log);
    const load = [loadBefore, os.loadavg()[0]].map((v) => +v.toFixed(2));
    const result = { cmp, rows, targets, runs: cmp.runs ?? RUNS, machine: m, date, load };
    const markdown = renderComparison(result);
    done[cmp.id] = result;
    printed.push(markdown);
    log(`\n${markdown}`);
    writeFileSync(
      join(RESULTS, `${cmp.id}.json`),
      `${JSON.stringify(
        {
          id: cmp.id, title: cmp.title, date, machine: m, runs: result.runs, load,
          input: cmp.input ? { size: cmp.input.size, lines: cmp.input.lines, sha256: cmp.input.sha256 } : { bytes: cmp.bytes },
          rows: rows.map(({ runs, ...r }) => ({ ...r, runs: runs.map(({ name, ...rest }) => rest) })),
          targets,
          markdown,
        },
        null,
        2,
      )}\n`,
    );
  }
  if (done['lines-lf'] || done['lines-crlf']) {
    const load = (id) => {
      if (done[id]) return done[id];
      const f = join(RESULTS, `${id}.json`);
      if (!existsSync(f)) return undefined;
      const j = JSON.parse(readFileSync(f, 'utf8'));
      return { ...j, cmp: { input: j.input } };
    };
    writeFileSync(join(RESULTS, 'lines.svg'), linesSvg(load('lines-lf'), load('lines-crlf')));
  }
  writeReadme();
  const all = Object.entries(done).flatMap(([id, r]) => r.targets.map((t) => ({ ...t, label: `[${id}] ${t.label}` })));
  log(`\n== summary: ${all.filter((t) => t.pass).length} PASS, ${all.filter((t) => !t.pass).length} MISS ==`);
  for (const t of all) {
    const shown = t.unit === '×' ? ` ${fmtTargetRatio(t.value)}` : t.unit === 'B' ? ` ${fmtMiB(t.value)} MiB` : '';
    log(`${t.pass ? 'PASS' : 'MISS'} ${t.label}${shown}`);
  }
  log(`\nresults: ${relative(ROOT, RESULTS)}/ · data: ${DATA_DIR} · ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (flags.has('--clean')) {
    deleteData();
    log(`deleted ${DATA_DIR}`);
  }
}

await main();
