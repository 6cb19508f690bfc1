// The WebAssembly build against the native CLI: same sample bytes, same trained model bytes
// with one thread and the same seed, and the same error text for bad files.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chunkSizes, cli, cliError, feedChunks, loadModule, readRatingsFile, trainToEnd,
  withTimestamps } from './module.mjs';

const baseTmp = process.env.ANIME2VEC_TMP || tmpdir();
mkdirSync(baseTmp, { recursive: true });
const work = mkdtempSync(join(baseTmp, 'wasm-native-'));
after(() => rmSync(work, { recursive: true, force: true }));

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

  for (const timed of [false, true]) {
    const kind = timed ? 'with timestamps' : 'in file order';
    test(`train the same model bytes for the recommendation preset ${kind}`, () => {
      const ratingsPath = join(work, timed ? 'timed.csv' : 'untimed.csv');
      const text = readFileSync(join(sampleDir, 'ratings.csv'), 'utf8');
      writeFileSync(ratingsPath, timed ? withTimestamps(text, 5) : text);
      const modelPath = join(work, `rec-${timed}.vec`);
      cli(['train', '--ratings', ratingsPath, '--preset', 'recommendation', '--epochs', '2',
           '--out', modelPath, '-q']);
      const native = readFileSync(modelPath);

      const preset = module.presets().find((p) => p.name === 'recommendation');
      assert.ok(preset, 'no recommendation preset');
      const ratings = readRatingsFile(module, ratingsPath);
      const corpus = module.buildCorpus(ratings, {});
      assert.equal(corpus.summary().ordered, timed);
      const settings = preset;
      assert.equal(typeof settings.options.forward, 'boolean');
      const trainer = trainToEnd(module, corpus, { ...settings.options, epochs: 2 }, [40000]);
      assert.equal(trainer.options().forward, settings.options.forward);
      assert.equal(trainer.options().window, settings.options.window);
      const embeddings = trainer.embeddings();
      assert.ok(Buffer.from(embeddings.word2vecText()).equals(native),
                `the wasm model differs from the native one for the recommendation preset ${kind}`);
      for (const handle of [embeddings, trainer, corpus, ratings]) handle.delete();
    });
  }

  test('train the same model bytes with forward-only contexts', () => {
    const ratingsPath = join(sampleDir, 'ratings.csv');
    const modelPath = join(work, 'fwd.vec');
    cli(['train', '--ratings', ratingsPath, '--forward', 'true', '--window-mode', 'fixed',
         '--epochs', '1', '--out', modelPath, '-q']);
    const bytes = new Uint8Array(readFileSync(ratingsPath));
    const ratings = feedChunks(new module.RatingsReader(ratingsPath, {}), bytes);
    const corpus = module.buildCorpus(ratings, {});
    const trainer = trainToEnd(module, corpus, { forward: true, windowMode: 'fixed',
                                                 epochs: 1 });
    assert.equal(trainer.options().forward, true);
    const embeddings = trainer.embeddings();
    assert.ok(Buffer.from(embeddings.word2vecText()).equals(readFileSync(modelPath)),
              'the wasm model differs from the native one with forward contexts');
    for (const handle of [embeddings, trainer, corpus, ratings]) handle.delete();
  });

  test('rank a scored profile as anime2vec recommend does', () => {
    const ratingsPath = join(sampleDir, 'ratings.csv');
    const modelPath = join(work, 'profile.vec');
    cli(['train', '--ratings', ratingsPath, '--epochs', '2', '--seed', '5', '--out', modelPath,
         '-q']);
    const ids = readFileSync(modelPath, 'utf8').split('\n').slice(1, 4)
      .map((l) => l.split(' ')[0]);
    const native = cli(['recommend', '--model', modelPath, '-k', '12', `${ids[0]}=9`,
                        `${ids[1]}=2`, ids[2]]).trim().split('\n').map((l) => l.split('\t'));

    const bytes = new Uint8Array(readFileSync(ratingsPath));
    const ratings = feedChunks(new module.RatingsReader(ratingsPath, {}), bytes);
    const corpus = module.buildCorpus(ratings, {});
    const trainer = trainToEnd(module, corpus, { epochs: 2, seed: 5 });
    const embeddings = trainer.embeddings();
    const index = new module.NeighbourIndex(embeddings);
    const rows = embeddings.ids().split('\x1f');
    const found = index.forProfile([0, 1, 2], [9, 2, null], 12);
    assert.equal(found.indices.length, 12);
    assert.equal(found.because.length, 12);
    assert.deepEqual(Array.from(found.indices, (i) => rows[i]), native.map((f) => f[1]));
    assert.deepEqual(Array.from(found.scores, (x) => x.toFixed(4)), native.map((f) => f[3]));
    for (const row of found.because) assert.ok(row <= 2, `because ${row}`);
    assert.throws(() => index.forProfile([0], [11], 5), /from 1 to 10, got 11/);

    // Input·output scoring with the trainer's output vectors: other scores, same rules.
    const output = trainer.outputEmbeddings();
    assert.equal(output.ids(), embeddings.ids());
    const io = index.forProfileIo([0, 1, 2], [9, 2, null], 12, output);
    assert.equal(io.indices.length, 12);
    for (const row of io.indices) assert.ok(row > 2, `listed row ${row} recommended`);
    for (let r = 1; r < 12; ++r) assert.ok(io.scores[r] <= io.scores[r - 1]);
    for (const handle of [output, index, embeddings, trainer, corpus, ratings]) handle.delete();
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
