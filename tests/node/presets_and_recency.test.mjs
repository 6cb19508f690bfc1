// The module's presets and the recency of the next-item query against the native CLI built in
// the same tree: presets() holds what `anime2vec presets` prints, and the quality figures
// (popularity, item-kNN with the last item and with the recency, skip-gram with one thread and
// the same seed) equal `anime2vec evaluate --json` on generated files with and without
// timestamps and on the real samples when present. A bad recency is a JS Error with the core's
// text.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, cliError, loadModule, readRatingsFile, trainToEnd, withTimestamps }
  from './module.mjs';

const baseTmp = process.env.ANIME2VEC_TMP || tmpdir();
mkdirSync(baseTmp, { recursive: true });
const work = mkdtempSync(join(baseTmp, 'presets-recency-'));
after(() => rmSync(work, { recursive: true, force: true }));

const sharedData = process.env.ANIME2VEC_SHARED_DATA ?? '';

// describe_flags' flags and the TrainOptions fields they stand for.
const flagKeys = {
  '--dim': 'dimension',
  '--window': 'window',
  '--window-mode': 'windowMode',
  '--forward': 'forward',
  '--negatives': 'negatives',
  '--ns-exponent': 'nsExponent',
  '--subsample': 'subsample',
  '--epochs': 'epochs',
  '--lr': 'learningRate',
  '--min-lr': 'minLearningRate',
};

// Options the CLI's preset listing leaves out: they are not part of a preset.
const unlisted = ['threads', 'seed'];

/** A number as printf's %g prints it (6 significant digits), read back. */
const printed = (x) => Number(Number(x).toPrecision(6));

/** `anime2vec presets` as { name, summary, flags }: one line a preset, tab-separated. */
function cliPresets() {
  return cli(['presets']).trimEnd().split('\n').map((line) => {
    const [name, rest, summary] = line.split('\t');
    const tokens = rest.trim().split(/\s+/);
    const flags = {};
    for (let i = 0; i < tokens.length; i += 2) flags[tokens[i]] = tokens[i + 1];
    return { name, summary, flags };
  });
}

function assertSameSettings(settings, flags, where) {
  assert.deepEqual(Object.keys(flags).sort(),
                   [...Object.keys(flagKeys), '--scoring', '--recency'].sort(), where);
  assert.deepEqual(Object.keys(settings.options).filter((k) => !unlisted.includes(k)).sort(),
                   Object.values(flagKeys).sort(), where);
  for (const [flag, key] of Object.entries(flagKeys)) {
    const value = settings.options[key];
    if (typeof value === 'number') {
      assert.equal(printed(value), Number(flags[flag]), `${where} ${flag}`);
    } else {
      assert.equal(String(value), flags[flag], `${where} ${flag}`);
    }
  }
  assert.equal(settings.ioScoring ? 'io' : 'cosine', flags['--scoring'], `${where} --scoring`);
  assert.equal(printed(settings.recency), Number(flags['--recency']), `${where} --recency`);
}

const metricFields = [['hr10', 'hr@10'], ['ndcg10', 'ndcg@10'], ['mrr', 'mrr'],
  ['coverage10', 'coverage@10']];

function assertSameMetrics(wasm, native, name) {
  assert.ok(native, `no ${name} in the CLI's figures`);
  for (const [key, field] of metricFields) {
    assert.equal(wasm[key].toFixed(6), native[field].toFixed(6), `${name} ${field}`);
  }
}

/**
 * `anime2vec evaluate --json --seeds 1 --threads 1` on `path` against the module's EvalSplit,
 * with evaluate's default preset (recommendation) and its recency unless `recency` is given.
 */
function compareEvaluate(module, path, { query, recency, epochs, ordered }) {
  const args = ['evaluate', '--ratings', path, '--json', '--seeds', '1', '--threads', '1',
                '--epochs', String(epochs), '--query', query];
  if (recency !== undefined) args.push('--recency', String(recency));
  const native = JSON.parse(cli(args));

  const ratings = readRatingsFile(module, path);
  const split = new module.EvalSplit(ratings);
  let corpus = null;
  let trainer = null;
  try {
    const summary = split.summary();
    assert.equal(summary.ordered, ordered, 'the kind of the file');
    assert.equal(native.ordered, summary.ordered);
    assert.equal(summary.evaluatedUsers, native.users);
    assert.equal(summary.items, native.items);
    assert.equal(native.query, query);

    const settings = module.presets().find((p) => p.name === 'recommendation');
    const r = recency ?? settings.recency;
    // Only the next-item query has a recency.
    assert.equal(native.recency, query === 'last' ? printed(r) : 0);
    assert.equal(native.scoring, settings.ioScoring ? 'io' : 'cosine');

    assertSameMetrics(split.popularity(query), native.models.popularity, 'popularity');
    assertSameMetrics(split.itemKnn(query, 0), native.models['item-knn'], 'item-knn');
    if (query === 'last' && r > 0) {
      assertSameMetrics(split.itemKnn(query, r), native.models['item-knn-recency'],
                        'item-knn-recency');
    } else {
      assert.equal(native.models['item-knn-recency'], undefined);
    }

    corpus = split.corpus();
    trainer = trainToEnd(module, corpus, { ...settings.options, epochs, seed: 1, threads: 1 });
    assertSameMetrics(split.trained(trainer, query, settings.ioScoring, r),
                      native.models.skipgram, 'skipgram');
    return { recency: r, native };
  } finally {
    for (const handle of [trainer, corpus, split, ratings]) if (handle) handle.delete();
  }
}

