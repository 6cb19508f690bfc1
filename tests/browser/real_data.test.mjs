// The real Kaggle anime sample through the page: upload its ratings (520k rows) and catalogue,
// train with the defaults, search "Mononoke Hime" and expect another Studio Ghibli film among
// its ten neighbours. Prints the time from upload start to the map being drawn.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { openPage, screenshot, waitForState } from './harness.mjs';

const dataDir = process.env.ANIME2VEC_SHARED_DATA
  ? join(process.env.ANIME2VEC_SHARED_DATA, 'anime') : '';
const available = dataDir && existsSync(join(dataDir, 'ratings.csv')) &&
  existsSync(join(dataDir, 'anime.csv'));

const ghibli = ['Sen to Chihiro no Kamikakushi', 'Tonari no Totoro', 'Kaze no Tani no Nausicaä',
  'Tenkuu no Shiro Laputa', 'Majo no Takkyuubin', 'Kurenai no Buta', 'Hauru no Ugoku Shiro',
  'Hotaru no Haka', 'Omoide Poroporo', 'Heisei Tanuki Gassen Ponpoko', 'Mimi wo Sumaseba',
  'Gake no Ue no Ponyo', 'Kaguya-hime no Monogatari'];

test('the anime sample trains in the page and Mononoke Hime sits next to Ghibli films', {
  skip: available ? false
    : `no anime sample at ${dataDir || '$ANIME2VEC_SHARED_DATA/anime'} (set ANIME2VEC_SHARED_DATA)`,
  timeout: 400000,
}, async () => {
  const session = await openPage();
  try {
    const { page } = session;
    const started = Date.now();
    await page.setInputFiles('#catalogue-file', join(dataDir, 'anime.csv'));
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'idle');
    assert.equal(await page.isVisible('#data-error'), false,
                 await page.textContent('#data-error'));
    await page.setInputFiles('#ratings-file', join(dataDir, 'ratings.csv'));
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded',
                 await page.textContent('#data-error'));
    const read = (Date.now() - started) / 1000;
    const summary = await page.textContent('#summary');
    assert.match(summary, /Interactions520,609/);

    await page.click('#train-button');
    assert.equal(await waitForState(page, ['trained', 'loaded'], 360000), 'trained',
                 await page.textContent('#train-error'));
    await page.waitForSelector('#map[data-drawn="true"]');
    const drawn = (Date.now() - started) / 1000;
    const status = await page.textContent('#train-status');
    console.log(`anime sample: read in ${read.toFixed(1)} s, upload to map drawn in ` +
                `${drawn.toFixed(1)} s; ${status}`);

    await page.fill('#search', 'mononoke hime');
    await page.waitForSelector('#search-results li[role=option]');
    assert.equal(await page.textContent('#search-results li[role=option]'), 'Mononoke Hime');
    await page.press('#search', 'Enter');
    await page.waitForFunction(() => document.querySelector('#selection .selected-title')
      ?.textContent === 'Mononoke Hime');
    await page.waitForFunction(() => document.querySelectorAll('#selection .neighbour')
      .length === 10);
    const neighbours = await page.$$eval('#selection .neighbour', (b) =>
      b.map((x) => x.textContent));
    console.log(`Mononoke Hime's neighbours: ${neighbours.join('; ')}`);
    assert.ok(neighbours.some((title) => ghibli.includes(title)),
              `no Ghibli film among ${neighbours.join('; ')}`);
    await screenshot(page, 'page-anime-mononoke.png');
    assert.deepEqual(session.foreignRequests(), []);
    assert.deepEqual(session.pageErrors, []);
  } finally {
    await session.close();
  }
});
