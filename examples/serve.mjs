#!/usr/bin/env node
// Serves this repository on http://127.0.0.1:8080 for examples/browser.html (read-only, GET only):
//   npm run build && node examples/serve.mjs [port]
import { startServer } from '../test/runtimes/server.mjs';

const { url } = await startServer({ port: Number(process.argv[2] ?? 8080) });
console.log(`open ${url}/examples/browser.html  (Ctrl-C to stop)`);
