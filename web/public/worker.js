// The page's module worker: owns the WebAssembly module and every core object (ratings,
// catalogue, corpus, trainer, vectors, neighbour index), so reading, training and searching never
// block the page. Requests carry an id; replies carry the id and either a result or an error;
// long requests also post progress messages with the id.

import createAnime2vec from './anime2vec.mjs';

// Files are read in slices of this size: memory stays flat whatever the file size, and each
// slice is one memcpy into the module's staging buffer.
const chunkBytes = 4 << 20;

// Training runs in steps of about this many milliseconds, so progress frames stay smooth and a
// cancel request is seen quickly.
const stepMilliseconds = 120;

const state = {
  module: null,
  ratings: null,
  ratingsName: '',
  catalogue: null,
  corpus: null,
  trainer: null,
  embeddings: null,
  output: null,
  index: null,
  cancelRequested: false,
};

const modulePromise = createAnime2vec().then((module) => {
  state.module = module;
  return module;
});

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function release(key) {
  if (state[key]) state[key].delete();
  state[key] = null;
}

function releaseModel() {
  release('index');
  release('output');
  release('embeddings');
  release('trainer');
}

/** Feeds a source ({ size, read(start, end) → Promise<Uint8Array> }) to a reader in chunks. */
async function feedInChunks(reader, source, id, what) {
  for (let start = 0; start < source.size; start += chunkBytes) {
    const end = Math.min(source.size, start + chunkBytes);
    const bytes = await source.read(start, end);
    // The view is taken again for every chunk: feeding may grow wasm memory and detach it.
    reader.staging(bytes.length).set(bytes);
    reader.feed(bytes.length);
    post({ id, progress: { what, done: end, total: source.size } });
  }
}

function fileSource(file) {
  return {
    size: file.size,
    read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
  };
}

function bytesSource(bytes) {
  return { size: bytes.length, read: async (start, end) => bytes.subarray(start, end) };
}

async function readRatings(source, name, { options, corpusOptions }, id) {
  const module = state.module;
  const reader = new module.RatingsReader(name, options ?? {});
  try {
    await feedInChunks(reader, source, id, 'ratings');
    const ratings = reader.finish();
    releaseModel();
    release('corpus');
    release('ratings');
    state.ratings = ratings;
    state.ratingsName = name;
  } finally {
    reader.delete();
  }
  return summarise(corpusOptions ?? {});
}

async function readCatalogue(source, name, id) {
  const reader = new state.module.CatalogueReader(name);
  try {
    await feedInChunks(reader, source, id, 'catalogue');
    const catalogue = reader.finish();
    release('catalogue');
    state.catalogue = catalogue;
  } finally {
    reader.delete();
  }
  return { entries: state.catalogue.size(), name };
}

/** Builds the corpus with the given corpus options and reports what the data holds. */
function summarise(corpusOptions) {
  if (!state.ratings) throw new Error('load a ratings file first');
  const corpus = state.module.buildCorpus(state.ratings, corpusOptions);
  release('corpus');
  state.corpus = corpus;
  return { name: state.ratingsName, ratings: state.ratings.summary(), corpus: corpus.summary() };
}

/**
 * Steps a trainer to its end in frames of about stepMilliseconds, posting progress (with
 * `what`) after each and cancelling when asked; resolves with the last progress.
 */
