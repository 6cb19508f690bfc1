// Chunked input through the staging buffer gives the same data however the bytes are split;
// the rest of the bindings return typed arrays and throw Errors with the core's messages.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { chunkSizes, feedChunks, loadModule, trainToEnd } from './module.mjs';

const encoder = new TextEncoder();

// A file with the awkward parts: a BOM, CRLF line ends, quoted fields with separators and
// doubled quotes, multi-byte UTF-8 in ids, a blank line and timestamps out of order.
function awkwardRatings() {
  let text = '\ufeffuserId,movieId,rating,timestamp\r\n';
  const items = ['ü-1', '"a,b"', 'Ω3', 'x"""y"', '東京', 'plain', '42'];
  for (let user = 0; user < 60; ++user) {
    for (let k = 0; k < 2 + (user % 5); ++k) {
      const item = items[(user * 3 + k * 5) % items.length];
      const id = item.startsWith('"') ? item : `"${item.replace(/"/g, '""')}"`;
      text += `u${user},${item.includes('"') || item.includes(',') ? item : id},` +
              `${(user + k) % 11 - 1},${1000 - 7 * k + user}\r\n`;
    }
    if (user === 30) text += '\r\n';
  }
  return encoder.encode(text);
}

function describeRatings(module, ratings) {
  const corpus = module.buildCorpus(ratings, {});
  const out = { summary: ratings.summary(), corpus: corpus.summary(), ids: corpus.ids(),
                counts: Array.from(corpus.counts()) };
  corpus.delete();
  return out;
}

describe('chunked reading', () => {
  let module;
  before(async () => {
    module = await loadModule();
  });

  test('gives the same ratings and corpus for any split of the bytes', () => {
    const bytes = awkwardRatings();
    const whole = feedChunks(new module.RatingsReader('r.csv', {}), bytes, [bytes.length]);
    const expected = describeRatings(module, whole);
    whole.delete();
    assert.ok(expected.summary.interactions > 150);
    assert.equal(expected.summary.hasTimestamp, true);
    assert.match(expected.ids, /東京/);
    assert.match(expected.ids, /a,b/);

    const splits = [[1], [2], [3, 1, 4, 1, 5], chunkSizes(7, 200, 17), chunkSizes(9, 50, 400)];
    for (const sizes of splits) {
      const ratings = feedChunks(new module.RatingsReader('r.csv', {}), bytes, sizes);
      assert.deepEqual(describeRatings(module, ratings), expected, `split ${sizes.slice(0, 5)}`);
      ratings.delete();
    }
  });

  test('gives the same catalogue for any split of the bytes', () => {
    const sample = module.generateSample({ users: 50, seed: 4 });
    const probe = feedChunks(new module.RatingsReader('ratings.csv', {}), sample.ratingsCsv);
    const corpus = module.buildCorpus(probe, {});
    const ids = corpus.ids();
    const reference = feedChunks(new module.CatalogueReader('anime.csv'), sample.animeCsv);
    const expected = reference.describe(ids);
    assert.ok(expected.titles.split('\x1f').length === ids.split('\x1f').length);
    assert.ok(Array.from(expected.found).every((f) => f === 1));
    for (const sizes of [[1], chunkSizes(5, 300, 300)]) {
      const catalogue = feedChunks(new module.CatalogueReader('anime.csv'), sample.animeCsv,
                                   sizes);
      assert.equal(catalogue.size(), reference.size());
      assert.deepEqual(catalogue.describe(ids), expected);
      catalogue.delete();
    }
    for (const handle of [reference, corpus, probe]) handle.delete();
  });

  test('reports the line of a bad row whichever chunk it falls in', () => {
    const text = 'user_id,anime_id,rating\n' + '1,2,3\n'.repeat(500) + '9,9,nine\n';
    for (const sizes of [[1], [4096], chunkSizes(3, 100, 50)]) {
      assert.throws(
        () => feedChunks(new module.RatingsReader('big.csv', {}), encoder.encode(text), sizes),
        { message: "big.csv line 502, column rating: expected a number, got 'nine'" });
    }
  });

  test('skips bad rows when asked and says which', () => {
    const text = 'user_id,anime_id,rating\n1,2,3\n1,3,x\n2,2,4\n2,3\n';
    const ratings = feedChunks(new module.RatingsReader('s.csv', { skipBadRows: true }),
                               encoder.encode(text), [5]);
    const summary = ratings.summary();
    assert.equal(summary.interactions, 2);
    assert.equal(summary.skipped, 2);
    assert.match(summary.skippedExamples[0], /^s\.csv line 3/);
    ratings.delete();
  });
});

