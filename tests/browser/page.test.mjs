// The page in headless Chromium: generate → train in the worker → click a point → neighbours;
// search; a bad file's error and recovery; titles rendered as text; exports; cancel. Every
// request must stay on the page's origin.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { clickIsolatedPoint, formDifferences, openPage, pagePresets, screenshot, trainAndWait,
  waitForState } from './harness.mjs';

const hostile = '<img src=x onerror="window.__pwned=1">';

/** Small ratings file with three planted groups of items (seeded, no Math.random). */
function plantedRatings(users = 1200) {
  let x = 12345;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  let text = 'user_id,anime_id,rating\n';
  for (let u = 1; u <= users; ++u) {
    const group = u % 3;
    const seen = new Set();
    while (seen.size < 8) seen.add(100 * (group + 1) + Math.floor(next() * 15));
    for (const item of seen) text += `${u},${item},${1 + Math.floor(next() * 10)}\n`;
  }
  return text;
}

function catalogueFor(ratingsText) {
  const ids = [...new Set(ratingsText.trim().split('\n').slice(1).map((l) => l.split(',')[1]))];
  let text = 'anime_id,name,genre,type,episodes,rating,members\n';
  ids.forEach((id, i) => {
    const title = i === 0 ? hostile : i === 1 ? 'Pokémon Ärger Spezial' : `Title ${id}`;
    text += `${id},"${title.replace(/"/g, '""')}","Drama, Action",TV,12,7.5,${1000 + i}\n`;
  });
  return text;
}

