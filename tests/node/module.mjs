// Loads the node build of the WebAssembly module for the tests, small helpers to feed readers
// the way the page does (through the staging buffer, in chunks), and the native CLI built in
// the same tree.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const modulePath = resolve(process.env.ANIME2VEC_NODE_MODULE ??
                                  join(here, '../../build/wasm/wasm/anime2vec_node.js'));
export const cliPath = process.env.ANIME2VEC_CLI ?? join(here, '../../build/cli/anime2vec');

let loaded = null;

/** The module, loaded once. Node 20's fetch cannot read a file path, so the bytes are given. */
export function loadModule() {
  if (!loaded) {
    const create = createRequire(import.meta.url)(modulePath);
    loaded = create({ wasmBinary: readFileSync(modulePath.replace(/\.js$/, '.wasm')) });
  }
  return loaded;
}

/** Feeds `bytes` to a reader in chunks of the given sizes (cycled), then finishes it. */
export function feedChunks(reader, bytes, sizes = [1 << 20]) {
  try {
    let at = 0;
    for (let i = 0; at < bytes.length; ++i) {
      const size = Math.min(sizes[i % sizes.length], bytes.length - at);
      reader.staging(size).set(bytes.subarray(at, at + size));
      reader.feed(size);
      at += size;
    }
    return reader.finish();
  } finally {
    reader.delete();
  }
}

/** Chunk sizes from a small seeded generator (no Math.random: failures must reproduce). */
export function chunkSizes(seed, count, max) {
  let x = seed >>> 0 || 1;
  const out = [];
  for (let i = 0; i < count; ++i) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(1 + (x % max));
  }
  return out;
}

/** Trains to the end in steps of `budget` tokens (an array is cycled) and returns the trainer. */
export function trainToEnd(module, corpus, options, budget = [100000]) {
  const trainer = new module.Trainer(corpus, options);
  const budgets = Array.isArray(budget) ? budget : [budget];
  for (let i = 0; !trainer.finished(); ++i) {
    trainer.step(budgets[i % budgets.length]);
    if (i > 1e7) throw new Error('training did not finish');
  }
  return trainer;
}

/** Runs the native CLI and returns its stdout. */
export function cli(args) {
  return execFileSync(cliPath, args, { encoding: 'utf8', timeout: 120000,
                                       stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The CLI's one-line error for `args`, without its "anime2vec: " prefix. */
export function cliError(args) {
  const run = spawnSync(cliPath, args, { encoding: 'utf8', timeout: 120000 });
  assert.notEqual(run.status, 0, `the CLI accepted ${args.join(' ')}`);
  const line = run.stderr.trim().split('\n').pop();
  return line.replace(/^anime2vec: /, '');
}

/** A ratings file read into the module through the staging buffer. */
export function readRatingsFile(module, path, sizes) {
  return feedChunks(new module.RatingsReader(path, {}), new Uint8Array(readFileSync(path)),
                    sizes);
}

/**
 * The CSV text with a timestamp column added: seeded values (no Math.random), so each user's
 * timestamp order differs from the file order and ties are rare.
 */
export function withTimestamps(text, seed = 1) {
  const [header, ...rows] = text.trimEnd().split('\n');
  const stamps = chunkSizes(seed, rows.length, 1e9);
  return `${header},timestamp\n` + rows.map((row, i) => `${row},${stamps[i]}\n`).join('');
}