describe('the trained-model bindings', () => {
  let module;
  let corpus;
  let trainer;
  let embeddings;

  before(async () => {
    module = await loadModule();
    const sample = module.generateSample({ users: 400, seed: 2 });
    const ratings = feedChunks(new module.RatingsReader('ratings.csv', {}), sample.ratingsCsv);
    corpus = module.buildCorpus(ratings, {});
    ratings.delete();
    trainer = trainToEnd(module, corpus, { epochs: 3, seed: 9 });
    embeddings = trainer.embeddings();
  });

  test('return vectors and PCA coordinates as typed arrays of the right size', () => {
    const n = embeddings.size();
    const d = embeddings.dimension();
    assert.equal(n, corpus.summary().items);
    const vectors = embeddings.vectors();
    assert.ok(vectors instanceof Float32Array);
    assert.equal(vectors.length, n * d);
    const map = module.pca(embeddings, 2);
    assert.ok(map.coordinates instanceof Float32Array);
    assert.equal(map.coordinates.length, 2 * n);
    assert.ok(map.explained[0] >= map.explained[1] && map.explained[1] > 0);
    assert.ok(map.coordinates.every(Number.isFinite));
  });

  test('give neighbours sorted by cosine that match a brute-force check', () => {
    const index = new module.NeighbourIndex(embeddings);
    const found = index.forItem(3, 10);
    assert.ok(found.indices instanceof Uint32Array && found.scores instanceof Float32Array);
    assert.equal(found.indices.length, 10);
    assert.ok(!Array.from(found.indices).includes(3));
    const v = embeddings.vectors();
    const d = embeddings.dimension();
    const cosine = (a, b) => {
      let dot = 0; let na = 0; let nb = 0;
      for (let j = 0; j < d; ++j) {
        dot += v[a * d + j] * v[b * d + j];
        na += v[a * d + j] ** 2;
        nb += v[b * d + j] ** 2;
      }
      return dot / Math.sqrt(na * nb);
    };
    const brute = [...Array(embeddings.size()).keys()].filter((i) => i !== 3)
      .sort((a, b) => cosine(3, b) - cosine(3, a)).slice(0, 10);
    assert.deepEqual(Array.from(found.indices), brute);
    for (let r = 0; r < 10; ++r) {
      assert.ok(Math.abs(found.scores[r] - cosine(3, found.indices[r])) < 1e-4);
      if (r) assert.ok(found.scores[r] <= found.scores[r - 1]);
    }
    const profile = index.forItems([0, 1, 2], 5, []);
    assert.equal(profile.indices.length, 5);
    assert.ok(Array.from(profile.indices).every((i) => i > 2));
    assert.throws(() => index.forItem(embeddings.size(), 5), { message: /item row .* not in/ });
    index.delete();
  });

  test('reject bad training options with the core\'s message', () => {
    assert.throws(() => module.trainOptions({ dimension: 0 }),
                  (error) => error instanceof Error && /dimension/.test(error.message));
    assert.throws(() => module.trainOptions({ windowMode: 'wide' }),
                  (error) => error instanceof Error && /window_mode/.test(error.message));
    const defaults = module.trainOptions({});
    assert.equal(typeof defaults.windowMode, 'string');
    assert.equal(defaults.threads, 1);
  });

  test('lay out a t-SNE map in steps, the same as in one go, as a Float32Array', () => {
    const options = { iterations: 120, exaggerationIterations: 50, perplexity: 10 };
    assert.equal(module.tsneOptions(options).iterations, 120);
    assert.throws(() => module.tsneOptions({ theta: 3 }),
                  (error) => error instanceof Error && /theta/.test(error.message));
    const once = new module.Tsne(embeddings, options);
    once.step(1000);
    assert.equal(once.finished(), true);
    const whole = once.layout();
    assert.ok(whole instanceof Float32Array);
    assert.equal(whole.length, 2 * embeddings.size());
    assert.ok(whole.every(Number.isFinite));
    const stepped = new module.Tsne(embeddings, options);
    for (const iterations of [1, 7, 30, 200]) stepped.step(iterations);
    assert.deepEqual(stepped.layout(), whole);
    const spread = Math.max(...whole) - Math.min(...whole);
    assert.ok(spread > 1, `the layout did not expand (${spread})`);
    once.delete();
    stepped.delete();
  });

  test('stop training on cancel and keep the vectors so far', () => {
    const t = new module.Trainer(corpus, { epochs: 5, seed: 1 });
    const first = t.step(500);
    assert.equal(first.cancelled, false);
    t.cancel();
    const after = t.step(1e9);
    assert.equal(after.cancelled, true);
    assert.equal(after.finished, false);
    assert.ok(after.tokensDone < after.tokensTotal);
    assert.equal(t.finished(), true);
    const e = t.embeddings();
    assert.equal(e.size(), corpus.summary().items);
    e.delete();
    t.delete();
  });
});
