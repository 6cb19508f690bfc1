// Shared set-up of the browser tests: the page's own server on a free port and Debian's
// Chromium through playwright-core, in a fresh profile. Every request the page makes is
// recorded; requests to any other origin are aborted and reported by foreignRequests().

import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from '../../web/server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const siteDir = resolve(process.env.ANIME2VEC_SITE_DIR ?? join(here, '../../build/web'));
export const artifactsDir = process.env.ANIME2VEC_ARTIFACTS ||
  join(tmpdir(), 'anime2vec-artifacts');

const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the server and a browser; call close() in a finally block or an after hook. */
export async function openPage() {
  const profile = await mkdtemp(join(tmpdir(), 'anime2vec-profile-'));
  const { server, url } = await startServer({ root: siteDir });
  const origin = new URL(url).origin;
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.ANIME2VEC_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1280, height: 1100 },
      acceptDownloads: true,
    });
  } catch (error) {
    server.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const requests = [];
  const foreign = [];
  const pageErrors = [];
  // Only this origin, blob: and data: may be loaded; anything else is aborted and recorded.
  await context.route('**/*', (route) => {
    const target = route.request().url();
    requests.push(target);
    if (target.startsWith(origin + '/') || target.startsWith('blob:') ||
        target.startsWith('data:')) {
      return route.continue();
    }
    foreign.push(target);
    return route.abort();
  });
  context.on('request', (request) => {
    const target = request.url();
    if (!target.startsWith(origin + '/') && !target.startsWith('blob:') &&
        !target.startsWith('data:') && !foreign.includes(target)) {
      foreign.push(target);
    }
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(60000);
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'idle', null,
                             { timeout: 30000 });
  return {
    page,
    url,
    origin,
    requests,
    pageErrors,
    foreignRequests: () => foreign.slice(),
    async close() {
      await context.close().catch(() => {});
      await new Promise((done) => server.close(done));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the page reaches one of the given states (body[data-state]). */
export async function waitForState(page, states, timeout = 120000) {
  await page.waitForFunction((wanted) => wanted.includes(document.body.dataset.state), states,
                             { timeout });
  return page.evaluate(() => document.body.dataset.state);
}

/** Presses Train and waits for the map to be drawn. */
export async function trainAndWait(page, timeout = 300000) {
  await page.click('#train-button');
  const state = await waitForState(page, ['trained', 'loaded'], timeout);
  if (state !== 'trained') {
    const message = await page.textContent('#train-error');
    throw new Error(`training did not finish: ${message}`);
  }
  await page.waitForSelector('#map[data-drawn="true"]', { timeout: 30000 });
}

/**
 * Clicks an item's point on the map, choosing one whose nearest drawn neighbour is at least
 * `gap` pixels away so the click cannot land on another point. Returns its index.
 */
export async function clickIsolatedPoint(page, gap = 9) {
  // Mouse coordinates are relative to the viewport: bring the whole map into it first.
  await page.locator('#map').scrollIntoViewIfNeeded();
  const item = await page.evaluate((minGap) => {
    const hooks = window.anime2vecPage;
    const canvas = document.getElementById('map-canvas').getBoundingClientRect();
    const n = hooks.model.ids.length;
    const positions = [];
    for (let i = 0; i < n; ++i) positions.push(hooks.screenPosition(i));
    // Prefer popular items (drawn large) well inside the canvas.
    const order = [...positions.keys()].sort((a, b) => hooks.model.counts[b] -
                                                       hooks.model.counts[a]);
    for (const i of order) {
      const [x, y] = positions[i];
      if (x < 30 || y < 30 || x > canvas.width - 30 || y > canvas.height - 30) continue;
      let nearest = Infinity;
      for (let j = 0; j < n; ++j) {
        if (j === i) continue;
        nearest = Math.min(nearest, Math.hypot(positions[j][0] - x, positions[j][1] - y));
        if (nearest < minGap) break;
      }
      if (nearest >= minGap) return i;
    }
    return -1;
  }, gap);
  if (item < 0) throw new Error('no isolated point to click on the map');
  const box = await page.locator('#map-canvas').boundingBox();
  const [x, y] = await page.evaluate((i) => window.anime2vecPage.screenPosition(i), item);
  await page.mouse.move(box.x + x, box.y + y);
  await page.mouse.click(box.x + x, box.y + y);
  return item;
}

/** The core's presets as the page received them from the module. */
export function pagePresets(page) {
  return page.evaluate(() => window.anime2vecPage.presets());
}

/**
 * The training form's fields that do not show `options` (a preset's TrainOptions), one message
 * each; numbers are compared as the page shows them (7 significant digits).
 */
export function formDifferences(page, options) {
  return page.evaluate((wanted) => {
    const out = [];
    for (const [key, value] of Object.entries(wanted)) {
      const input = document.getElementById(`option-${key}`);
      if (!input) continue;
      const shown = input.type === 'checkbox' ? input.checked : input.value;
      const same = typeof value === 'number'
        ? Number(shown) === Number(value.toPrecision(7)) : shown === value;
      if (!same) out.push(`${key}: shows ${shown}, expected ${value}`);
    }
    return out;
  }, options);
}
