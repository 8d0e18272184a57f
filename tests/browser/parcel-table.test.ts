import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

/**
 * The attribute table and the map's search box in Chromium: the table lists the reader's parcels,
 * a search finds an owner by a Chinese part of the name, a row click opens the card and flies
 * there, two rows are edited in bulk, a box drawn on the map filters the table, and the search box
 * finds a parcel by code with the keyboard. Screenshots go to BIAOTU_SCREENSHOTS (if set).
 */
let session: BrowserSession;
let testApp: TestApp;
let page: Page;
const TAG = `浏览${process.pid % 100000}`;
const codes: string[] = [];
const shots = process.env.BIAOTU_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-table-shots-'));

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

beforeAll(async () => {
  session = await openBrowser();
  ({ testApp, page } = session);
  for (let index = 0; index < 3; index++) {
    const code = `350206-B${process.pid}-${index}`;
    await sql`
      INSERT INTO parcels (code, district_code, owner, town_or_park, floor_area_ratio, tax_per_mu, status, geom, updated_by)
      SELECT ${code}, '350206', ${`厦门${TAG}${['精密', '重工', '通用'][index]}机械有限公司`}, ${`${TAG}园`}, ${0.5 + index}, ${10 * (index + 1)}, 'suspected', p.geom, 'test'
      FROM parcels p WHERE p.district_code = '350206' ORDER BY p.id OFFSET ${620 + index * 7} LIMIT 1`.execute(testApp.database.db);
    codes.push(code);
  }
  await logIn(session, 'surveyor');
}, 180_000);

afterAll(async () => {
  await session?.close();
});

const count = () => page.locator('[data-testid="table-count"]').innerText();

