/**
 * process.stdin and process.stdout as a source and a sink, in a child process.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PipeReader, PipeWriter } from '../../src/node.js';
import { equalBytes, within } from '../helpers.js';
import { randomChunks, readAll } from './kit.js';

const t = suite('adapters/stdio (Node)');
const fixture = fileURLToPath(new URL('../fixtures/stdio-echo.ts', import.meta.url));

t('PipeReader.create(process.stdin) → copyTo(PipeWriter.create(process.stdout)) echoes every byte', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const { data, chunks } = randomChunks(1_000_000, 141, 50_000);
  const input = PipeWriter.create(child.stdin!);
  const output = PipeReader.create(child.stdout!);
  const echoed = readAll(output);
  for (const c of chunks) await input.write(c);
  await input.complete();
  equalBytes(await within(echoed, 20_000), data);
  await output.complete();
  assert.is(await within(exited, 20_000), 0, 'the child exited cleanly');
});

t.run();
