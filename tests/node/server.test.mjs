// web/server.mjs: the headers the page depends on, content types, and no way out of its root.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../../web/server.mjs';

/** A raw GET (the path is sent as given, unlike fetch, which normalises "..") */
function get(url, path) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path, method: 'GET', timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers,
                                         body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('the page server', () => {
  const root = mkdtempSync(join(tmpdir(), 'anime2vec-site-'));
  let server;
  let url;

  before(async () => {
    mkdirSync(join(root, 'site'));
    writeFileSync(join(root, 'secret.txt'), 'outside');
    writeFileSync(join(root, 'site', 'index.html'),
                  '<script type="importmap">{"imports": {}}</script><p>hi</p>');
    writeFileSync(join(root, 'site', 'm.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(root, 'site', 'w.mjs'), 'export default 1;');
    ({ server, url } = await startServer({ root: join(root, 'site') }));
  });

  after(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('sends the isolation headers and a policy that allows only its own origin', async () => {
    const page = await get(url, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<p>hi<\/p>/);
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
    const csp = page.headers['content-security-policy'];
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /default-src 'self'/);
    // The inline import map is allowed by its hash, not by 'unsafe-inline'.
    assert.match(csp, /'sha256-[A-Za-z0-9+/=]{44}'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
  });

  test('serves modules and wasm with their types', async () => {
    assert.equal((await get(url, '/m.wasm')).headers['content-type'], 'application/wasm');
    assert.match((await get(url, '/w.mjs')).headers['content-type'], /^text\/javascript/);
    assert.equal((await get(url, '/missing.js')).status, 404);
  });

  test('never serves a file outside its root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt',
                        '/%2e%2e%5csecret.txt', '/a/../../secret.txt']) {
      const response = await get(url, path);
      assert.notEqual(response.status, 200, path);
      assert.doesNotMatch(response.body, /outside/, path);
    }
  });
});
