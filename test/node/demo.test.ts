import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const t = suite('lorem-ipsum demo');

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = join(root, 'examples', 'lorem-ipsum.ts');
const bundled = readFileSync(join(root, 'examples', 'lorem-ipsum.txt'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'io-pipelines-demo-'));
const PROMPT = "Press 'C' to cancel processing...\n";
// The demo is a Node program (`npm start`): when this suite runs on Deno or Bun, it is still Node's to run.
const NODE = 'Deno' in globalThis || 'Bun' in globalThis ? 'node' : process.execPath;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the demo (through tsx, as `npm start` does) with its stdin a pipe that is never closed unless
 * `input` is given: so a demo waiting on stdin would hang, and fail the test by the time limit.
 */
function run(args: string[], input?: string, ms = 20_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['--import', 'tsx', demo, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not exit within ${ms} ms (hung); stdout so far: ${stdout.slice(-200)}`));
    }, ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

t('by default it prints the bundled text line by line and exits 0, with stdin a pipe left open', async () => {
  const r = await run([]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${PROMPT}${bundled}Processing completed.\n`);
  assert.is(r.stderr, '');
});

t('the bundled text is a few KB of lines and ends with a line end', () => {
  assert.ok(bundled.length > 2000 && bundled.endsWith('\n'));
  assert.ok(bundled.split('\n').length > 20);
});

t('a path argument: \\r\\n lines are written with \\n; an incomplete last line is written too', async () => {
  const r = await run([file('crlf.txt', 'alpha\r\nbeta\ngamma')]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${PROMPT}alpha\nbeta\ngamma\nProcessing completed.\n`);
});

t('--strict: an incomplete last line is "Incomplete message." on stderr and exit code 1', async () => {
  const r = await run([file('partial.txt', 'alpha\nbeta'), '--strict']);
  assert.is(r.code, 1);
  assert.is(r.stdout, `${PROMPT}alpha\n`);
  assert.is(r.stderr, 'Incomplete message.\n');
  const whole = await run([file('whole.txt', 'alpha\nbeta\n'), '--strict']);
  assert.is(whole.code, 0, 'a complete text is fine with --strict');
  assert.is(whole.stdout, `${PROMPT}alpha\nbeta\nProcessing completed.\n`);
});

t('"-" reads standard input', async () => {
  const r = await run(['-'], 'from\nstdin\n');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${PROMPT}from\nstdin\nProcessing completed.\n`);
});

t('a missing file fails with the error, not a hang', async () => {
  const r = await run([join(dir, 'missing.txt')]);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /ENOENT/);
});

t('npm start runs the demo', async () => {
  const npm = spawnSync('npm', ['start', '--silent'], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] });
  assert.is(npm.status, 0, npm.stderr);
  assert.ok(npm.stdout.endsWith(`${bundled}Processing completed.\n`), npm.stdout.slice(-200));
});

// With a terminal: `script` gives the demo a pseudo-terminal, and our pipe into `script` becomes its keys.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function inTerminal(args: string, keys: (write: (s: string) => void, output: () => string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const command = `${JSON.stringify(NODE)} --import tsx ${JSON.stringify(demo)} ${args}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    keys((s) => child.stdin.write(s), () => stdout);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit under a terminal: ${stdout.slice(-300)}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout: stdout.replace(/\r\n/g, '\n'), stderr: '' });
    });
  });
}

if (hasScript) {
  t("in a terminal, pressing C cancels: 'Processing cancelled.', exit 0", async () => {
    const r = await inTerminal('--delay=200', (write, output) => {
      // Press C once the first lines are out (the demo is in raw mode by then).
      const poll = setInterval(() => {
        if (output().split('\n').length > 3) {
          clearInterval(poll);
          write('C');
        }
      }, 20);
    });
    assert.is(r.code, 0, r.stdout);
    assert.match(r.stdout, /Processing cancelled\.\n?$/);
    assert.ok(!r.stdout.includes('Processing completed.'));
    const written = r.stdout.split('\n').length;
    assert.ok(written < bundled.split('\n').length, 'it stopped before the end');
  });

  t('in a terminal, without a key press, it completes and exits by itself', async () => {
    const r = await inTerminal('', () => {});
    assert.is(r.code, 0, r.stdout);
    assert.match(r.stdout, /Processing completed\.\n?$/);
  });
}

t.after(() => rmSync(dir, { recursive: true, force: true }));

t.run();
