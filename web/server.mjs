// A small static server for the assembled page (<build>/web). It exists because the page needs
// headers a generic server does not send: COOP/COEP make the page cross-origin isolated (so a
// threaded build could use SharedArrayBuffer), a Content-Security-Policy keeps every request on
// this origin, and .mjs and .wasm need their proper types for module workers and streaming
// compilation.
//
//   node web/server.mjs [--root DIR] [--port N] [--host H]
//
// Port 0 (the default when PORT is unset) picks a free port; the address is printed.

import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page only talks to its own origin, and a Content-Security-Policy makes the browser enforce
 * it. Inline scripts (the import map) are allowed by their hashes only, so text from a file that
 * ever reached the DOM as HTML still could not run. 'unsafe-eval' is for Embind, which builds
 * its call wrappers with new Function.
 */
function headersFor(inlineScriptHashes) {
  const hashes = inlineScriptHashes.map((h) => ` 'sha256-${h}'`).join('');
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'${hashes}; ` +
      "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; " +
      "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

/** Base64 SHA-256 of every inline <script> body of the HTML files directly in root. */
function inlineScriptHashes(root) {
  const hashes = [];
  for (const name of readdirSync(root)) {
    if (!name.endsWith('.html')) continue;
    const html = readFileSync(join(root, name), 'utf8');
    for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      hashes.push(createHash('sha256').update(match[1], 'utf8').digest('base64'));
    }
  }
  return hashes;
}

function send(response, headers, status, text) {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/** Resolves a request path inside root, or null when it would escape it. */
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = resolve(root, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  return path === root || path.startsWith(root + sep) ? path : null;
}

/** Starts serving `root`; resolves to { server, url } once listening. */
export function startServer({ root, port = 0, host = '127.0.0.1' }) {
  const base = resolve(root);
  const securityHeaders = headersFor(inlineScriptHashes(base));
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, securityHeaders, 405, 'method not allowed');
      return;
    }
    const urlPath = new URL(request.url, 'http://localhost').pathname;
    const path = resolveInside(base, urlPath);
    if (!path) {
      send(response, securityHeaders, 403, 'forbidden');
      return;
    }
    let info;
    try {
      info = await stat(path);
    } catch {
      send(response, securityHeaders, 404, 'not found');
      return;
    }
    if (!info.isFile()) {
      send(response, securityHeaders, 404, 'not found');
      return;
    }
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': types[extname(path)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(path).on('error', () => response.destroy()).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://${host}:${actual}/` });
    });
  });
}

function parseArgs(argv) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const args = {
    root: process.env.ANIME2VEC_SITE_DIR ?? join(here, '..', 'build', 'web'),
    port: Number(process.env.PORT ?? 0),
    host: process.env.HOST ?? '127.0.0.1',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--root') args.root = value;
    else if (key === '--port') args.port = Number(value);
    else if (key === '--host') args.host = value;
    else throw new Error(`unknown option ${key} (expected --root, --port or --host)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new Error(`--port: expected 0..65535, got ${args.port}`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    await stat(join(args.root, 'index.html')).catch(() => {
      throw new Error(`${args.root} has no index.html: build the page first (scripts/serve.sh)`);
    });
    const { url } = await startServer(args);
    console.log(`anime2vec page: ${url}  (serving ${resolve(args.root)}; Ctrl-C stops)`);
  } catch (error) {
    console.error(`server: ${error.message}`);
    process.exit(1);
  }
}