function file(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

async function selectedItem(page) {
  return page.evaluate(() => {
    const heading = document.querySelector('#selection .selected-title');
    return heading ? Number(heading.dataset.item) : -1;
  });
}

describe('the page', { timeout: 400000 }, () => {
  let session;
  let page;

  before(async () => {
    session = await openPage();
    page = session.page;
  });

  after(async () => {
    if (session) await session.close();
  });

  test('generates an example, trains it and lists ten neighbours of a clicked point', async () => {
    await page.click('#generate');
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded',
                 await page.textContent('#data-error'));
    const summary = await page.textContent('#summary');
    assert.match(summary, /Users3,000/);
    assert.match(summary, /Rated -1 \(watched, not rated\)\d+\.\d %/);

    // While the worker trains, the page must keep answering. More epochs than the default, so
    // that training outlasts ten frames on a loaded machine too.
    await page.fill('#option-epochs', '20');
    await page.click('#train-button');
    await page.waitForSelector('#train-progress:not([hidden])');
    // Ten animation frames while training goes on, none of them late: the work is elsewhere.
    const frames = await page.evaluate(() => new Promise((resolve) => {
      const times = [];
      const bar = document.getElementById('train-progress');
      const tick = (t) => {
        times.push([t, bar.value]);
        if (times.length < 10) requestAnimationFrame(tick);
        else resolve(times);
      };
      requestAnimationFrame(tick);
    }));
    const gaps = frames.slice(1).map((f, i) => f[0] - frames[i][0]);
    assert.ok(Math.max(...gaps) < 1500, `the page froze during training: ${gaps}`);
    assert.ok(frames[9][1] < 1, 'training ended before the frames were counted');
    assert.equal(await waitForState(page, ['trained', 'loaded'], 300000), 'trained');
    await page.waitForSelector('#map[data-drawn="true"]');
    const status = await page.textContent('#train-status');
    assert.match(status, /Trained \d+ items .* tokens\/s\), final loss \d/);
    assert.ok(await page.isVisible('#loss'));

    const n = await page.evaluate(() => window.anime2vecPage.model.ids.length);
    assert.equal(n, Number(summary.match(/Training corpus3,000 users, (\d+) items/)[1]));

    const item = await clickIsolatedPoint(page);
    await page.waitForFunction(() => document.querySelectorAll('#selection .neighbour')
      .length === 10);
    assert.equal(await selectedItem(page), item);
    const title = await page.evaluate((i) => window.anime2vecPage.model.titles[i], item);
    assert.equal(await page.textContent('#selection .selected-title'), title);
    assert.match(await page.textContent('#tooltip'), new RegExp(`^${title.replace(
      /[.*+?^${}()|[\]\\]/g, '\\$&')} · `));
    const neighbours = await page.$$eval('#selection .neighbour', (buttons) =>
      buttons.map((b) => Number(b.dataset.item)));
    const scores = await page.$$eval('#selection .score', (spans) =>
      spans.map((s) => Number(s.textContent)));
    assert.equal(new Set(neighbours).size, 10);
    assert.ok(!neighbours.includes(item));
    for (let r = 1; r < 10; ++r) assert.ok(scores[r] <= scores[r - 1], 'scores not sorted');
    const highlighted = await page.evaluate(() => window.anime2vecPage.selectedPoints());
    assert.deepEqual([...highlighted].sort((a, b) => a - b),
                     [item, ...neighbours].sort((a, b) => a - b));
    await screenshot(page, 'page-neighbours.png');

    // A neighbour is clickable in turn.
    await page.click(`#selection .neighbour[data-item="${neighbours[2]}"]`);
    await page.waitForFunction((j) => document.querySelector('#selection .selected-title')
      ?.dataset.item === String(j), neighbours[2]);
    assert.equal((await page.$$('#selection .neighbour')).length, 10);

    // The mouse wheel zooms: points move apart on the screen.
    const spread = () => page.evaluate(() => {
      const [a, b] = [0, 1].map((i) => window.anime2vecPage.screenPosition(i));
      return Math.hypot(a[0] - b[0], a[1] - b[1]);
    });
    await page.waitForTimeout(600); // the neighbour's zoom transition takes 400 ms
    const before = await spread();
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForTimeout(300);
    assert.ok(await spread() > before * 1.2, 'the wheel did not zoom in');
  });

  test('finds items by title with the keyboard, ignoring case and accents', async () => {
    const titles = await page.evaluate(() => window.anime2vecPage.model.titles);
    const target = titles.findIndex((t) => /^[A-Za-z].{5,}/.test(t));
    await page.fill('#search', titles[target].toUpperCase());
    await page.waitForSelector('#search-results li[role=option]');
    const first = await page.getAttribute('#search-results li[role=option]', 'data-item');
    assert.equal(Number(first), target);
    await page.press('#search', 'Enter');
    await page.waitForFunction((i) => document.querySelector('#selection .selected-title')
      ?.dataset.item === String(i), target);

    // A common substring: ArrowDown moves to the second hit, Enter selects it.
    await page.fill('#search', 'a');
    const options = await page.$$eval('#search-results li[role=option]', (items) =>
      items.map((li) => Number(li.dataset.item)));
    assert.ok(options.length >= 2);
    await page.press('#search', 'ArrowDown');
    assert.equal(await page.getAttribute('#search-results li[aria-selected=true]', 'data-item'),
                 String(options[1]));
    await page.press('#search', 'Enter');
    await page.waitForFunction((i) => document.querySelector('#selection .selected-title')
      ?.dataset.item === String(i), options[1]);
  });

  test('recommends for a list of liked items and leaves them out', async () => {
    const liked = [];
    for (const pick of [0, 1]) {
      await page.click(`#selection .neighbour >> nth=${pick}`);
      await page.waitForSelector('#add-to-profile');
      liked.push(Number(await page.getAttribute('#selection .selected-title', 'data-item')));
      await page.click('#add-to-profile');
      await page.waitForFunction((n) => document.querySelectorAll('#profile .profile-items li')
        .length === n, liked.length);
    }
    await page.waitForFunction(() => document.querySelectorAll(
      '#profile .recommended[data-kind="profile"] li').length === 20);
    const recommended = await page.$$eval('#profile .recommended .neighbour', (b) =>
      b.map((x) => Number(x.dataset.item)));
    assert.equal(new Set(recommended).size, 20);
    for (const item of liked) assert.ok(!recommended.includes(item), `${item} recommended`);
    await page.click('#profile .remove >> nth=0');
    await page.waitForFunction(() => document.querySelectorAll('#profile .profile-items li')
      .length === 1);
  });

  test('switches the map to t-SNE, animating it, and back to PCA', async () => {
    const pca = await page.evaluate(() => Array.from(window.anime2vecPage.model.coordinates));
    await page.selectOption('#layout', 'tsne');
    await page.waitForFunction(() => /t-SNE: iteration \d+ of/.test(
      document.getElementById('map-status').textContent));
    await page.waitForFunction(() => document.getElementById('map').dataset.layout === 'tsne',
                               null, { timeout: 120000 });
    assert.match(await page.textContent('#map-status'), /^t-SNE done: \d+ iterations/);
    const tsne = await page.evaluate(() => Array.from(window.anime2vecPage.model.coordinates));
    assert.equal(tsne.length, pca.length);
    assert.notDeepEqual(tsne, pca);
    // Clicking still selects on the new layout.
    const item = await clickIsolatedPoint(page, 6);
    await page.waitForFunction((i) => document.querySelector('#selection .selected-title')
      ?.dataset.item === String(i), item);
    await screenshot(page, 'page-tsne.png');
    await page.selectOption('#layout', 'pca');
    await page.waitForFunction(() => document.getElementById('map').dataset.layout === 'pca');
    assert.deepEqual(
      await page.evaluate(() => Array.from(window.anime2vecPage.model.coordinates)), pca);
  });

  test('exports the model, coordinates, neighbours and the map', async () => {
    const n = await page.evaluate(() => window.anime2vecPage.model.ids.length);
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      return readFile(await download.path());
    };
    const model = (await save('#export-model')).toString('utf8');
    assert.match(model, new RegExp(`^${n} \\d+\\n`));
    assert.equal(model.trim().split('\n').length, n + 1);
    const coordinates = (await save('#export-coordinates')).toString('utf8').trim().split('\n');
    assert.equal(coordinates[0], 'id,title,x,y,users');
    assert.equal(coordinates.length, n + 1);
    const neighbours = (await save('#export-neighbours')).toString('utf8').trim().split('\n');
    assert.equal(neighbours[0], 'id,title,rank,neighbour_id,neighbour_title,cosine');
    assert.equal(neighbours.length, n * 10 + 1);
    const png = await save('#export-png');
    assert.ok(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])));
    assert.ok(png.length > 2000);
  });

  test('cancels a long training and stays usable', async () => {
    await page.fill('#option-epochs', '500');
    await page.click('#train-button');
    await page.waitForFunction(() => /Epoch \d+ of 500/.test(
      document.getElementById('train-status').textContent));
    await page.click('#cancel-button');
    assert.equal(await waitForState(page, ['loaded', 'trained'], 30000), 'trained');
    assert.equal(await page.textContent('#train-status'),
                 'Cancelled; the map still shows the previous model.');
    await page.fill('#option-epochs', '5');

    // The previous model still answers.
    await clickIsolatedPoint(page);
    await page.waitForFunction(() => document.querySelectorAll('#selection .neighbour')
      .length === 10);
  });

  test('shows a bad file\'s line and reason, then trains a good file', async () => {
    const bad = 'user_id,anime_id,rating\n1,5,8\n1,6,abc\n';
    await page.setInputFiles('#ratings-file', file('bad.csv', bad));
    await page.waitForSelector('#data-error:not([hidden])');
    assert.equal(await page.textContent('#data-error'),
                 "bad.csv line 3, column rating: expected a number, got 'abc'");
    await screenshot(page, 'page-bad-file.png');

    // A named column that the file lacks is reported too.
    await page.click('.reader-options summary');
    await page.fill('#column-item', 'movie');
    await page.setInputFiles('#ratings-file', file('named.csv', 'user_id,anime_id\n1,2\n'));
    await page.waitForFunction(() => /movie/.test(document.getElementById('data-error')
      .textContent));
    await page.fill('#column-item', '');

    const ratings = plantedRatings();
    await page.setInputFiles('#ratings-file', file('good.csv', ratings));
    await page.waitForFunction(() => document.getElementById('data-error').hidden);
    assert.equal(await waitForState(page, ['loaded']), 'loaded');
    assert.match(await page.textContent('#summary'), /Summary of good\.csv/);
    await trainAndWait(page);

    // The planted groups: a point's neighbours come from its own group (ids 100s, 200s, 300s).
    const item = await clickIsolatedPoint(page, 4);
    await page.waitForFunction(() => document.querySelectorAll('#selection .neighbour')
      .length === 10);
    const ids = await page.evaluate(() => window.anime2vecPage.model.ids);
    const neighbourIds = await page.$$eval('#selection .neighbour', (buttons, all) =>
      buttons.map((b) => all[Number(b.dataset.item)]), ids);
    const group = ids[item][0];
    const same = neighbourIds.filter((id) => id[0] === group).length;
    assert.ok(same >= 9, `only ${same} of 10 neighbours of ${ids[item]} share its group`);
  });

  test('renders catalogue titles as text, never as HTML', async () => {
    const ratings = plantedRatings();
    await page.setInputFiles('#catalogue-file', file('anime.csv', catalogueFor(ratings)));
    // A catalogue read after training names the points of the model already drawn.
    assert.equal(await waitForState(page, ['loaded', 'trained', 'idle']), 'trained');
    assert.ok((await page.evaluate(() => window.anime2vecPage.model.titles)).includes(hostile));
    assert.equal(await page.isVisible('#data-error'), false, await page.textContent('#data-error'));
    await trainAndWait(page);

    await page.fill('#search', 'onerror');
    await page.waitForSelector('#search-results li[role=option]');
    assert.equal(await page.textContent('#search-results li[role=option]'), hostile);
    await page.press('#search', 'Enter');
    await page.waitForFunction((t) => document.querySelector('#selection .selected-title')
      ?.textContent === t, hostile);

    // Accent- and case-insensitive: "pokemon arger" finds "Pokémon Ärger Spezial".
    await page.fill('#search', 'POKEMON ARGER');
    await page.waitForSelector('#search-results li[role=option]');
    assert.equal(await page.textContent('#search-results li[role=option]'),
                 'Pokémon Ärger Spezial');
    await page.press('#search', 'Escape');

    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => document.querySelectorAll('main img').length), 0);
    assert.deepEqual(session.requests.filter((r) => /\/x$/.test(r)), []);
  });

  test('reads a dropped ratings file and catalogue, telling them apart by their headers',
       async () => {
    const ratings = plantedRatings(300);
    const catalogue = catalogueFor(ratings).replace('Title 101', 'Dropped Title 101');
    await page.evaluate(([r, c]) => {
      const transfer = new DataTransfer();
      // The ratings come first: the page must still read the catalogue before them.
      transfer.items.add(new File([r], 'dropped-ratings.csv', { type: 'text/csv' }));
      transfer.items.add(new File([c], 'dropped-anime.csv', { type: 'text/csv' }));
      const drop = document.getElementById('drop');
      drop.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true,
                                                 cancelable: true }));
    }, [ratings, catalogue]);
    await page.waitForFunction(() => /Summary of dropped-ratings\.csv/.test(
      document.getElementById('summary').textContent) && document.body.dataset.state === 'loaded');
    await trainAndWait(page);
    const titles = await page.evaluate(() => window.anime2vecPage.model.titles);
    assert.ok(titles.includes('Dropped Title 101'), 'the dropped catalogue was not used');
  });

  test('fills the training form from the core\'s presets, similarity first', async () => {
    const presets = await pagePresets(page);
    assert.equal(await page.inputValue('#option-preset'), 'similarity');
    assert.ok(presets.length >= 2);
    for (const preset of [...presets.slice(1), presets[0]]) {
      await page.selectOption('#option-preset', preset.name);
      assert.deepEqual(await formDifferences(page, preset.options), [], preset.name);
      assert.equal(await page.textContent('#option-preset + .hint'), preset.summary);
    }
  });

  test('never requests anything from another origin and logs no page errors', () => {
    assert.ok(session.requests.length > 5);
    assert.deepEqual(session.foreignRequests(), []);
    assert.deepEqual(session.pageErrors, []);
  });
});
