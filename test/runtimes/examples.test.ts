/**
 * The runtime examples run as a user would run them, against the built package: examples/deno.ts
 * (Deno, `npm:io-pipelines` mapped to dist/ by examples/deno.importmap.json), examples/bun.ts (Bun) and
 * examples/browser.html (headless Chromium; a screenshot lands in build/runtimes/browser-example.png).
 * Node-only: `node --import tsx test/runtimes/examples.test.ts`, after the build.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
// @ts-expect-error -- plain .mjs helpers of the runtime harness, no declarations
import { findBinary, chromiumArgs, chromiumPath, hasChromium } from './binaries.mjs';
// @ts-expect-error -- plain .mjs helpers of the runtime harness, no declarations
import { startServer } from './server.mjs';
// @ts-expect-error -- plain .mjs helpers of the runtime harness, no declarations
import { root } from './suites.mjs';

const t = suite('examples');
const work = mkdtempSync(join(tmpdir(), 'io-pipelines-examples-'));
const ci = process.env.CI === 'true' || process.env.CI === '1';

// Lines long and short, CRLF and LF, empty ones, multi-byte characters, no final newline: over 64 KiB,
// so the runtimes' streams deliver it in several chunks and lines straddle their seams.
const expected: string[] = [];
for (let i = 0; i < 3000; i++) expected.push(i % 7 === 0 ? '' : `${i} ${'ünïcødé ✓ '.repeat(i % 13)}line`);
const text = expected.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('') + 'the end';
expected.push('the end');
const sample = join(work, 'sample.txt');
writeFileSync(sample, text);
const printed = expected.map((l, i) => `${i + 1}: ${l}`).join('\n') + `\n${expected.length} lines\n`;

/** Registers `name`, or says loudly that its runtime is missing (a failure in CI). */
function withRuntime(runtime: string, present: boolean, name: string, fn: () => void | Promise<void>): void {
  if (present) return void t(name, fn);
  const message = `${runtime.toUpperCase()} IS MISSING: "${name}" did NOT run${ci ? '' : ' (this fails in CI)'}`;
  console.error(`\n${'!'.repeat(78)}\n!! ${message}\n${'!'.repeat(78)}\n`);
  if (ci) t(name, () => assert.unreachable(message));
  else t.skip(name);
}

t.after(() => rmSync(work, { recursive: true, force: true }));

const deno = findBinary('deno');
withRuntime('deno', !!deno, 'examples/deno.ts prints every line of a file read through Deno.open().readable', () => {
  const r = spawnSync(deno.bin, ['run', '--no-lock', '--allow-read', '--import-map=examples/deno.importmap.json', 'examples/deno.ts', sample],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout === printed, `output differs; first lines: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr}`);
});

withRuntime('deno', !!deno, 'examples/deno.ts type-checks under Deno (deno check)', () => {
  const r = spawnSync(deno.bin, ['check', '--no-lock', '--import-map=examples/deno.importmap.json', 'examples/deno.ts'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

const bun = findBinary('bun');
withRuntime('bun', !!bun, 'examples/bun.ts prints every line of a file read through Bun.file().stream()', () => {
  const r = spawnSync(bun.bin, ['examples/bun.ts', sample], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout === printed, `output differs; first lines: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr}`);
});

withRuntime('chromium', hasChromium(), 'examples/browser.html shows every line of fetch(url).body', async () => {
  const server = await startServer({ extra: { '/__examples__/sample.txt': { type: 'text/plain; charset=utf-8', body: text } } });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}/examples/browser.html?url=/__examples__/sample.txt`);
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 30_000 });
    const status = await page.textContent('#status');
    assert.is(status, `${expected.length} lines from /__examples__/sample.txt`, `${status}; page errors: ${errors.join('; ')}`);
    const shown = await page.$$eval('#lines li', (items) => items.map((li) => li.textContent ?? ''));
    assert.is(shown.length, expected.length);
    assert.ok(shown.every((l, i) => l === expected[i]), 'a line differs');
    assert.equal(errors, []);
    mkdirSync(join(root, 'build', 'runtimes'), { recursive: true });
    await page.screenshot({ path: join(root, 'build', 'runtimes', 'browser-example.png') });
  } finally {
    await browser.close();
    await server.close();
  }
});

t('without global WHATWG streams, importing web-streams-polyfill/polyfill first is enough (README: Without WHATWG streams)', () => {
  // A child process whose realm has no stream classes at all, like an embedded JS engine.
  const script = `
    for (const k of Object.getOwnPropertyNames(globalThis)) if (/^(Readable|Writable|Transform)Stream|QueuingStrategy$/.test(k)) delete globalThis[k];
    const { Pipe, lines } = await import('io-pipelines');
    let before = 'no error';
    try { new Pipe().reader.asStream(); } catch (e) { before = e.message; }
    await import('web-streams-polyfill/polyfill');
    const pipe = new Pipe();
    const stream = pipe.reader.asStream();
    await pipe.writer.write(new TextEncoder().encode('a\\nb\\r\\nc'));
    await pipe.writer.complete();
    const got = [];
    for await (const line of lines(stream)) got.push(line);
    console.log(JSON.stringify({ before, got }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { before, got } = JSON.parse(r.stdout);
  assert.match(before, /needs a global ReadableStream.*web-streams-polyfill\/polyfill/);
  assert.equal(got, ['a', 'b', 'c']);
});

t.run();
