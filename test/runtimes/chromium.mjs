#!/usr/bin/env node
// Runs a bundled suite (see bundle.mjs) in real headless Chromium (Debian `chromium`, driven by
// playwright-core). The page loads build/runtimes/<suite>.chromium.mjs as a native ES module from a local
// server, and that bundle imports the package's dist/index.mjs as is. uvu's output arrives through the
// console and is printed here, so scripts/test.mjs can read the summary.
//   node test/runtimes/chromium.mjs universal
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './suites.mjs';
import { bundlePath } from './bundle.mjs';
import { startServer } from './server.mjs';
import { runtimeMissing } from './missing.mjs';
import { chromiumArgs, chromiumPath, hasChromium } from './binaries.mjs';


/** Launches Chromium, or reports it missing (loud; fatal in CI). */
export async function launch() {
  if (!hasChromium()) runtimeMissing('chromium', `${chromiumPath} does not exist (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
}

async function main() {
  const suite = process.argv[2] ?? 'universal';
  const bundle = bundlePath(suite, 'chromium');
  if (!existsSync(bundle)) {
    console.error(`${relative(root, bundle)} is missing: run \`node test/runtimes/bundle.mjs\` first`);
    process.exit(1);
  }
  const src = '/' + relative(root, bundle);
  const page404 = [];
  const { url, close } = await startServer({
    extra: {
      '/__runtime__/index.html': {
        type: 'text/html; charset=utf-8',
        body: `<!doctype html><meta charset="utf-8"><title>io-pipelines ${suite} suite</title><script type="module" src="${src}"></script>`,
      },
      '/favicon.ico': { type: 'image/x-icon', body: '' },
    },
  });
  const browser = await launch();
  let code = 1;
  try {
    const page = await browser.newPage();
    console.log(`chromium ${browser.version()} running ${src.slice(1)}`);
    const plain = !process.stdout.isTTY; // the browser always gets uvu's colours; keep logs readable
    page.on('console', (msg) => {
      const text = plain ? msg.text().replace(/\x1b\[[0-9;]*m/g, '') : msg.text();
      if (msg.type() === 'error' || msg.type() === 'warning') process.stderr.write(text + '\n');
      else process.stdout.write(text); // uvu writes fragments; its own newlines are in the text
    });
    page.on('pageerror', (error) => console.error(`page error: ${error.stack ?? error}`));
    page.on('response', (r) => { if (r.status() >= 400) page404.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${url}/__runtime__/index.html`);
    const handle = await page.waitForFunction(() => globalThis.__RUNTIME_RESULT__, undefined, { timeout: 310_000, polling: 100 });
    ({ code } = await handle.jsonValue());
    if (page404.length) console.error(`failed requests:\n  ${page404.join('\n  ')}`);
  } catch (error) {
    console.error(`chromium run failed: ${error.message}`);
    if (page404.length) console.error(`failed requests:\n  ${page404.join('\n  ')}`);
  } finally {
    await browser.close();
    await close();
  }
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
