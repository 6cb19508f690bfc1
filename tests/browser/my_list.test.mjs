// "My list" in headless Chromium on the generated example: three titles of one planted
// franchise, added by search, bring the franchise's other titles into the recommendations
// (each with a "because you watched" line), the map marks them, and the list survives a
// reload. Export, import (with a bad line and an unknown id) and the empty list's popular
// titles too.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { openPage, pagePresets, trainAndWait, waitForState } from './harness.mjs';

function file(name, text) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

async function listIds(page) {
  return page.$$eval('#profile .profile-items li', (items) => items.map((li) => li.dataset.id));
}

async function recommendedRows(page) {
  return page.$$eval('#profile .recommended .neighbour', (b) => b.map((x) => Number(
    x.dataset.item)));
}

describe('My list', { timeout: 300000 }, () => {
  let session;
  let page;
  let franchise;
  let rows;

  before(async () => {
    session = await openPage();
    page = session.page;
    await page.click('#generate');
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded');
    assert.ok(await page.isVisible('#profile'), 'no My list panel once data is loaded');
    await trainAndWait(page);
  });

  after(async () => {
    if (session) await session.close();
  });

  test('an empty list shows the most popular titles', async () => {
    await page.waitForFunction(() => document.querySelectorAll(
      '#profile .recommended[data-kind="popular"] li').length === 20);
    const shown = await recommendedRows(page);
    const counts = await page.evaluate((r) => r.map((i) => window.anime2vecPage.model.counts[i]),
                                       shown);
    for (let i = 1; i < counts.length; ++i) assert.ok(counts[i] <= counts[i - 1]);
  });

  test('three titles of a franchise, added by search, recommend the rest of it', async () => {
    ({ franchise, rows } = await page.evaluate(() => {
      const hooks = window.anime2vecPage;
      const row = new Map(hooks.model.ids.map((id, i) => [id, i]));
      const titles = hooks.model.titles;
      const unique = (i) => titles.filter((t) => t === titles[i]).length === 1;
      const chosen = hooks.sample.franchises.find((f) => f.length >= 5 && f.length <= 7 &&
        f.every((id) => row.has(id) && unique(row.get(id))));
      return { franchise: chosen, rows: chosen ? chosen.map((id) => row.get(id)) : [] };
    }));
    assert.ok(franchise, 'the example has no franchise of 5 to 7 titles');
    const titles = await page.evaluate((r) => r.map((i) => window.anime2vecPage.model.titles[i]),
                                       rows);
    for (let t = 0; t < 3; ++t) {
      await page.fill('#search', titles[t]);
      await page.press('#search', 'Enter');
      await page.waitForFunction((i) => document.querySelector('#selection .selected-title')
        ?.dataset.item === String(i), rows[t]);
      await page.click('#add-to-profile');
      await page.waitForFunction((n) => document.querySelectorAll('#profile .profile-items li')
        .length === n, t + 1);
    }
    await page.waitForFunction(() => document.querySelectorAll(
      '#profile .recommended[data-kind="profile"] li').length === 20);
    const recommended = await recommendedRows(page);
    for (const row of rows.slice(3)) {
      assert.ok(recommended.includes(row), `franchise title ${row} not in ${recommended}`);
    }
    for (const row of rows.slice(0, 3)) assert.ok(!recommended.includes(row));
    const because = await page.$$eval('#profile .recommended .because', (spans) =>
      spans.map((s) => Number(s.dataset.item)));
    assert.equal(because.length, 20);
    for (const row of because) assert.ok(rows.slice(0, 3).includes(row), `because ${row}`);
    const marked = await page.evaluate(() => window.anime2vecPage.markedPoints());
    assert.deepEqual([...marked.profile].sort((a, b) => a - b),
                     rows.slice(0, 3).sort((a, b) => a - b));
    assert.deepEqual(marked.recommended, recommended);
  });

  test('a low score changes the recommendations at once', async () => {
    const before = await recommendedRows(page);
    await page.selectOption('#profile .profile-items li >> nth=0 >> select', '1');
    await page.waitForFunction((old) => {
      const now = [...document.querySelectorAll('#profile .recommended .neighbour')]
        .map((b) => Number(b.dataset.item));
      return now.length === 20 && now.join() !== old.join();
    }, before);
    const stored = await page.evaluate(() => window.anime2vecPage.profile.entries.map(
      (e) => e.score));
    assert.deepEqual(stored, [1, null, null]);
    await page.selectOption('#profile .profile-items li >> nth=0 >> select', '');
  });

  test('exports the list as CSV and imports one, naming a bad line', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.click('#profile-export')]);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'id,title,score');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), franchise.slice(0, 3));

    await page.setInputFiles('#profile-import', file('bad.csv',
      `id,title,score\n${franchise[0]},x,8\n${franchise[1]},y,eleven\n`));
    await page.waitForFunction(() => /bad\.csv line 3, column score: .*'eleven'/.test(
      document.getElementById('profile-error')?.textContent ?? ''));
    assert.equal((await listIds(page)).length, 3, 'a failed import changed the list');

    await page.setInputFiles('#profile-import', file('good.csv',
      `id,title,score\n${franchise[0]},,9\nno-such-id,"Gone, Title",\n${franchise[1]},,\n`));
    await page.waitForFunction(() => document.querySelectorAll('#profile .profile-items li')
      .length === 3 && document.querySelector('#profile .missing'));
    assert.match(await page.textContent('#profile .profile-items li >> nth=1'),
                 /Gone, Title.*not in this model/);
    await page.waitForFunction(() => document.querySelectorAll(
      '#profile .recommended[data-kind="profile"] li').length === 20);
  });

  test('the list is still there after a reload of the page', async () => {
    const ids = await listIds(page);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'idle');
    await page.click('#generate');
    assert.equal(await waitForState(page, ['loaded', 'idle']), 'loaded');
    await page.waitForFunction((n) => document.querySelectorAll('#profile .profile-items li')
      .length === n, ids.length);
    assert.deepEqual(await listIds(page), ids);
    const scores = await page.evaluate(() => window.anime2vecPage.profile.entries.map(
      (e) => e.score));
    assert.deepEqual(scores, [9, null, null]);
  });

  test('the recommendation preset ranks the list as its settings for the data say', async () => {
    const preset = (await pagePresets(page)).find((p) => p.name === 'recommendation');
    // The generated example has no timestamp column.
    const scoring = preset.ioScoring ? /input · output/ : /cosine/;
    await page.selectOption('#option-preset', 'recommendation');
    await page.fill('#option-epochs', '2');
    await trainAndWait(page);
    await page.waitForFunction(() => document.querySelectorAll(
      '#profile .recommended[data-kind="profile"] li').length === 20);
    assert.match(await page.textContent('#profile h4'), scoring);
    const recommended = await recommendedRows(page);
    assert.equal(new Set(recommended).size, 20);
    const listed = await page.evaluate(() => window.anime2vecPage.profile.entries.map(
      (e) => window.anime2vecPage.model.ids.indexOf(e.id)));
    for (const row of listed) assert.ok(!recommended.includes(row));
  });

  test('logs no page errors', () => {
    assert.deepEqual(session.pageErrors, []);
    assert.deepEqual(session.foreignRequests(), []);
  });
});
