// The page: wires the data, training and map panels to the worker. Everything computed lives in
// the worker; this file keeps only what the map and the lists show. Text that comes from files
// (titles, ids, error messages) only ever reaches the DOM through textContent.

import { WorkerClient } from './client.js';
import { categorise } from './colours.js';
import { ItemMap, palette } from './map.js';
import { dataSetKey, listCsv, loadList, parseListCsv, saveList } from './my_list.js';
import { buildParameters, chosenPreset, readParameters } from './parameters.js';
import { csvLine, download, foldText, formatCount, formatSeconds, searchTitles }
  from './text.js';

const $ = (id) => document.getElementById(id);
const neighbourCount = 10;
const recommendationCount = 20;

const client = new WorkerClient(new URL('./worker.js', import.meta.url));

// What the map shows, set after training.
const model = {
  ids: [],
  titles: [],
  folded: [],
  types: [],
  genres: [],
  counts: new Float64Array(0),
  coordinates: new Float32Array(0),
  pca: new Float32Array(0),
  tsne: null,
  layout: 'pca',
  selected: -1,
  neighbours: { indices: [], scores: [] },
  hasCatalogue: false,
  ioScoring: false,
};

let busy = false;
let loaded = false;

// The core's named presets (from the module at start).
let presets = [];

// The planted franchises of a generated example (ids), for the curious and the tests.
const sample = { franchises: [] };

const map = new ItemMap($('map-canvas'), {
  onHover: showTooltip,
  onClick: (item) => selectItem(item),
});

/** What the page is ready for: exploring a model, training loaded data, or loading data. */
function restingState() {
  return model.ids.length ? 'trained' : loaded ? 'loaded' : 'idle';
}

