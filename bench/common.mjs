/**
 * What every contestant uses to report: one JSON line on stdout, read by bench/run.mjs.
 *
 * A contestant is a separate process doing one job once (after `BENCH_WARMUP` untimed runs). It
 * times only the job (not process start-up or module loading) with `performance.now()`, and reports
 * the process's peak resident set size (`process.resourceUsage().maxRSS`, the kernel's high-water
 * mark, so nothing between samples is missed).
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

/**
 * Runs `job` (which resolves to the fields to report), times it and prints the result line. With
 * `BENCH_WARMUP=n` the job first runs n times untimed in the same process, so the timed run measures
 * compiled code (steady state) instead of a fresh process's interpreter and JIT warm-up.
 */
export async function measure(name, job) {
  const warmup = Number(process.env.BENCH_WARMUP ?? 0);
  for (let i = 0; i < warmup; i++) await job();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const fields = await job();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  report({ name, ms, cpuMs: (used.user + used.system) / 1000, ...fields });
}

/** Prints one result line: `{ name, ms, cpuMs, rss, bytes?, lines?, chars? }` (rss in bytes). */
export function report(fields) {
  const rss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ...fields, rss })}\n`);
}

/** Command-line argument `i` (after the script), or the environment variable, or a default. */
export function arg(i, env, fallback) {
  return process.argv[2 + i] ?? process.env[env] ?? fallback;
}

/** The pipe bench's workload: how many bytes in total, in how big writes. */
export const PIPE_TOTAL = Number(process.env.BENCH_PIPE_BYTES ?? 2 ** 30);
export const PIPE_CHUNK = 64 * 1024;

/** The one 64 KiB source chunk every pipe contestant writes again and again. */
export function sourceChunk() {
  const chunk = new Uint8Array(PIPE_CHUNK);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  return chunk;
}
