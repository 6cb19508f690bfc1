// The WebAssembly build against the native CLI: same sample bytes, same trained model bytes
// with one thread and the same seed, and the same error text for bad files.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chunkSizes, cliPath, feedChunks, loadModule, trainToEnd } from './module.mjs';

const baseTmp = process.env.ANIME2VEC_TMP || tmpdir();
mkdirSync(baseTmp, { recursive: true });
const work = mkdtempSync(join(baseTmp, 'wasm-native-'));
after(() => rmSync(work, { recursive: true, force: true }));

function cli(args) {
  return execFileSync(cliPath, args, { encoding: 'utf8', timeout: 120000,
                                       stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The CLI's one-line error for `args`, without its "anime2vec: " prefix. */
function cliError(args) {
  const run = spawnSync(cliPath, args, { encoding: 'utf8', timeout: 120000 });
  assert.notEqual(run.status, 0, `the CLI accepted ${args.join(' ')}`);
  const line = run.stderr.trim().split('\n').pop();
  return line.replace(/^anime2vec: /, '');
}

describe('the wasm module and the native CLI', { timeout: 200000 }, () => {
  let module;
  const sampleDir = join(work, 'sample');

  before(async () => {
    module = await loadModule();
    cli(['sample', '--users', '300', '--seed', '3', '--out', sampleDir]);
  });

  test('generate the same sample bytes for the same options', () => {
    const sample = module.generateSample({ users: 300, seed: 3 });
    assert.ok(Buffer.from(sample.ratingsCsv).equals(readFileSync(join(sampleDir, 'ratings.csv'))),
              'ratings.csv differs');
    assert.ok(Buffer.from(sample.animeCsv).equals(readFileSync(join(sampleDir, 'anime.csv'))),
              'anime.csv differs');
  });

  test('train the same model bytes with one thread and the same seed', () => {
    const ratingsPath = join(sampleDir, 'ratings.csv');
    const modelPath = join(work, 'm.vec');
    cli(['train', '--ratings', ratingsPath, '--epochs', '2', '--seed', '5', '--out', modelPath,
         '-q']);
    const native = readFileSync(modelPath);

    const bytes = new Uint8Array(readFileSync(ratingsPath));
    const ratings = feedChunks(new module.RatingsReader(ratingsPath, {}), bytes,
                               chunkSizes(11, 50, 70000));
    const corpus = module.buildCorpus(ratings, {});
    // Uneven step budgets: how training is cut into steps must not change the vectors.
    const trainer = trainToEnd(module, corpus, { epochs: 2, seed: 5 }, [777, 12345, 50000]);
    const embeddings = trainer.embeddings();
    const wasm = Buffer.from(embeddings.word2vecText());
    const [header] = wasm.toString('utf8', 0, 64).split('\n');
    assert.match(header, /^\d+ 64$/);
    assert.ok(wasm.length > 1000);
    assert.ok(wasm.equals(native), 'the wasm model differs from the native one');
    for (const handle of [embeddings, trainer, corpus, ratings]) handle.delete();
  });

  const badRatings = [
    ['a rating that is not a number', 'user_id,anime_id,rating\n1,5,8\n1,6,abc\n'],
    ['a row with too few fields', 'user_id,anime_id,rating\n1,5,8\n2,7\n'],
    ['a header without an item column', 'user_id,thing,rating\n1,5,8\n'],
    ['an empty file', ''],
    ['an unterminated quote', 'user_id,anime_id,rating\n1,"5,8\n'],
  ];
  for (const [what, text] of badRatings) {
    test(`report ${what} in ratings with the CLI's message, as a JS Error`, () => {
      const path = join(work, `bad-${what.replace(/\W+/g, '-')}.csv`);
      writeFileSync(path, text);
      const expected = cliError(['train', '--ratings', path, '--out', join(work, 'x.vec'), '-q']);
      assert.throws(
        () => feedChunks(new module.RatingsReader(path, {}), new TextEncoder().encode(text),
                         [3]),
        (error) => {
          assert.ok(error instanceof Error, `not an Error: ${error}`);
          assert.equal(error.message, expected);
          return true;
        });
    });
  }

  test('report a catalogue error with the CLI\'s message, as a JS Error', () => {
    const path = join(work, 'dup-anime.csv');
    const text = 'anime_id,name,genre,type,episodes,rating,members\n' +
                 '5,One,Action,TV,1,8,100\n6,Two,Drama,TV,1,8,50\n5,Again,Drama,TV,1,8,10\n';
    writeFileSync(path, text);
    const expected = cliError(['train', '--ratings', join(sampleDir, 'ratings.csv'), '--items',
                               path, '--out', join(work, 'y.vec'), '-q']);
    assert.match(expected, /line/);
    assert.throws(
      () => feedChunks(new module.CatalogueReader(path), new TextEncoder().encode(text), [7]),
      (error) => error instanceof Error && error.message === expected);
  });
});
