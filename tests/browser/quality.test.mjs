// The page's optional "measure quality" step on the generated example: HR@10 and NDCG@10 of
// popularity, item-kNN and skip-gram appear, lie in [0, 1], and equal what the native
// `anime2vec evaluate --json` reports for the same file; with the recommendation preset the
// step uses its scoring and recency and adds item-kNN with that recency; a long measurement
// cancels.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { openPage, pagePresets, siteDir, waitForState } from './harness.mjs';

const cliPath = process.env.ANIME2VEC_CLI ?? join(siteDir, '..', 'cli', 'anime2vec');
const noCli = existsSync(cliPath) ? false : `no CLI at ${cliPath} (set ANIME2VEC_CLI)`;

/** The quality table's rows: model, HR@10, NDCG@10 and the row's text. */
function qualityRows(page) {
  return page.$$eval('#quality-table tbody tr', (trs) => trs.map((tr) => ({
    model: tr.dataset.model,
    hr10: Number(tr.querySelector('.hr10').dataset.value),
    ndcg10: Number(tr.querySelector('.ndcg10').dataset.value),
    text: tr.textContent,
  })));
}

async function measure(page) {
  await page.click('#measure-button');
  await page.waitForSelector('#quality-table:not([hidden])', { timeout: 120000 });
  assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
  return qualityRows(page);
}

function assertSameFigures(row, native) {
  assert.ok(native, `the CLI has no ${row.model}`);
  assert.equal(row.hr10.toFixed(6), native['hr@10'].toFixed(6), `${row.model} HR@10`);
  assert.equal(row.ndcg10.toFixed(6), native['ndcg@10'].toFixed(6), `${row.model} NDCG@10`);
}

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

  /** evaluate --json on the example the page generates, with `args` added. */
  function nativeFigures(args) {
    if (!existsSync(join(work, 'ratings.csv'))) {
      execFileSync(cliPath, ['sample', '--users', '3000', '--seed', '7', '--out', work],
                   { stdio: 'ignore', timeout: 60000 });
    }
    return JSON.parse(execFileSync(cliPath, ['evaluate', '--ratings', join(work, 'ratings.csv'),
      '--json', '--seeds', '1', '--threads', '1', ...args],
    { encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  test('the recommendation preset sets the scoring and recency for the data\'s kind',
       async () => {
    const presets = await pagePresets(page);
    const summary = await page.textContent('#summary');
    // The generated example, like the Kaggle file, has no timestamp column.
    assert.match(summary, /file order \(no timestamp\)/);
    for (const preset of [presets.find((p) => p.name === 'recommendation'), presets[0]]) {
      await page.selectOption('#option-preset', preset.name);
      assert.equal(await page.inputValue('#quality-scoring'),
                   preset.ioScoring ? 'io' : 'cosine', preset.name);
      assert.equal(await page.inputValue('#quality-recency'), String(preset.recency),
                   preset.name);
    }
  });

  // similarity: cosine and EVAL.md's last-item query; recommendation: its own scoring and
  // recency, and item-kNN scored with that recency too when it is above 0.
  for (const name of ['similarity', 'recommendation']) {
    test(`shows HR@10 and NDCG@10 for the ${name} preset, as the CLI computes them`,
         { skip: noCli }, async () => {
      const preset = (await pagePresets(page)).find((p) => p.name === name);
      // The generated example, like the Kaggle file, has no timestamp column.
      const { ioScoring, recency } = preset;
      await page.selectOption('#option-preset', name);
      await page.fill('#option-epochs', '1');
      const rows = await measure(page);
      const models = ['popularity', 'item-knn', ...(recency > 0 ? ['item-knn-recency'] : []),
        'skipgram'];
      assert.deepEqual(rows.map((r) => r.model), models);
      for (const row of rows) {
        for (const value of [row.hr10, row.ndcg10]) {
          assert.ok(value >= 0 && value <= 1, `${row.model}: ${value}`);
        }
      }
      const scoring = ioScoring ? 'input · output' : 'cosine';
      const status = await page.textContent('#quality-status');
      assert.ok(status.includes(`query next item, recency ${recency}`), status);
      assert.ok(status.includes(`skip-gram scored by ${scoring}`), status);
      assert.ok(rows[1].text.includes('item-kNN (last item)'), rows[1].text);
      const skipgram = rows[rows.length - 1].text;
      if (recency > 0) {
        assert.ok(rows[2].text.includes(`item-kNN (recency ${recency})`), rows[2].text);
        assert.ok(skipgram.includes(`skip-gram (${scoring}, recency ${recency})`), skipgram);
      } else {
        assert.ok(status.includes('(the last item alone)'), status);
        assert.ok(skipgram.includes(`skip-gram (${scoring})`), skipgram);
      }

      const native = nativeFigures(['--preset', name, '--epochs', '1']);
      assert.equal(native.recency, Number(recency.toPrecision(6)));
      assert.equal(native.scoring, ioScoring ? 'io' : 'cosine');
      for (const row of rows) assertSameFigures(row, native.models[row.model]);
    });
  }

  test('a recency outside [0, 1) shows the core\'s message', { skip: noCli }, async () => {
    await page.fill('#quality-recency', '1');
    await page.click('#measure-button');
    await page.waitForSelector('#quality-error:not([hidden])');
    let expected = '';
    try {
      nativeFigures(['--recency', '1']);
    } catch (error) {
      expected = error.stderr.trim().split('\n').pop().replace(/^anime2vec: /, '');
    }
    assert.match(expected, /recency/);
    assert.equal(await page.textContent('#quality-error'), expected);
    assert.equal(await waitForState(page, ['loaded', 'trained']), 'loaded');
    // Choosing a preset sets its recency again.
    const similarity = (await pagePresets(page)).find((p) => p.name === 'similarity');
    await page.selectOption('#option-preset', 'similarity');
    assert.equal(await page.inputValue('#quality-recency'), String(similarity.recency));
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