async function runSteps(trainer, id, what) {
  const started = performance.now();
  let budget = 20000;
  let progress = trainer.progress();
  while (!progress.finished && !progress.cancelled) {
    if (state.cancelRequested) trainer.cancel();
    const stepStart = performance.now();
    progress = trainer.step(budget);
    const stepTime = Math.max(1, performance.now() - stepStart);
    // Aim the next step at stepMilliseconds, growing or shrinking by at most 4× at a time.
    budget = Math.max(1000, Math.round(budget * Math.min(4, Math.max(0.25,
      stepMilliseconds / stepTime))));
    const seconds = (performance.now() - started) / 1000;
    const rate = progress.tokensDone / Math.max(seconds, 1e-3);
    post({
      id,
      progress: {
        what,
        ...progress,
        seconds,
        tokensPerSecond: rate,
        secondsLeft: (progress.tokensTotal - progress.tokensDone) / Math.max(rate, 1),
      },
    });
    // Let the cancel message (and nothing else: requests are queued) reach the worker.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return progress;
}

/**
 * The "measure quality" step (shared/EVAL.md): each user's last item held out, popularity and
 * item-kNN fitted on the rest, and a skip-gram model with the given options trained on the
 * split's training sequences only, so no held-out item is ever trained on. The map's model is
 * left alone. query: 'last' (next item) or 'profile'; ioScoring: input·output ranking;
 * recency: the next-item query's weight of earlier items (0: the last item alone). As in
 * `anime2vec evaluate`, item-kNN is scored with EVAL.md's last-item query and, for a next-item
 * query with a recency, again with that recency, so skip-gram is compared on its own query.
 */
async function measureQuality({ options, query, ioScoring, recency }, id) {
  if (!state.ratings) throw new Error('load a ratings file first');
  state.module.checkRecency(recency);
  state.cancelRequested = false;
  const split = new state.module.EvalSplit(state.ratings);
  let corpus = null;
  let trainer = null;
  try {
    const summary = split.summary();
    if (!summary.evaluatedUsers) {
      throw new Error('no user has 5 or more items after the evaluation\'s filters: nothing ' +
                      'to hold out');
    }
    const started = performance.now();
    post({ id, progress: { what: 'baselines' } });
    const popularity = split.popularity(query);
    const itemKnn = split.itemKnn(query, 0);
    const itemKnnRecency = query === 'last' && recency > 0 ? split.itemKnn(query, recency)
      : null;
    corpus = split.corpus();
    trainer = new state.module.Trainer(corpus, options ?? {});
    const progress = await runSteps(trainer, id, 'quality');
    if (progress.cancelled) return { cancelled: true, progress };
    post({ id, progress: { what: 'scoring' } });
    const skipgram = split.trained(trainer, query, Boolean(ioScoring), recency);
    return {
      cancelled: false,
      summary,
      query,
      recency,
      scoring: ioScoring ? 'io' : 'cosine',
      options: trainer.options(),
      popularity,
      itemKnn,
      itemKnnRecency,
      skipgram,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (trainer) trainer.delete();
    if (corpus) corpus.delete();
    split.delete();
  }
}

async function train(request, id) {
  const { options, corpusOptions } = request;
  if (!state.ratings) throw new Error('load a ratings file first');
  const summary = summarise(corpusOptions ?? {});
  if (summary.corpus.tokens === 0) {
    throw new Error('no user has enough items to train on: lower "min items per user"');
  }
  // The previous model stays usable (the map keeps working) until this one is done.
  release('trainer');
  state.cancelRequested = false;
  state.trainer = new state.module.Trainer(state.corpus, options ?? {});

  const started = performance.now();
  const progress = await runSteps(state.trainer, id, 'training');
  if (progress.cancelled) {
    release('trainer');
    return { cancelled: true, progress };
  }

  release('index');
  release('output');
  release('embeddings');
  state.embeddings = state.trainer.embeddings();
  // Kept for input·output scoring of My list (the recommendation preset's way).
  state.output = state.trainer.outputEmbeddings();
  const used = state.trainer.options();
  release('trainer');
  state.index = new state.module.NeighbourIndex(state.embeddings);
  const map = state.module.pca(state.embeddings, 2);
  const ids = state.embeddings.ids();
  const counts = state.corpus.counts();
  const seconds = (performance.now() - started) / 1000;
  const result = {
    cancelled: false,
    progress,
    options: used,
    seconds,
    corpus: summary.corpus,
    ids,
    counts,
    coordinates: map.coordinates,
    explained: map.explained,
    dimension: state.embeddings.dimension(),
    items: describe(ids),
  };
  return transferable(result, [counts.buffer, map.coordinates.buffer]);
}

/** Titles, types, genres and members of the trained items from the catalogue, if any. */
function describe(joinedIds) {
  if (!state.catalogue) return null;
  return state.catalogue.describe(joinedIds ?? state.embeddings.ids());
}

// A zero-delay yield to the worker's message queue. setTimeout(0) from a timer's continuation
// is clamped to 4 ms after five nested calls (HTML's timer rules): with a t-SNE frame every
// ~120 ms that idles the worker ~3 % of the run.
const yieldChannel = new MessageChannel();
function yieldToMessages() {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

/** A t-SNE map of the current vectors, posting each intermediate layout as a frame. */
async function tsne({ options }, id) {
  if (!state.embeddings) throw new Error('train a model first');
  state.cancelRequested = false;
  const run = new state.module.Tsne(state.embeddings, options ?? {});
  try {
    let progress = run.progress();
    let budget = 5;
    while (!progress.finished && !progress.cancelled) {
      if (state.cancelRequested) run.cancel();
      const stepStart = performance.now();
      progress = run.step(budget);
      const stepTime = Math.max(1, performance.now() - stepStart);
      budget = Math.max(1, Math.min(200, Math.round(budget * Math.min(4, Math.max(0.25,
        stepMilliseconds / stepTime)))));
      const layout = run.layout();
      post({ id, progress: { what: 'tsne', ...progress, layout } }, [layout.buffer]);
      // Let a cancel message reach the worker between steps.
      await yieldToMessages();
    }
    if (progress.cancelled) return { cancelled: true, progress };
    const layout = run.layout();
    return transferable({ cancelled: false, progress, layout }, [layout.buffer]);
  } finally {
    run.delete();
  }
}

function neighbours({ item, k }) {
  if (!state.index) throw new Error('train a model first');
  return state.index.forItem(item, k);
}

/**
 * My list: rows with a score each (1..10 or null); the core's profile scorer ranks, by cosine
 * or (ioScoring) by the profile's input vector · items' output vectors.
 */
function recommend({ items, scores, k, ioScoring }) {
  if (!state.index) throw new Error('train a model first');
  if (ioScoring && state.output) {
    return state.index.forProfileIo(items, scores ?? [], k, state.output);
  }
  return state.index.forProfile(items, scores ?? [], k);
}

/** Every item's k nearest neighbours as two flat arrays of items × k (for the CSV export). */
async function allNeighbours({ k }, id) {
  if (!state.index) throw new Error('train a model first');
  const n = state.index.size();
  const kk = Math.min(k, n - 1);
  const indices = new Uint32Array(n * kk);
  const scores = new Float32Array(n * kk);
  for (let item = 0; item < n; ++item) {
    const found = state.index.forItem(item, kk);
    indices.set(found.indices, item * kk);
    scores.set(found.scores, item * kk);
    if (item % 500 === 499) {
      post({ id, progress: { what: 'neighbours', done: item + 1, total: n } });
    }
  }
  return transferable({ k: kk, indices, scores }, [indices.buffer, scores.buffer]);
}

function modelText() {
  if (!state.embeddings) throw new Error('train a model first');
  const bytes = state.embeddings.word2vecText();
  return transferable({ bytes }, [bytes.buffer]);
}

const transfers = new WeakMap();
function transferable(result, buffers) {
  transfers.set(result, buffers);
  return result;
}

const handlers = {
  init: async () => ({
    defaults: state.module.trainOptions({}),
    presets: state.module.presets(),
  }),
  readRatingsFile: (request, id) => readRatings(fileSource(request.file), request.file.name,
                                               request, id),
  readCatalogueFile: ({ file }, id) => readCatalogue(fileSource(file), file.name, id),
  generate: async (request, id) => {
    const sample = state.module.generateSample({ users: request.users, seed: request.seed });
    const catalogue = await readCatalogue(bytesSource(sample.animeCsv), 'anime.csv', id);
    const ratings = await readRatings(bytesSource(sample.ratingsCsv), 'ratings.csv', request,
                                      id);
    return { ...ratings, catalogue, franchises: sample.franchises };
  },
  summarise: ({ corpusOptions }) => summarise(corpusOptions),
  validateOptions: ({ options }) => state.module.trainOptions(options),
  train,
  measureQuality,
  tsne,
  describe: () => (state.embeddings ? describe() : null),
  neighbours,
  recommend,
  allNeighbours,
  modelText,
};

// One request at a time, in order: core objects are not shared between overlapping requests.
// Cancel is the exception, since it must reach a running training loop, and so are neighbour
// queries: they only read the current index, which training replaces only once it is done
// (between two of its awaits), so the map stays explorable while a new model trains.
let queue = Promise.resolve();
const immediate = new Set(['neighbours', 'recommend']);

async function answer(request) {
  try {
    await modulePromise;
    const handler = handlers[request.type];
    if (!handler) throw new Error(`unknown request ${request.type}`);
    const result = await handler(request, request.id);
    post({ id: request.id, result }, (result && transfers.get(result)) || []);
  } catch (error) {
    post({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
}

self.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'cancel') {
    state.cancelRequested = true;
  } else if (immediate.has(request.type)) {
    answer(request);
  } else {
    queue = queue.then(() => answer(request));
  }
};