describe('presets and the recency of the next-item query, against the native CLI',
         { timeout: 280000 }, () => {
  let module;
  const untimedPath = join(work, 'untimed.csv');
  const timedPath = join(work, 'timed.csv');

  before(async () => {
    module = await loadModule();
    const sampleDir = join(work, 'sample');
    cli(['sample', '--users', '400', '--seed', '9', '--out', sampleDir]);
    const text = readFileSync(join(sampleDir, 'ratings.csv'), 'utf8');
    writeFileSync(untimedPath, text);
    writeFileSync(timedPath, withTimestamps(text, 3));
  });

  test('presets() holds what anime2vec presets prints', () => {
    const native = cliPresets();
    const wasm = module.presets();
    assert.deepEqual(wasm.map((p) => p.name), native.map((p) => p.name));
    assert.ok(wasm.length >= 2);
    for (const [i, preset] of wasm.entries()) {
      assert.deepEqual(Object.keys(preset).sort(),
                       ['ioScoring', 'name', 'options', 'recency', 'summary']);
      assert.equal(preset.summary, native[i].summary);
      assertSameSettings(preset, native[i].flags, preset.name);
    }
  });

  for (const [ordered, kind] of [[false, 'in file order'], [true, 'with timestamps']]) {
    for (const query of ['last', 'profile']) {
      test(`the ${query} query's figures on a generated file ${kind} equal evaluate --json's`,
           () => {
        compareEvaluate(module, ordered ? timedPath : untimedPath,
                        { query, epochs: 2, ordered });
      });
    }
  }

  test('an explicit recency scores item-kNN and skip-gram as evaluate --recency does', () => {
    for (const [path, ordered] of [[timedPath, true], [untimedPath, false]]) {
      const preset = module.presets().find((p) => p.name === 'recommendation');
      // A recency the preset does not hold, so the argument is what is compared.
      const own = preset.recency;
      const recency = own === 0.5 ? 0.6 : 0.5;
      const { native } = compareEvaluate(module, path,
                                         { query: 'last', recency, epochs: 1, ordered });
      assert.notEqual(native.models['item-knn-recency']['hr@10'], undefined);
      // Recency 0 is EVAL.md's query: no second item-kNN.
      compareEvaluate(module, path, { query: 'last', recency: 0, epochs: 1, ordered });
    }
  });

  for (const [dir, file, ordered] of [['movielens-small', 'ratings.csv', true],
    ['anime', 'ratings.csv', false]]) {
    const path = sharedData ? join(sharedData, dir, file) : '';
    test(`the next-item figures on the real ${dir} sample equal evaluate --json's`, {
      skip: path && existsSync(path) ? false
        : `no ${dir}/${file} in ${sharedData || '$ANIME2VEC_SHARED_DATA'}`,
    }, () => {
      compareEvaluate(module, path, { query: 'last', epochs: 1, ordered });
    });
  }

  test('a recency outside [0, 1) is a JS Error with the core\'s text', () => {
    const ratings = readRatingsFile(module, untimedPath);
    const split = new module.EvalSplit(ratings);
    const corpus = split.corpus();
    const trainer = trainToEnd(module, corpus, { epochs: 1 });
    try {
      const checks = (recency) => [() => module.checkRecency(recency),
        () => split.itemKnn('last', recency), () => split.trained(trainer, 'last', true, recency),
        () => split.trained(trainer, 'last', false, recency)];
      for (const bad of [1, 1.5]) {
        const expected = cliError(['evaluate', '--ratings', untimedPath, '--recency',
                                   String(bad)]);
        assert.match(expected, /recency/);
        for (const call of checks(bad)) {
          assert.throws(call, (error) => error instanceof Error && error.message === expected);
        }
      }
      for (const bad of [-0.25]) {
        const expected = cliError(['evaluate', '--ratings', untimedPath, '--recency',
                                   String(bad)]);
        for (const call of checks(bad)) {
          assert.throws(call, (error) => error instanceof Error && error.message === expected);
        }
      }
      // NaN cannot be typed to the CLI; the page sends it for an empty field.
      for (const [bad, text] of [[NaN, 'nan']]) {
        for (const call of checks(bad)) {
          assert.throws(call, (error) => error instanceof Error && /recency/.test(error.message) &&
                        error.message.includes(text));
        }
      }
      for (const good of [0, 0.5]) module.checkRecency(good);
    } finally {
      for (const handle of [trainer, corpus, split, ratings]) handle.delete();
    }
  });
});
