// t-SNE of every item of the real Kaggle anime sample through the page's own worker: upload the
// ratings and catalogue, train one epoch (the map's speed, not the model's quality, is measured
// here), start t-SNE and cancel it by going back to PCA, then switch the layout to t-SNE with its
// defaults and wait for the finished frame. Asserts that the layout is complete and drawn;
// prints the seconds from the switch to the last frame and the spacing of the frames (printed
// only: wall time depends on the machine).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { openPage, screenshot, trainAndWait, waitForState } from './harness.mjs';

const dataDir = process.env.ANIME2VEC_SHARED_DATA
  ? join(process.env.ANIME2VEC_SHARED_DATA, 'anime') : '';
const available = dataDir && existsSync(join(dataDir, 'ratings.csv')) &&
  existsSync(join(dataDir, 'anime.csv'));

test('t-SNE maps every item of the anime sample in the page', {
  skip: available ? false
    : `no anime sample at ${dataDir || '$ANIME2VEC_SHARED_DATA/anime'} (set ANIME2VEC_SHARED_DATA)`,
  timeout: 180000,
}, async () => {
  const session = await openPage();
  try {
    const { page } = session;
    await page.setInputFiles('#catalogue-file', join(dataDir, 'anime.csv'));
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'idle');
    await page.setInputFiles('#ratings-file', join(dataDir, 'ratings.csv'));
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded',
                 await page.textContent('#data-error'));
    await page.fill('#option-epochs', '1');
    await trainAndWait(page, 120000);
    const items = await page.evaluate(() => window.anime2vecPage.model.ids.length);

    // Going back to PCA during the run cancels it between two steps.
    await page.selectOption('#layout', 'tsne');
    await page.waitForFunction(() => /t-SNE: iteration \d+ of/.test(
      document.getElementById('map-status').textContent), null, { timeout: 60000 });
    await page.selectOption('#layout', 'pca');
    await page.waitForFunction(() => /^t-SNE stopped/.test(
      document.getElementById('map-status').textContent), null, { timeout: 10000 });
    await page.waitForFunction(() => !document.getElementById('train-button').disabled);

    // Every change of the status line is a frame the worker posted: keep their times.
    await page.evaluate(() => {
      const times = [];
      window.tsneFrameTimes = times;
      new MutationObserver(() => times.push(performance.now()))
        .observe(document.getElementById('map-status'), { childList: true, characterData: true,
                                                          subtree: true });
      window.tsneStart = performance.now();
    });
    await page.selectOption('#layout', 'tsne');
    await page.waitForFunction(() => document.getElementById('map').dataset.layout === 'tsne',
                               null, { timeout: 150000 });
    const timing = await page.evaluate(() => {
      const end = performance.now();
      const times = window.tsneFrameTimes;
      const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
      return {
        seconds: (end - window.tsneStart) / 1000,
        frames: times.length,
        medianGap: gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0,
        maxGap: gaps.length ? gaps[gaps.length - 1] : 0,
      };
    });
    const status = await page.textContent('#map-status');
    assert.match(status, /^t-SNE done: 1000 iterations/);

    const coordinates = await page.evaluate(() =>
      Array.from(window.anime2vecPage.model.coordinates));
    assert.equal(coordinates.length, 2 * items);
    const bad = coordinates.findIndex((v) => !Number.isFinite(v));
    assert.equal(bad, -1, `item ${Math.floor(bad / 2)} has coordinate ${coordinates[bad]}`);
    assert.ok(new Set(coordinates).size > items, 'the layout collapsed');

    // The map draws every item, each at a finite place on the canvas.
    const drawn = await page.evaluate(() => {
      const hooks = window.anime2vecPage;
      const n = hooks.model.ids.length;
      let placed = 0;
      for (let i = 0; i < n; ++i) {
        const p = hooks.screenPosition(i);
        if (p && Number.isFinite(p[0]) && Number.isFinite(p[1])) ++placed;
      }
      return placed;
    });
    assert.equal(drawn, items);

    console.log(`t-SNE of ${items} items in the page: ${timing.seconds.toFixed(1)} s from the ` +
                `switch to the finished frame; ${timing.frames} status updates, median gap ` +
                `${timing.medianGap.toFixed(0)} ms, longest ${timing.maxGap.toFixed(0)} ms`);
    await screenshot(page, 'page-anime-tsne.png');
    assert.deepEqual(session.foreignRequests(), []);
    assert.deepEqual(session.pageErrors, []);
  } finally {
    await session.close();
  }
});
