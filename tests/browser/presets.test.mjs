// The preset selector follows the loaded data's kind: before any data it fills the form with a
// preset's settings for lists with timestamps; reading a ratings file applies the chosen
// preset again for that file's kind, and the hint says which applies. The recommendation
// preset differs between the two kinds, and the quality step shows and uses the recency of
// the settings that apply.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { formDifferences, openPage, pagePresets, waitForState } from './harness.mjs';

/**
 * The same small ratings, with or without a timestamp column: 300 users of 8 items each from
 * one of three groups, timestamps out of file order (seeded, no Math.random).
 */
function ratingsText(timestamps) {
  let x = 2024;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  let text = `user_id,anime_id,rating${timestamps ? ',timestamp' : ''}\n`;
  for (let u = 1; u <= 300; ++u) {
    const seen = new Set();
    while (seen.size < 8) seen.add(100 * (1 + (u % 3)) + Math.floor(next() * 20));
    for (const item of seen) {
      const stamp = 1e9 + Math.floor(next() * 1e6);
      text += `${u},${item},${1 + Math.floor(next() * 10)}${timestamps ? `,${stamp}` : ''}\n`;
    }
  }
  return text;
}

function file(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

const hint = (page) => page.textContent('#option-preset + .hint');

/** The fields that differ between a file with timestamps and one without, as the page shows. */
function shownFields(page) {
  return page.evaluate(() => ({
    window: document.getElementById('option-window').value,
    windowMode: document.getElementById('option-windowMode').value,
    forward: document.getElementById('option-forward').checked,
  }));
}

describe('presets for data with and without timestamps', { timeout: 200000 }, () => {
  let session;
  let page;
  let recommendation;

  before(async () => {
    session = await openPage();
    page = session.page;
    recommendation = (await pagePresets(page)).find((p) => p.name === 'recommendation');
    assert.ok(recommendation, 'the module has no recommendation preset');
  });

  after(async () => {
    if (session) await session.close();
  });

  async function readRatings(name, text) {
    await page.setInputFiles('#ratings-file', file(name, text));
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded',
                 await page.textContent('#data-error'));
    await page.waitForFunction((n) => document.getElementById('summary').textContent
      .includes(`Summary of ${n}`), name);
  }

  async function assertApplied(settings, kind) {
    assert.deepEqual(await formDifferences(page, settings.options), [], kind);
    assert.equal(await page.inputValue('#quality-recency'), String(settings.recency), kind);
    assert.equal(await page.inputValue('#quality-scoring'), settings.ioScoring ? 'io' : 'cosine',
                 kind);
  }

  test('before any data, a preset fills the form with its settings for timestamps',
       async () => {
    await page.selectOption('#option-preset', 'recommendation');
    await assertApplied(recommendation.timed, 'no data');
    const text = await hint(page);
    assert.ok(text.startsWith(recommendation.summary), text);
    assert.match(text, /with timestamps \(no data loaded yet\)/);
  });

  test('reading a file applies the chosen preset again for its kind', async () => {
    await readRatings('timed.csv', ratingsText(true));
    assert.match(await page.textContent('#summary'), /by timestamp/);
    assert.equal(await page.inputValue('#option-preset'), 'recommendation');
    await assertApplied(recommendation.timed, 'timed.csv');
    assert.match(await hint(page), /settings for data with timestamps$/);
    const timed = await shownFields(page);

    // A field changed by hand is set again from the preset when the next file is read.
    await page.fill('#option-window', '1');
    await readRatings('untimed.csv', ratingsText(false));
    assert.match(await page.textContent('#summary'), /file order \(no timestamp\)/);
    await assertApplied(recommendation.untimed, 'untimed.csv');
    assert.match(await hint(page), /settings for data in file order, no timestamps$/);
    const untimed = await shownFields(page);
    assert.notDeepEqual(untimed, timed, 'the recommendation preset shows the same window and ' +
                        'direction with and without timestamps');

    // The selector keeps following the file: another preset, then back.
    await page.selectOption('#option-preset', 'similarity');
    await page.selectOption('#option-preset', 'recommendation');
    await assertApplied(recommendation.untimed, 'untimed.csv again');
  });

  for (const [name, timestamps, kind] of [['untimed.csv', false, 'untimed'],
    ['timed.csv', true, 'timed']]) {
    test(`the quality step uses and shows the recency for ${name}`, async () => {
      await readRatings(name, ratingsText(timestamps));
      const { recency } = recommendation[kind];
      await page.fill('#option-epochs', '1');
      await page.click('#measure-button');
      await page.waitForSelector('#quality-table:not([hidden])', { timeout: 120000 });
      assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
      const status = await page.textContent('#quality-status');
      assert.ok(status.includes(`query next item, recency ${recency}`), status);
      const models = await page.$$eval('#quality-table tbody tr',
                                       (trs) => trs.map((tr) => tr.dataset.model));
      assert.deepEqual(models, ['popularity', 'item-knn',
        ...(recency > 0 ? ['item-knn-recency'] : []), 'skipgram']);
      if (recency > 0) {
        assert.ok((await page.textContent('#quality-table')).includes(
          `item-kNN (recency ${recency})`));
      }
    });
  }

  test('logs no page errors', () => {
    assert.deepEqual(session.pageErrors, []);
    assert.deepEqual(session.foreignRequests(), []);
  });
});
