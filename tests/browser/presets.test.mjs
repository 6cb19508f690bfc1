// The preset selector fills the form from the module's presets, and the quality step's scoring
// and recency follow the chosen preset: the recommendation preset's recency is shown and used,
// with item-kNN scored on the same query beside EVAL.md's last-item query, for files with and
// without timestamps alike.

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

describe('presets and the quality step\'s recency', { timeout: 200000 }, () => {
  let session;
  let page;
  let presets;

  before(async () => {
    session = await openPage();
    page = session.page;
    presets = await pagePresets(page);
    assert.ok(presets.find((p) => p.name === 'recommendation'), 'no recommendation preset');
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

  test('each preset fills the form, the hint and the quality step\'s scoring and recency',
       async () => {
    for (const preset of [...presets].reverse()) {
      await page.selectOption('#option-preset', preset.name);
      assert.deepEqual(await formDifferences(page, preset.options), [], preset.name);
      assert.equal(await hint(page), preset.summary);
      assert.equal(await page.inputValue('#quality-recency'), String(preset.recency));
      assert.equal(await page.inputValue('#quality-scoring'),
                   preset.ioScoring ? 'io' : 'cosine', preset.name);
    }
  });

  for (const [name, timestamps] of [['untimed.csv', false], ['timed.csv', true]]) {
    test(`the quality step uses and shows the recommendation preset's recency on ${name}`,
         async () => {
      await readRatings(name, ratingsText(timestamps));
      assert.match(await page.textContent('#summary'),
                   timestamps ? /by timestamp/ : /file order \(no timestamp\)/);
      await page.selectOption('#option-preset', 'recommendation');
      const { recency } = presets.find((p) => p.name === 'recommendation');
      assert.ok(recency > 0);
      await page.fill('#option-epochs', '1');
      await page.click('#measure-button');
      await page.waitForSelector('#quality-table:not([hidden])', { timeout: 120000 });
      assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
      const status = await page.textContent('#quality-status');
      assert.ok(status.includes(`query next item, recency ${recency}`), status);
      const models = await page.$$eval('#quality-table tbody tr',
                                       (trs) => trs.map((tr) => tr.dataset.model));
      assert.deepEqual(models, ['popularity', 'item-knn', 'item-knn-recency', 'skipgram']);
      const table = await page.textContent('#quality-table');
      assert.ok(table.includes(`item-kNN (recency ${recency})`), table);
      assert.ok(table.includes('item-kNN (last item)'), table);
    });
  }

  test('logs no page errors', () => {
    assert.deepEqual(session.pageErrors, []);
    assert.deepEqual(session.foreignRequests(), []);
  });
});