function setState(name) {
  document.body.dataset.state = name;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function showError(id, message) {
  const box = $(id);
  box.textContent = message;
  box.hidden = !message;
}

function setBusy(value) {
  busy = value;
  for (const id of ['generate', 'ratings-file', 'catalogue-file']) $(id).disabled = value;
  $('train-button').disabled = value || !loaded;
  $('measure-button').disabled = value || !loaded;
}

// ---- Data ----

function readProgress(progress) {
  const bar = $('read-progress');
  bar.hidden = false;
  bar.value = progress.total ? progress.done / progress.total : 1;
  $('read-status').textContent =
    `Reading ${progress.what}: ${formatCount(progress.done / 1024)} of ` +
    `${formatCount(progress.total / 1024)} KiB`;
}

function readerOptions() {
  const options = { skipBadRows: $('skip-bad-rows').checked };
  const minRating = $('min-rating').value.trim();
  if (minRating !== '') options.minRating = Number(minRating);
  const columns = {};
  for (const key of ['user', 'item', 'rating', 'timestamp']) {
    const name = $(`column-${key}`).value.trim();
    if (name) columns[key] = name;
  }
  if (Object.keys(columns).length) options.columns = columns;
  return { options, corpusOptions: readParameters($('parameters')).corpusOptions };
}

function summaryRow(list, label, value) {
  list.append(element('dt', label), element('dd', value));
}

function showSummary(result) {
  const { ratings, corpus } = result;
  const box = $('summary');
  box.replaceChildren();
  box.append(element('h3', `Summary of ${result.name}`));
  const list = element('dl');
  summaryRow(list, 'Users', formatCount(ratings.users));
  summaryRow(list, 'Items', formatCount(ratings.items));
  summaryRow(list, 'Interactions', formatCount(ratings.interactions));
  const share = ratings.interactions ? (100 * ratings.watched) / ratings.interactions : 0;
  summaryRow(list, 'Rated -1 (watched, not rated)',
             ratings.hasRating ? `${share.toFixed(1)} %` : 'no rating column');
  summaryRow(list, 'Order', ratings.hasTimestamp ? 'by timestamp' : 'file order (no timestamp)');
  summaryRow(list, 'Training corpus', `${formatCount(corpus.users)} users, ` +
             `${formatCount(corpus.items)} items, ${formatCount(corpus.tokens)} tokens`);
  box.append(list);

  const filtered = [];
  if (ratings.belowMinRating) {
    filtered.push(`${formatCount(ratings.belowMinRating)} rows below the minimum rating`);
  }
  if (ratings.skipped) filtered.push(`${formatCount(ratings.skipped)} malformed rows skipped`);
  if (corpus.duplicatesDropped) {
    filtered.push(`${formatCount(corpus.duplicatesDropped)} repeated (user, item) pairs ` +
                  'counted once');
  }
  if (corpus.itemsDropped) {
    filtered.push(`${formatCount(corpus.itemsDropped)} items seen by too few users`);
  }
  if (corpus.usersDropped) {
    filtered.push(`${formatCount(corpus.usersDropped)} users with too few items ` +
                  '(nothing to learn from a single item)');
  }
  box.append(element('h4', 'Filtered'));
  const items = element('ul');
  for (const text of filtered.length ? filtered : ['nothing']) items.append(element('li', text));
  for (const example of ratings.skippedExamples ?? []) {
    items.append(element('li', `e.g. ${example}`, 'example'));
  }
  box.append(items);
  if (result.catalogue) {
    box.append(element('p', `Catalogue ${result.catalogue.name}: ` +
                            `${formatCount(result.catalogue.entries)} entries.`));
  }
  box.hidden = false;
}

async function runRead(what, request) {
  if (busy) return;
  setBusy(true);
  setState('reading');
  showError('data-error', '');
  const started = performance.now();
  try {
    const result = await request();
    const seconds = (performance.now() - started) / 1000;
    $('read-status').textContent = `${what} read in ${formatSeconds(seconds)}.`;
    if (result.ratings) {
      loaded = true;
      clearModel();
      profile.key = dataSetKey(result.name, result.ratings);
      profile.entries = loadList(window.localStorage, profile.key);
      if (result.franchises) sample.franchises = result.franchises;
      renderProfile();
      showSummary(result);
    } else if (result.entries !== undefined) {
      $('read-status').textContent += ` Catalogue: ${formatCount(result.entries)} entries.`;
      const items = await client.request('describe');
      if (items) applyCatalogue(items);
    }
    setState(restingState());
  } catch (error) {
    showError('data-error', error.message);
    $('read-status').textContent = '';
    setState(restingState());
  } finally {
    $('read-progress').hidden = true;
    setBusy(false);
  }
}

function readRatingsFile(file) {
  return runRead(`Ratings ${file.name}`, () =>
    client.request('readRatingsFile', { file, ...readerOptions() }, readProgress));
}

function readCatalogueFile(file) {
  return runRead(`Catalogue ${file.name}`, () =>
    client.request('readCatalogueFile', { file }, readProgress));
}

// A dropped file is a catalogue when its header names a title column, else ratings.
async function isCatalogue(file) {
  const head = await file.slice(0, 4096).text();
  const header = head.split(/\r?\n/)[0].toLowerCase();
  return /(^|[,;\t"])(name|title)("?)([,;\t]|$)/.test(header);
}

async function readDropped(files) {
  const list = [...files];
  const kinds = await Promise.all(list.map(isCatalogue));
  // Catalogue first, so the trained map gets titles at once.
  for (let i = 0; i < list.length; ++i) if (kinds[i]) await readCatalogueFile(list[i]);
  for (let i = 0; i < list.length; ++i) if (!kinds[i]) await readRatingsFile(list[i]);
}

// ---- Training ----

const lossPoints = [];

function drawLoss() {
  const canvas = $('loss');
  canvas.hidden = false;
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (lossPoints.length < 2) return;
  const max = Math.max(...lossPoints.map((p) => p[1]));
  const min = Math.min(...lossPoints.map((p) => p[1]));
  const span = Math.max(max - min, 1e-9);
  context.strokeStyle = '#56b4e9';
  context.lineWidth = 1.5;
  context.beginPath();
  lossPoints.forEach(([fraction, loss], i) => {
    const x = 4 + fraction * (width - 8);
    const y = 14 + (1 - (loss - min) / span) * (height - 22);
    if (i === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
  context.stroke();
  context.fillStyle = '#c8ccd4';
  context.font = '11px sans-serif';
  context.fillText(`loss ${max.toFixed(3)} … ${min.toFixed(3)}`, 6, 11);
}

function trainProgress(p) {
  const bar = $('train-progress');
  bar.hidden = false;
  bar.value = p.fraction;
  $('train-status').textContent =
    `Epoch ${Math.min(p.epoch + 1, p.epochs)} of ${p.epochs} · ` +
    `${(100 * p.fraction).toFixed(0)} % · ${formatCount(p.tokensPerSecond)} tokens/s · ` +
    `${formatSeconds(p.secondsLeft)} left · loss ${p.loss.toFixed(4)}`;
  if (p.pairs > 0) {
    lossPoints.push([p.fraction, p.loss]);
    drawLoss();
  }
}

async function train(event) {
  event.preventDefault();
  if (busy || !loaded) return;
  setBusy(true);
  setState('training');
  showError('train-error', '');
  $('cancel-button').disabled = false;
  lossPoints.length = 0;
  const started = performance.now();
  try {
    const parameters = readParameters($('parameters'));
    const settings = chosenSettings();
    const result = await client.request('train', parameters, trainProgress);
    if (result.cancelled) {
      $('train-status').textContent = model.ids.length
        ? 'Cancelled; the map still shows the previous model.' : 'Cancelled.';
      setState(model.ids.length ? 'trained' : 'loaded');
      return;
    }
    const p = result.progress;
    $('train-status').textContent =
      `Trained ${formatCount(result.corpus.items)} items from ${formatCount(result.corpus.users)}` +
      ` users: ${p.epochs} epochs, ${formatCount(p.tokensTotal)} tokens in ` +
      `${formatSeconds(result.seconds)} (${formatCount(p.tokensTotal / result.seconds)} ` +
      `tokens/s), final loss ${p.loss.toFixed(4)}; window mode ${result.options.windowMode}` +
      `${parameters.options.windowMode === result.options.windowMode ? '' : ' (automatic)'}.`;
    // My list ranks the way the chosen preset is meant to be used.
    model.ioScoring = Boolean(settings?.ioScoring);
    await showModel(result);
    const total = (performance.now() - started) / 1000;
    $('map-status').textContent = `${formatCount(model.ids.length)} items · PCA explains ` +
      `${(100 * (result.explained[0] + result.explained[1])).toFixed(1)} % of the variance · ` +
      `trained and drawn in ${formatSeconds(total)}`;
    setState('trained');
  } catch (error) {
    showError('train-error', error.message);
    setState('loaded');
  } finally {
    $('cancel-button').disabled = true;
    $('train-progress').hidden = true;
    setBusy(false);
  }
}

// ---- Quality: the evaluation protocol in the worker ----

const quality = { result: null };

/** The preset chosen in the form { name, summary, options, ioScoring, recency }, or null. */
function chosenSettings() {
  return presets.find((p) => p.name === chosenPreset($('parameters'))) ?? null;
}

/** The quality step's scoring and recency: the chosen preset's. */
function applyQualitySettings() {
  const settings = chosenSettings();
  if (!settings) return;
  $('quality-scoring').value = settings.ioScoring ? 'io' : 'cosine';
  $('quality-recency').value = String(settings.recency);
}

function qualityProgress(p) {
  const bar = $('quality-progress');
  bar.hidden = false;
  if (p.what === 'quality') {
    bar.value = p.fraction;
    $('quality-status').textContent =
      `Training on the held-out split: epoch ${Math.min(p.epoch + 1, p.epochs)} of ` +
      `${p.epochs} · ${(100 * p.fraction).toFixed(0)} % · ${formatSeconds(p.secondsLeft)} left`;
  } else if (p.what === 'baselines') {
    bar.removeAttribute('value');
    $('quality-status').textContent = 'Held out each user\'s last item; scoring popularity and ' +
      'item-kNN…';
  } else if (p.what === 'scoring') {
    bar.removeAttribute('value');
    $('quality-status').textContent = 'Ranking every item for each user…';
  }
}

function renderQuality(result) {
  const table = $('quality-table');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  const scoring = result.scoring === 'io' ? 'input · output' : 'cosine';
  const next = result.query === 'last';
  // The recency shapes only the next-item query.
  const recency = next && result.recency > 0 ? `recency ${result.recency}` : '';
  const rows = [['popularity', result.popularity, 'popularity'],
    ['item-knn', result.itemKnn, next ? 'item-kNN (last item)' : 'item-kNN']];
  if (result.itemKnnRecency) {
    rows.push(['item-knn-recency', result.itemKnnRecency, `item-kNN (${recency})`]);
  }
  rows.push(['skipgram', result.skipgram,
    `skip-gram (${[scoring, recency].filter(Boolean).join(', ')})`]);
  for (const [name, metrics, label] of rows) {
    const row = element('tr');
    row.dataset.model = name;
    row.append(element('td', label));
    for (const metric of ['hr10', 'ndcg10']) {
      const cell = element('td', metrics[metric].toFixed(4), metric);
      cell.dataset.value = String(metrics[metric]);
      row.append(cell);
    }
    body.append(row);
  }
  table.hidden = false;
  const query = next
    ? `next item, recency ${result.recency}${result.recency > 0 ? '' : ' (the last item alone)'}`
    : 'profile';
  $('quality-status').textContent =
    `${formatCount(result.summary.evaluatedUsers)} users evaluated on ` +
    `${formatCount(result.summary.items)} items · query ${query} · skip-gram scored by ` +
    `${scoring}, trained without the held-out items (${result.options.epochs} epochs, window ` +
    `${result.options.window} ${result.options.windowMode}` +
    `${result.options.forward ? ', forward only' : ''}) · ${formatSeconds(result.seconds)}`;
}

async function measureQuality() {
  if (busy || !loaded) return;
  setBusy(true);
  setState('measuring');
  showError('quality-error', '');
  $('cancel-button').disabled = false;
  $('quality-table').hidden = true;
  try {
    const { options } = readParameters($('parameters'));
    const result = await client.request('measureQuality', {
      options,
      query: $('quality-query').value,
      ioScoring: $('quality-scoring').value === 'io',
      // NaN when empty or not a number: the core then names the value it got.
      recency: $('quality-recency').valueAsNumber,
    }, qualityProgress);
    if (result.cancelled) {
      $('quality-status').textContent = 'Measuring cancelled.';
      return;
    }
    quality.result = result;
    renderQuality(result);
  } catch (error) {
    showError('quality-error', error.message);
    $('quality-status').textContent = '';
  } finally {
    $('quality-progress').hidden = true;
    $('cancel-button').disabled = true;
    setBusy(false);
    setState(restingState());
  }
}

// ---- Map ----

function clearModel() {
  model.ids = [];
  model.selected = -1;
  model.row = new Map();
  map.clear();
  profile.recommended = { indices: [], scores: [], because: [] };
  renderProfile();
  $('map-status').textContent = '';
  $('legend').replaceChildren();
  $('map').dataset.drawn = 'false';
  $('search').disabled = true;
  $('colour-by').disabled = true;
  $('layout').disabled = true;
  for (const id of ['export-model', 'export-coordinates', 'export-neighbours', 'export-png']) {
    $(id).disabled = true;
  }
  renderSelection();
}

function applyCatalogue(items) {
  applyCatalogueFields(items);
  model.hasCatalogue = true;
  $('colour-by').disabled = false;
  map.recolour(categories($('colour-by').value))
    .catch((error) => showError('train-error', error.message));
  renderLegend();
  renderSelection();
}

// The legend of the colours drawn last.
let legend = [];

/** Colour codes of the items for the chosen colouring, updating the legend. */
function categories(by) {
  if (by === 'none' || !model.hasCatalogue) {
    legend = [];
    return new Uint8Array(model.ids.length);
  }
  const labels = by === 'type' ? model.types.map((t) => [t]) : model.genres;
  const result = categorise(labels, palette.length - 2);
  legend = result.legend;
  return result.codes;
}

function renderLegend() {
  const box = $('legend');
  box.replaceChildren();
  legend.forEach((label, i) => {
    const entry = element('span', label, 'legend-entry');
    const swatch = element('span', undefined, 'swatch');
    swatch.style.background = palette[i];
    entry.prepend(swatch);
    box.append(entry);
  });
}

async function showModel(result) {
  model.ids = result.ids ? result.ids.split('\x1f') : [];
  model.row = new Map(model.ids.map((id, i) => [id, i]));
  model.counts = result.counts;
  model.coordinates = result.coordinates;
  model.pca = result.coordinates;
  model.tsne = null;
  model.layout = 'pca';
  $('layout').value = 'pca';
  $('map').dataset.layout = 'pca';
  model.selected = -1;
  model.hasCatalogue = Boolean(result.items);
  if (result.items) {
    applyCatalogueFields(result.items);
  } else {
    model.titles = model.ids.slice();
    model.types = model.ids.map(() => '');
    model.genres = model.ids.map(() => []);
    model.folded = model.titles.map(foldText);
  }
  $('colour-by').disabled = !model.hasCatalogue;
  if (model.hasCatalogue && $('colour-by').value === 'none') $('colour-by').value = 'genre';
  map.highlight(-1, []);
  await map.draw(model.coordinates, categories($('colour-by').value), model.counts);
  renderLegend();
  renderSelection();
  $('map').dataset.drawn = 'true';
  $('layout').disabled = false;
  // The list survives retraining: its items are found again by id in the new model.
  await refreshRecommendations();
  $('search').disabled = false;
  for (const id of ['export-model', 'export-coordinates', 'export-neighbours', 'export-png']) {
    $(id).disabled = false;
  }
}

function applyCatalogueFields(items) {
  const split = (text) => text.split('\x1f');
  model.titles = split(items.titles);
  model.types = split(items.types);
  model.genres = split(items.genres).map((g) => (g ? g.split('\x1e') : []));
  model.folded = model.titles.map(foldText);
}

function itemLabel(i) {
  return model.titles[i] || model.ids[i];
}

function showTooltip(item) {
  const tip = $('tooltip');
  if (item < 0 || item >= model.ids.length) {
    tip.hidden = true;
    return;
  }
  const position = map.screenPosition(item);
  tip.textContent = `${itemLabel(item)} · ${formatCount(model.counts[item])} users`;
  tip.hidden = false;
  if (position) {
    tip.style.left = `${position[0] + 12}px`;
    tip.style.top = `${position[1] + 12}px`;
  }
}

async function selectItem(item, { zoom = false } = {}) {
  if (item < 0 || item >= model.ids.length) {
    model.selected = -1;
    map.highlight(-1, []);
    renderSelection();
    return;
  }
  try {
    const found = await client.request('neighbours', { item, k: neighbourCount });
    model.selected = item;
    model.neighbours = { indices: Array.from(found.indices), scores: Array.from(found.scores) };
    map.highlight(item, model.neighbours.indices);
    if (zoom) map.zoomTo([item, ...model.neighbours.indices]);
    renderSelection();
  } catch (error) {
    showError('train-error', error.message);
  }
}

function renderSelection() {
  const box = $('selection');
  box.replaceChildren();
  const item = model.selected;
  if (item < 0 || item >= model.ids.length) {
    box.append(element('p', model.ids.length
      ? 'Click a point, or search for a title, to see its nearest neighbours.'
      : 'Train a model, then click a point (or search) to see its nearest neighbours.',
    'hint'));
    return;
  }
  const heading = element('h3', itemLabel(item), 'selected-title');
  heading.dataset.item = String(item);
  const facts = [`id ${model.ids[item]}`, `${formatCount(model.counts[item])} users`];
  if (model.types[item]) facts.push(model.types[item]);
  if (model.genres[item]?.length) facts.push(model.genres[item].join(', '));
  box.append(heading, element('p', facts.join(' · '), 'facts'));
  box.append(element('h4', `${model.neighbours.indices.length} nearest neighbours (cosine)`));
  const list = element('ol', undefined, 'neighbours');
  model.neighbours.indices.forEach((j, rank) => {
    const entry = element('li');
    const button = element('button', itemLabel(j), 'neighbour');
    button.type = 'button';
    button.dataset.item = String(j);
    button.addEventListener('click', () => selectItem(j, { zoom: true }));
    entry.append(button, element('span', model.neighbours.scores[rank].toFixed(3), 'score'));
    list.append(entry);
  });
  box.append(list);
  if (!inList(item)) {
    const add = element('button', 'Add to my list', 'add');
    add.type = 'button';
    add.id = 'add-to-profile';
    add.addEventListener('click', () => addToProfile(item));
    box.append(add);
  }
}

// ---- My list: recommendations for the titles a visitor has watched ----

// The visitor's list as ids (so it survives retraining and page reloads), kept per data set.
const profile = {
  key: '',
  entries: [],
  recommended: { indices: [], scores: [], because: [] },
  popular: false,
  error: '',
};

function rowOf(id) {
  return model.row?.get(id) ?? -1;
}

function profileRows() {
  return profile.entries.map((e) => rowOf(e.id)).filter((row) => row >= 0);
}

function inList(item) {
  return profile.entries.some((e) => e.id === model.ids[item]);
}

/** The most popular items not in the list: counts descending, then the lower index. */
function popularItems(k) {
  const listed = new Set(profileRows());
  const order = [...model.ids.keys()].filter((i) => !listed.has(i));
  order.sort((a, b) => model.counts[b] - model.counts[a] || a - b);
  return order.slice(0, k);
}

/** Replaces the list, stores it and recomputes the recommendations (at once: no debounce). */
async function setProfile(entries) {
  profile.entries = entries;
  if (profile.key) saveList(window.localStorage, profile.key, entries);
  await refreshRecommendations();
}

let recommendationRequest = 0;

async function refreshRecommendations() {
  const request = ++recommendationRequest;
  const known = profile.entries.filter((e) => rowOf(e.id) >= 0);
  let recommended = { indices: [], scores: [], because: [] };
  let popular = false;
  profile.error = '';
  if (model.ids.length && known.length) {
    try {
      const found = await client.request('recommend', {
        items: known.map((e) => rowOf(e.id)),
        scores: known.map((e) => e.score),
        k: recommendationCount,
        ioScoring: model.ioScoring,
      });
      recommended = { indices: Array.from(found.indices), scores: Array.from(found.scores),
                      because: Array.from(found.because) };
    } catch (error) {
      profile.error = error.message;
    }
  } else if (model.ids.length) {
    popular = true;
    const indices = popularItems(recommendationCount);
    recommended = { indices, scores: indices.map((i) => model.counts[i]), because: [] };
  }
  // A later change has already asked again: its answer is the one to show.
  if (request !== recommendationRequest) return;
  profile.recommended = recommended;
  profile.popular = popular;
  renderProfile();
  renderSelection();
  markProfile();
}

function markProfile() {
  map.mark(profileRows(), profile.popular ? [] : profile.recommended.indices);
}

function addToProfile(item) {
  if (item < 0 || item >= model.ids.length || inList(item)) return Promise.resolve();
  return setProfile([...profile.entries,
    { id: model.ids[item], title: itemLabel(item), score: null }]);
}

function itemButton(item, className, onClick) {
  const button = element('button', itemLabel(item), className);
  button.type = 'button';
  button.dataset.item = String(item);
  button.addEventListener('click', onClick);
  return button;
}

function scoreSelect(entry) {
  const select = element('select', undefined, 'score-input');
  select.setAttribute('aria-label', `score of ${entry.title || entry.id}`);
  select.append(element('option', 'no score'));
  select.options[0].value = '';
  for (let s = 10; s >= 1; --s) {
    const option = element('option', String(s));
    option.value = String(s);
    select.append(option);
  }
  select.value = entry.score === null ? '' : String(entry.score);
  // A score from an imported file need not be a whole number: show it as it is.
  if (entry.score !== null && select.value !== String(entry.score)) {
    const option = element('option', String(entry.score));
    option.value = String(entry.score);
    select.append(option);
    select.value = String(entry.score);
  }
  select.addEventListener('change', () => {
    const score = select.value === '' ? null : Number(select.value);
    setProfile(profile.entries.map((e) => (e.id === entry.id ? { ...e, score } : e)));
  });
  return select;
}

function renderProfile() {
  const box = $('profile');
  box.replaceChildren();
  box.hidden = !loaded;
  if (!loaded) return;
  box.append(element('h3', `My list (${profile.entries.length})`));
  const tools = element('div', undefined, 'profile-tools');
  const exportButton = element('button', 'Export CSV');
  exportButton.type = 'button';
  exportButton.id = 'profile-export';
  exportButton.disabled = !profile.entries.length;
  exportButton.addEventListener('click', () => download(
    new Blob([listCsv(profile.entries)], { type: 'text/csv' }), 'anime2vec-my-list.csv'));
  const importLabel = element('label', 'Import CSV ', 'import');
  const importInput = element('input');
  importInput.type = 'file';
  importInput.id = 'profile-import';
  importInput.accept = '.csv,text/csv';
  importInput.addEventListener('change', () => {
    const [chosen] = importInput.files;
    if (chosen) importProfile(chosen);
  });
  importLabel.append(importInput);
  const clearButton = element('button', 'Clear');
  clearButton.type = 'button';
  clearButton.id = 'profile-clear';
  clearButton.disabled = !profile.entries.length;
  clearButton.addEventListener('click', () => setProfile([]));
  tools.append(exportButton, importLabel, clearButton);
  box.append(tools);
  const problem = element('p', profile.error, 'error');
  problem.id = 'profile-error';
  problem.setAttribute('role', 'alert');
  problem.hidden = !profile.error;
  box.append(problem);

  if (!profile.entries.length) {
    box.append(element('p', 'Add titles with "Add to my list" after clicking a point or ' +
                            'searching; give each a score if you like.', 'hint'));
  }
  const list = element('ul', undefined, 'profile-items');
  for (const entry of profile.entries) {
    const row = rowOf(entry.id);
    const item = element('li');
    item.dataset.id = entry.id;
    const name = row >= 0
      ? itemButton(row, 'neighbour', () => selectItem(row, { zoom: true }))
      : element('span', entry.title || entry.id, 'unknown');
    const remove = element('button', '×', 'remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', `remove ${entry.title || entry.id}`);
    remove.addEventListener('click', () =>
      setProfile(profile.entries.filter((e) => e.id !== entry.id)));
    item.append(name);
    if (row < 0 && model.ids.length) item.append(element('span', 'not in this model', 'missing'));
    item.append(scoreSelect(entry), remove);
    list.append(item);
  }
  box.append(list);
  if (!model.ids.length) {
    box.append(element('p', 'Train a model to get recommendations for this list.', 'hint'));
    return;
  }
  const anyKnown = profileRows().length > 0;
  box.append(element('h4', profile.popular
    ? (profile.entries.length && !anyKnown
      ? 'No listed title is in this model: the most popular titles'
      : 'Most popular titles (add some to your list for recommendations)')
    : `Recommended for this list (top ${profile.recommended.indices.length}, ` +
      `${model.ioScoring ? 'input · output scores' : 'cosine'})`));
  const ranked = element('ol', undefined, 'recommended');
  ranked.dataset.kind = profile.popular ? 'popular' : 'profile';
  profile.recommended.indices.forEach((j, rank) => {
    const entry = element('li');
    const score = profile.popular
      ? `${formatCount(profile.recommended.scores[rank])} users`
      : profile.recommended.scores[rank].toFixed(3);
    entry.append(itemButton(j, 'neighbour', () => selectItem(j, { zoom: true })),
                 element('span', score, 'score'));
    const reason = profile.recommended.because[rank];
    if (reason !== undefined) {
      const because = element('span', `because you watched ${itemLabel(reason)}`, 'because');
      because.dataset.item = String(reason);
      entry.append(because);
    }
    ranked.append(entry);
  });
  box.append(ranked);
}

async function importProfile(file) {
  try {
    const entries = parseListCsv(await file.text(), file.name);
    // Titles come from the model when it knows the id (an imported title may be stale).
    const named = entries.map((e) => {
      const row = rowOf(e.id);
      return row >= 0 ? { ...e, title: itemLabel(row) } : e;
    });
    await setProfile(named);
  } catch (error) {
    profile.error = error.message;
    renderProfile();
  }
}

// ---- Layout: PCA or t-SNE ----

let tsneRunning = false;
let frameDrawing = false;

async function showLayout(coordinates) {
  model.coordinates = coordinates;
  await map.move(coordinates);
  if (model.selected >= 0) map.highlight(model.selected, model.neighbours.indices);
}

async function changeLayout() {
  const wanted = $('layout').value;
  model.layout = wanted;
  map.resetView();
  if (wanted === 'pca') {
    if (tsneRunning) client.cancel();
    await showLayout(model.pca);
    $('map').dataset.layout = 'pca';
    return;
  }
  if (model.tsne) {
    await showLayout(model.tsne);
    $('map').dataset.layout = 'tsne';
    return;
  }
  if (tsneRunning || busy) return;
  tsneRunning = true;
  setBusy(true);
  const ids = model.ids;
  try {
    const result = await client.request('tsne', { options: {} }, async (p) => {
      $('map-status').textContent = `t-SNE: iteration ${p.iteration} of ${p.iterations}` +
        (p.exaggerating ? ' (forming clusters)' : '');
      // Draw the frame unless the previous one is still being drawn or PCA was chosen again.
      if (frameDrawing || model.layout !== 'tsne' || model.ids !== ids) return;
      frameDrawing = true;
      try {
        await showLayout(p.layout);
      } finally {
        frameDrawing = false;
      }
    });
    if (model.ids !== ids) return;
    if (result.cancelled) {
      $('map-status').textContent = 't-SNE stopped; showing PCA.';
      $('layout').value = 'pca';
      model.layout = 'pca';
      await showLayout(model.pca);
      return;
    }
    model.tsne = result.layout;
    $('map-status').textContent = `t-SNE done: ${result.progress.iterations} iterations.`;
    if (model.layout === 'tsne') {
      await showLayout(model.tsne);
      $('map').dataset.layout = 'tsne';
    }
  } catch (error) {
    showError('train-error', error.message);
    $('layout').value = 'pca';
    model.layout = 'pca';
    await showLayout(model.pca);
  } finally {
    tsneRunning = false;
    setBusy(false);
  }
}

// ---- Search ----

let searchHits = [];
let activeHit = -1;

function renderSearch() {
  const list = $('search-results');
  list.replaceChildren();
  searchHits.forEach((item, i) => {
    const option = element('li', itemLabel(item));
    option.id = `search-hit-${i}`;
    option.setAttribute('role', 'option');
    option.dataset.item = String(item);
    option.setAttribute('aria-selected', String(i === activeHit));
    option.addEventListener('mousedown', (event) => {
      event.preventDefault();
      chooseHit(i);
    });
    list.append(option);
  });
  const query = $('search').value.trim();
  if (query && !searchHits.length) list.append(element('li', 'no title matches', 'none'));
  list.hidden = !query;
  $('search').setAttribute('aria-expanded', String(!list.hidden));
  if (activeHit >= 0) $('search').setAttribute('aria-activedescendant', `search-hit-${activeHit}`);
  else $('search').removeAttribute('aria-activedescendant');
}

function chooseHit(i) {
  const item = searchHits[i];
  if (item === undefined) return;
  $('search').value = itemLabel(item);
  searchHits = [];
  activeHit = -1;
  renderSearch();
  $('search-results').hidden = true;
  selectItem(item, { zoom: true });
}

function onSearchInput() {
  searchHits = searchTitles(model.folded, model.counts, $('search').value);
  activeHit = searchHits.length ? 0 : -1;
  renderSearch();
}

function onSearchKey(event) {
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    if (!searchHits.length) return;
    event.preventDefault();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    activeHit = (activeHit + step + searchHits.length) % searchHits.length;
    renderSearch();
  } else if (event.key === 'Enter') {
    event.preventDefault();
    if (activeHit >= 0) chooseHit(activeHit);
  } else if (event.key === 'Escape') {
    $('search').value = '';
    searchHits = [];
    renderSearch();
  }
}

// ---- Export ----

async function exportModel() {
  const { bytes } = await client.request('modelText');
  download(new Blob([bytes], { type: 'text/plain' }), 'anime2vec.vec');
}

function exportCoordinates() {
  const lines = [csvLine(['id', 'title', 'x', 'y', 'users'])];
  for (let i = 0; i < model.ids.length; ++i) {
    lines.push(csvLine([model.ids[i], model.titles[i], model.coordinates[2 * i],
                        model.coordinates[2 * i + 1], model.counts[i]]));
  }
  download(new Blob(lines, { type: 'text/csv' }), `anime2vec-${model.layout}.csv`);
}

async function exportNeighbours() {
  $('map-status').textContent = 'Computing every item\'s neighbours…';
  const { k, indices, scores } = await client.request('allNeighbours', { k: neighbourCount },
    (p) => { $('map-status').textContent = `Neighbours: ${p.done} of ${p.total} items…`; });
  const lines = [csvLine(['id', 'title', 'rank', 'neighbour_id', 'neighbour_title', 'cosine'])];
  for (let i = 0; i < model.ids.length; ++i) {
    for (let r = 0; r < k; ++r) {
      const j = indices[i * k + r];
      lines.push(csvLine([model.ids[i], model.titles[i], r + 1, model.ids[j], model.titles[j],
                          scores[i * k + r].toFixed(6)]));
    }
  }
  download(new Blob(lines, { type: 'text/csv' }), 'anime2vec-neighbours.csv');
  $('map-status').textContent = `Neighbours of ${formatCount(model.ids.length)} items exported.`;
}

async function exportPng() {
  download(await map.png(), 'anime2vec-map.png');
}

function guard(action) {
  return () => action().catch((error) => showError('train-error', error.message));
}

// ---- Start ----

async function start() {
  $('ratings-file').addEventListener('change', (event) => {
    if (event.target.files[0]) readRatingsFile(event.target.files[0]);
    event.target.value = '';
  });
  $('catalogue-file').addEventListener('change', (event) => {
    if (event.target.files[0]) readCatalogueFile(event.target.files[0]);
    event.target.value = '';
  });
  $('generate').addEventListener('click', () => {
    const users = Number($('sample-users').value);
    runRead('Example', () =>
      client.request('generate', { users, seed: 7, ...readerOptions() }, readProgress));
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (!busy && event.dataTransfer.files.length) readDropped(event.dataTransfer.files);
  });
  $('train-form').addEventListener('submit', train);
  $('cancel-button').addEventListener('click', () => client.cancel());
  $('measure-button').addEventListener('click', () => measureQuality());
  $('search').addEventListener('input', onSearchInput);
  $('search').addEventListener('keydown', onSearchKey);
  $('search').addEventListener('blur', () => { $('search-results').hidden = true; });
  $('layout').addEventListener('change', () => {
    changeLayout().catch((error) => showError('train-error', error.message));
  });
  $('colour-by').addEventListener('change', async () => {
    await map.recolour(categories($('colour-by').value));
    renderLegend();
    if (model.selected >= 0) map.highlight(model.selected, model.neighbours.indices);
  });
  $('export-model').addEventListener('click', guard(exportModel));
  $('export-coordinates').addEventListener('click', guard(async () => exportCoordinates()));
  $('export-neighbours').addEventListener('click', guard(exportNeighbours));
  $('export-png').addEventListener('click', guard(exportPng));

  try {
    const started = await client.request('init');
    presets = started.presets;
    buildParameters($('parameters'), started.defaults, presets);
    // The quality step scores the way the chosen preset is meant to be used.
    applyQualitySettings();
    $('option-preset')?.addEventListener('change', applyQualitySettings);
    setBusy(false);
    setState('idle');
  } catch (error) {
    showError('data-error', `The WebAssembly module did not start: ${error.message}. ` +
              'The page needs WebAssembly SIMD (Chrome 91+, Firefox 89+, Safari 16.4+).');
    setState('failed');
  }
}

// Hooks for the browser tests (and the curious): read-only views of the map's state.
window.anime2vecPage = {
  model,
  profile,
  sample,
  markedPoints: () => map.marked(),
  quality,
  presets: () => presets,
  screenPosition: (item) => map.screenPosition(item),
  selectedPoints: () => map.selected(),
};

start();
