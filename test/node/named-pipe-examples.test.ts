import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { within } from '../helpers.js';
import { uniquePath } from '../fixtures/child.js';

const t = suite('named-pipe examples');
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Runs an example with tsx; resolves its stdout once it exits. */
function run(file: string, args: string[], stdin?: string): {
  out: Promise<string>;
  kill(signal: NodeJS.Signals): void;
  firstLine: Promise<string>;
  printed(pattern: RegExp): Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', examples + file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onLine: (line: string) => void;
  const firstLine = new Promise<string>((r) => (onLine = r));
  const waiting: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.includes('\n')) onLine(out.slice(0, out.indexOf('\n')));
    for (const w of waiting) if (w.pattern.test(out)) w.resolve();
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  return {
    out: new Promise((resolve) => child.on('exit', () => resolve(out))),
    kill: (signal) => child.kill(signal),
    firstLine,
    // Resolves once stdout so far matches: the server logs a departure asynchronously after the client exits.
    printed: (pattern) => (pattern.test(out) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ pattern, resolve }))),
  };
}

t('the chat server echoes what the client pipes in, and both exit cleanly', async () => {
  const path = uniquePath('chat');
  const server = run('pipe-server.ts', [path]);
  assert.match(await within(server.firstLine, 10_000, 'server start'), `listening on ${path}`);
  const client = await within(run('pipe-client.ts', [path], 'hello\n\nworld\n').out, 10_000, 'client');
  assert.is(client, '[1] hello\n[1] world\n');
  await within(server.printed(/\[1\] left/), 10_000, 'server noticing the client left');
  server.kill('SIGINT');
  const log = await within(server.out, 10_000, 'server exit');
  assert.match(log, /\[1\] connected[\s\S]*\[1\] left[\s\S]*server closed/);
});

t('the client says what to do when it cannot connect', async () => {
  // A path below a regular file fails at once (ENOTDIR), without the 5 s wait for a server to appear.
  const file = uniquePath('file');
  writeFileSync(file, '');
  const child = spawn(process.execPath, ['--import', 'tsx', examples + 'pipe-client.ts', file + '/below'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await within(new Promise((r) => child.on('exit', r)), 15_000, 'client exit');
  assert.is(code, 1);
  assert.match(err, /cannot connect to [\s\S]*Is the server running\? npm run example:server/);
});

t.run();
