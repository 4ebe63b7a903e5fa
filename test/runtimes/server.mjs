#!/usr/bin/env node
// A tiny static file server on 127.0.0.1 for the browser tests and examples/browser.html. It serves the
// repository read-only (GET/HEAD only, no directory listings, nothing outside the root).
//   node test/runtimes/server.mjs [port]   then open http://127.0.0.1:<port>/examples/browser.html
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { root } from './suites.mjs';

const types = {
  '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.css': 'text/css', '.map': 'application/json',
};

/** Starts the server; `extra` maps URL paths to generated content ({ type, body }). */
export function startServer({ port = 0, extra = {} } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (path === '/favicon.ico' && !extra[path]) return void res.writeHead(204).end();
    if (extra[path]) {
      res.writeHead(200, { 'content-type': extra[path].type, 'cache-control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : extra[path].body);
    }
    const file = normalize(join(root, path));
    let stat;
    try {
      stat = statSync(file);
    } catch {
      stat = undefined;
    }
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || !stat?.isFile() || file.includes(`${sep}node_modules${sep}`)) {
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-length': stat.size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(() => r())), server });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startServer({ port: Number(process.argv[2] ?? 8080) });
  console.log(`serving ${root} at ${url}/  (example: ${url}/examples/browser.html)`);
}