describe('属性表', () => {
  it('opens under the map with the reader\'s parcels, their count and sums', async () => {
    await page.click('[data-testid="table-toggle"]');
    await page.waitForSelector('[data-testid="parcel-table"] .parcel-table__row .parcel-table__cell', { timeout: 60_000 });
    await page.waitForFunction(() => /共 [\d,]+ 宗/.test(document.querySelector('[data-testid="table-count"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.locator('[data-testid="table-footer"]').innerText()).toContain('椭球面积(图形)');
    await shot('table-open');
  });

  it('finds an owner by a Chinese part of the name, and sums just those rows', async () => {
    await page.fill('[data-testid="table-search"]', `${TAG}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="table-count"]')?.textContent?.startsWith('共 3 宗'), undefined, { timeout: 30_000 });
    await page.fill('[data-testid="table-search"]', `${TAG}重工机械`);
    await page.waitForFunction(() => document.querySelector('[data-testid="table-count"]')?.textContent?.startsWith('共 1 宗'), undefined, { timeout: 30_000 });
    await page.fill('[data-testid="table-search"]', `${TAG}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="table-count"]')?.textContent?.startsWith('共 3 宗'), undefined, { timeout: 30_000 });
    await page.waitForSelector(`text=${codes[2]}`);
    // 亩均税收 10, 20, 30: the footer's average is 20.
    expect(await page.locator('[data-testid="table-footer"]').innerText()).toContain('亩均税收平均 20.00');
    await shot('table-search');
  });

  it('opens the card of a clicked row', async () => {
    await page.locator('.parcel-table__row', { hasText: codes[1] }).first().click();
    await page.waitForSelector('.map-pane__card', { timeout: 30_000 });
    await page.waitForFunction((code) => document.querySelector('.map-pane__card')?.textContent?.includes(code), codes[1], { timeout: 30_000 });
    await shot('table-row-card');
  });

  it('keeps the selection and 宗地编号 on the left when scrolled sideways, and shows a cell\'s whole text on hover', async () => {
    const owner = page.locator('.parcel-table__row .grid__td', { hasText: `${TAG}重工` }).first();
    await owner.hover();
    expect(await owner.getAttribute('title')).toBe(`厦门${TAG}重工机械有限公司`);
    const grid = page.locator('[data-testid="table-grid"]');
    const left = (await grid.boundingBox())!.x;
    const scrolled = await grid.evaluate((element) => {
      element.scrollLeft = 200;
      return element.scrollLeft;
    });
    expect(scrolled).toBeGreaterThan(0);
    await page.waitForFunction(() => document.querySelector('[data-testid="table-grid"]')?.classList.contains('grid--shifted'));
    // The 40 px selection column, then 宗地编号: both where they were (looked at until the frame
    // that follows the scroll is laid out: a cell stuck where the scroll took it never gets there).
    const code = page.locator('.parcel-table__row .grid__td', { hasText: codes[1] }).first();
    await expect.poll(async () => Math.abs((await code.boundingBox())!.x - (left + 40)), { timeout: 5_000 }).toBeLessThan(2);
    const check = await page.locator('.parcel-table__row .parcel-table__check').first().boundingBox();
    expect(check!.x - left).toBeLessThan(40);
    await shot('table-sideways');
    await grid.evaluate((element) => { element.scrollLeft = 0; });
    await page.waitForFunction(() => !document.querySelector('[data-testid="table-grid"]')?.classList.contains('grid--shifted'));
  });

  it('edits 容积率 of two selected rows in one bulk edit', async () => {
    for (const code of [codes[0], codes[2]]) {
      await page.locator('.parcel-table__row', { hasText: code }).first().locator('.parcel-table__check').click();
    }
    await page.click('[data-testid="table-bulk-edit"]');
    await page.waitForSelector('[data-testid="bulk-edit-dialog"]');
    await page.click('[data-testid="bulk-edit-field"]');
    await page.locator('.el-select-dropdown__item').filter({ hasText: /^\s*容积率\s*$/ }).first().click();
    await page.locator('[data-testid="bulk-edit-dialog"] .el-input-number input').fill('1.85');
    await shot('table-bulk-edit');
    await page.click('[data-testid="bulk-edit-submit"]');
    await page.waitForSelector('text=已修改 2 宗地块', { timeout: 30_000 });
    const { rows } = await sql<{ code: string; floor_area_ratio: number }>`
      SELECT code, floor_area_ratio FROM parcels WHERE code = ANY(${codes}::text[]) ORDER BY code`.execute(testApp.database.db);
    expect(rows.map((row) => Number(row.floor_area_ratio))).toEqual([1.85, 1.5, 1.85]);
    // The table reads its rows again: 容积率 1.85, 1.5, 1.85 average 1.73 in the footer, and the cells show 1.85.
    await page.waitForFunction(() => document.querySelector('[data-testid="table-footer"]')?.textContent?.includes('容积率平均 1.73'), undefined, { timeout: 30_000 });
    // The summary and the rows are two requests: wait for the rows too.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.parcel-table__row')).filter((row) => row.textContent?.includes('1.85')).length >= 2, undefined, { timeout: 30_000 });
  });

  it('filters by a box drawn on the map', async () => {
    await page.fill('[data-testid="table-search"]', '');
    await page.waitForFunction(() => !document.querySelector('[data-testid="table-count"]')?.textContent?.startsWith('共 3 宗'), undefined, { timeout: 30_000 });
    const before = await count();
    await page.click('[data-testid="table-draw-box"]');
    const map = await page.locator('[data-testid="map"]').boundingBox();
    const x = map!.x + map!.width / 2;
    const y = map!.y + map!.height / 2;
    await page.mouse.move(x - 60, y - 40);
    await page.mouse.down();
    await page.mouse.move(x, y, { steps: 5 });
    await page.mouse.move(x + 60, y + 40, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="table-polygon-tag"]', { timeout: 10_000 });
    await page.waitForFunction((previous) => {
      const text = document.querySelector('[data-testid="table-count"]')?.textContent ?? '';
      return text !== previous && /共 [\d,]+ 宗/.test(text);
    }, before, { timeout: 30_000 });
    await shot('table-box');
    await page.click('[data-testid="table-polygon-tag"] .el-tag__close');
    await page.waitForSelector('[data-testid="table-polygon-tag"]', { state: 'detached' });
  });

  it('finds a parcel by code in the map\'s search box, chosen with the keyboard', async () => {
    await page.click('[data-testid="map-search-input"]');
    await page.keyboard.type(codes[2].slice(0, -1));
    await page.waitForSelector('[data-testid="map-search-item"]', { timeout: 30_000 });
    await page.waitForFunction((code) => Array.from(document.querySelectorAll('[data-testid="map-search-item"]')).some((item) => item.textContent?.includes(code)), codes[2], { timeout: 30_000 });
    await shot('search-suggestions');
    const items = await page.locator('[data-testid="map-search-item"]').allInnerTexts();
    const index = items.findIndex((text) => text.includes(codes[2]));
    for (let step = 0; step < index; step++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => document.querySelector('.map-pane__card')?.textContent?.includes(code), codes[2], { timeout: 30_000 });
    await page.waitForSelector('[data-testid="map-search-list"]', { state: 'detached' });
    // Esc closes the suggestions without choosing; nothing found says what to type.
    await page.fill('[data-testid="map-search-input"]', `${TAG}没有这个`);
    await page.waitForSelector('[data-testid="map-search-empty"]', { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="map-search-list"]', { state: 'detached' });
    expect(session.errors).toEqual([]);
  });

  it('when the quick owner search runs out of time, says it is still looking, then shows the match', async () => {
    // Held by a lock a little longer than the budget, the parcels table keeps the quick text
    // statement past its time; the complete search the box then asks for is held back until the
    // page has shown that it is still looking (instead of "没有找到").
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    await page.route((url) => url.pathname === '/api/search' && url.searchParams.get('complete') === 'true', async (route) => {
      await gate;
      await route.continue();
    });
    const client = await testApp.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE');
      const asked = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/search' && new URL(request.url()).searchParams.get('q') === `${TAG}通用机械`);
      await page.fill('[data-testid="map-search-input"]', `${TAG}通用机械`);
      await asked;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await client.query('COMMIT');
      client.release();
    }
    await page.waitForSelector('[data-testid="map-search-completing"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="map-search-empty"]').count()).toBe(0);
    await shot('search-completing');
    release();
    await page.waitForFunction((code) => Array.from(document.querySelectorAll('[data-testid="map-search-item"]')).some((item) => item.textContent?.includes(code)), codes[2], { timeout: 30_000 });
    expect(await page.locator('[data-testid="map-search-completing"]').count()).toBe(0);
    await page.unroute('**/api/search*');
    await page.keyboard.press('Escape');
    expect(session.errors).toEqual([]);
  });
});
