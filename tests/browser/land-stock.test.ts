import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

let session: BrowserSession;
let page: Page;

beforeAll(async () => {
  session = await openBrowser();
  ({ page } = session);
});

afterAll(async () => {
  await session?.close();
});

const shot = async (name: string) => {
  if (process.env.BIAOTU_SCREENSHOTS) await page.screenshot({ path: `${process.env.BIAOTU_SCREENSHOTS}/${name}.png`, fullPage: false });
};

describe('问题清单 and 历史遗留用地 pages (issue 18 items 2–3)', () => {
  it('lists the demo problems with counts per department and overdue, registers one and works it to 已解决', async () => {
    await logIn(session, 'official', '#/problems');
    await page.click('[data-testid="nav-problems"]');
    await page.waitForSelector('[data-test="problem-table"] tbody tr', { timeout: 30_000 });
    const overdue = Number(await page.textContent('[data-test="problem-overdue"]'));
    expect(overdue).toBeGreaterThan(0);
    const departments = await page.$$eval('[data-test="department-counts"] tbody tr', (rows) => rows.length);
    expect(departments).toBeGreaterThan(1);
    await shot('problems-page');

    const total = Number(await page.textContent('[data-test="problem-total"]'));
    await page.click('[data-test="problem-new"]');
    await page.fill('[data-test="draft-title"]', '浏览器测试：企业要求调整规划');
    await page.fill('[data-test="draft-description"]', '企业拟转型研发，现状工业用地需调整用途。');
    await page.click('[data-test="draft-department"]');
    await page.click('.el-select-dropdown__item:visible:has-text("区商务局")');
    await page.click('[data-test="draft-save"]');
    await page.waitForFunction((before) => Number(document.querySelector('[data-test="problem-total"]')?.textContent) === before + 1, total, { timeout: 30_000 });
    const { rows: [created] } = await sql<{ number: string }>`SELECT number FROM stock_problems WHERE title = '浏览器测试：企业要求调整规划'`.execute(session.testApp.database.db);
    await page.click(`[data-move="${created.number}:working"]`);
    await page.click('[data-test="move-save"]');
    await page.waitForSelector(`[data-move="${created.number}:resolved"]`, { timeout: 30_000 });
    await page.click(`[data-move="${created.number}:resolved"]`);
    // An ending step needs its outcome: 确定 stays disabled until it is written.
    expect(await page.isDisabled('[data-test="move-save"]')).toBe(true);
    await page.fill('[data-test="move-note"]', '已纳入控规修改');
    await page.click('[data-test="move-save"]');
    await page.waitForFunction((number) => document.querySelector(`[data-status="${number}"]`)?.textContent?.trim() === '已解决', created.number, { timeout: 30_000 });
    const { rows: [stored] } = await sql<{ status: string; outcome: string }>`SELECT status, outcome FROM stock_problems WHERE number = ${created.number}`.execute(session.testApp.database.db);
    expect(stored).toEqual({ status: 'resolved', outcome: '已纳入控规修改' });

    await page.click('[data-test="filter-overdue"]');
    await page.waitForFunction((count) => document.querySelectorAll('[data-test="problem-table"] tbody tr').length === count, overdue, { timeout: 30_000 });
    expect(await page.$$eval('[data-test="problem-table"] tbody tr', (rows) => rows.every((row) => row.querySelector('[data-test="overdue"]')))).toBe(true);
    const href = await page.getAttribute('[data-test="problems-export"]', 'href');
    expect(href).toContain('overdue=true');
    expect(session.errors).toEqual([]);
  }, 300_000);

  it('shows the 历史遗留用地 list by state and period, and the layer on the map', async () => {
    await page.click('[data-testid="nav-legacy"]');
    await page.waitForSelector('[data-test="legacy-table"] tbody tr', { timeout: 30_000 });
    expect(await page.textContent('[data-test="legacy-figures"]')).toContain('二调前');
    await shot('legacy-page');

    const { rows: [record] } = await sql<{ lon: number; lat: number; number: string }>`
      SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat, number FROM legacy_lands WHERE source = 'demo' ORDER BY id LIMIT 1`.execute(session.testApp.database.db);
    await page.click('[data-testid="nav-map"]');
    await page.waitForSelector('body[data-map-ready="true"]');
    await page.evaluate(({ lon, lat }) => window.__biaotuMap!.jumpTo({ center: [lon, lat], zoom: 15 }), record);
    await page.click('[data-testid="map-layers-button"]');
    await page.click('[data-testid="legacy-layer"]');
    await page.waitForFunction((number) => (window.__biaotuMap?.querySourceFeatures('legacy-lands') ?? []).some((feature) => feature.properties?.number === number), record.number, { timeout: 30_000 });
    await shot('legacy-layer');
    expect(session.errors).toEqual([]);
  }, 180_000);
});
