#!/usr/bin/env node
// A tiny static file server for web/ (no dependencies): serves this directory on
// 127.0.0.1 only, with the right MIME type for .wasm (so browsers can compile it
// while it downloads) and revalidation on every load (`no-cache` with an ETag: a rebuilt
// package is picked up at once, an unchanged one is a 304, so Chromium can reuse the
// compiled WebAssembly it keeps in its code cache).
//
//   node web/serve.mjs [--port N] [--root DIR]     (default port 8080; 0 = any free port)
//
// Prints "serving DIR at http://127.0.0.1:PORT/" once it listens; stops on SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { open } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  if (i + 1 >= args.length) throw new Error(`${name} needs a value`);
  return args[i + 1];
}
const root = resolve(option('--root', dirname(fileURLToPath(import.meta.url))));
const port = Number(option('--port', process.env.PORT ?? '8080'));
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port: ${port}`);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
};

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden\n');
  let handle;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (!info.isFile()) return send(res, 404, 'not found\n');
    const etag = `"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': 'no-cache' });
      return res.end();
    }
    res.writeHead(200, {
      etag,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    const body = handle.createReadStream();
    handle = null; // the stream closes the file when it ends
    body.pipe(res);
  } catch (e) {
    const missing = ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(e.code);
    send(res, missing ? 404 : 500, missing ? 'not found\n' : 'error\n');
  } finally {
    await handle?.close();
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`serving ${root} at http://127.0.0.1:${server.address().port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
