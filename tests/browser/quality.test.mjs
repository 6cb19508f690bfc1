// The page's optional "measure quality" step on the generated example: HR@10 and NDCG@10 of
// popularity, item-kNN and skip-gram appear, lie in [0, 1], and popularity's equal what the
// native `anime2vec evaluate --json` reports for the same file; a long measurement cancels.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openPage, siteDir, waitForState } from './harness.mjs';

const cliPath = process.env.ANIME2VEC_CLI ?? join(siteDir, '..', 'cli', 'anime2vec');

describe('measure quality', { timeout: 200000 }, () => {
  let session;
  let page;
  let work;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'anime2vec-quality-'));
    session = await openPage();
    page = session.page;
    await page.click('#generate');
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded');
  });

  after(async () => {
    if (session) await session.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('shows HR@10 and NDCG@10 of three models, popularity\'s as the CLI computes it', {
    skip: existsSync(cliPath) ? false : `no CLI at ${cliPath} (set ANIME2VEC_CLI)`,
  }, async () => {
    await page.click('#measure-button');
    await page.waitForSelector('#quality-table:not([hidden])', { timeout: 120000 });
    assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
    const rows = await page.$$eval('#quality-table tbody tr', (trs) => trs.map((tr) => ({
      model: tr.dataset.model,
      hr10: Number(tr.querySelector('.hr10').dataset.value),
      ndcg10: Number(tr.querySelector('.ndcg10').dataset.value),
      text: tr.textContent,
    })));
    assert.deepEqual(rows.map((r) => r.model), ['popularity', 'item-knn', 'skipgram']);
    for (const row of rows) {
      for (const value of [row.hr10, row.ndcg10]) {
        assert.ok(value >= 0 && value <= 1, `${row.model}: ${value}`);
      }
    }
    assert.match(rows[2].text, /skip-gram \(cosine\)/);
    assert.match(await page.textContent('#quality-status'),
                 /users evaluated .* query next item · skip-gram scored by cosine/);

    execFileSync(cliPath, ['sample', '--users', '3000', '--seed', '7', '--out', work],
                 { stdio: 'ignore', timeout: 60000 });
    const native = JSON.parse(execFileSync(cliPath, ['evaluate', '--ratings',
      join(work, 'ratings.csv'), '--json', '--seeds', '1', '--epochs', '1'],
    { encoding: 'utf8', timeout: 120000 }));
    const popularity = native.models.popularity;
    assert.equal(rows[0].hr10.toFixed(6), popularity['hr@10'].toFixed(6));
    assert.equal(rows[0].ndcg10.toFixed(6), popularity['ndcg@10'].toFixed(6));
    const itemKnn = native.models['item-knn'];
    assert.equal(rows[1].hr10.toFixed(6), itemKnn['hr@10'].toFixed(6));
  });

  test('the recommendation preset switches the scoring to input · output', async () => {
    await page.selectOption('#option-preset', 'recommendation');
    assert.equal(await page.inputValue('#quality-scoring'), 'io');
    await page.selectOption('#option-preset', 'similarity');
    assert.equal(await page.inputValue('#quality-scoring'), 'cosine');
  });

  test('a long measurement shows progress and cancels', async () => {
    await page.fill('#option-epochs', '500');
    await page.click('#measure-button');
    await page.waitForFunction(() => /epoch \d+ of 500/.test(
      document.getElementById('quality-status').textContent));
    await page.click('#cancel-button');
    await page.waitForFunction(() => /cancelled/.test(
      document.getElementById('quality-status').textContent));
    assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
    assert.equal(await page.isDisabled('#measure-button'), false);
    await page.fill('#option-epochs', '5');
  });

  test('logs no page errors', () => {
    assert.deepEqual(session.pageErrors, []);
    assert.deepEqual(session.foreignRequests(), []);
  });
});
