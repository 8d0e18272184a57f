import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, mapPixelOf, openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * Issue 15 item 8, the day of a surveyor keeping the 低效用地数据库 in one go: find a parcel by its
 * owner in the attribute table, correct its 容积率 there, see the change in the card's history,
 * attach the scanned contract (PDF) to it, and merge it with its neighbour (并宗).
 */
let session: BrowserSession;
let page: Page;
const TAG = `日常${process.pid % 100000}`;
const OWNER = `厦门${TAG}精工机械有限公司`;

beforeAll(async () => {
  session = await openBrowser();
  page = session.page;
});
afterAll(async () => {
  await session?.close();
});

describe('keeping the 低效用地数据库', () => {
  it('finds a parcel by owner, edits its 容积率 in the table, sees the history, attaches a PDF and merges two parcels', async () => {
    const db = session.testApp.database.db;
    // Two neighbours of one owner on empty land of 湖里区, found from the far side of the district
    // (the other files' fixed spots lie near its south-west): west 200 m × 150 m, east 100 m × 150 m.
    const { rows: [spot] } = await sql<{ lon: number; lat: number }>`
      SELECT x AS lon, y AS lat
      FROM districts d, generate_series(0.95, 0.05, -0.025) fx, generate_series(0.95, 0.05, -0.025) fy,
           LATERAL (SELECT ST_XMin(d.geom) + (ST_XMax(d.geom) - ST_XMin(d.geom)) * fx AS x, ST_YMin(d.geom) + (ST_YMax(d.geom) - ST_YMin(d.geom)) * fy AS y) c
      WHERE d.code = '350206'
        AND ST_Covers(d.geom, ST_MakeEnvelope(x - 0.001, y - 0.001, x + 0.004, y + 0.0025, 4490))
        AND NOT EXISTS (SELECT FROM parcels p WHERE p.geom && ST_MakeEnvelope(x - 0.001, y - 0.001, x + 0.004, y + 0.0025, 4490))
      ORDER BY fy DESC, fx DESC LIMIT 1`.execute(db);
    expect(spot).toBeDefined();
    const { lon, lat } = spot;
    const west = `${TAG}-W`;
    const east = `${TAG}-E`;
    const made = await sql<{ id: string; code: string; area_m2: number }>`
      INSERT INTO parcels (code, district_code, owner, ownership_nature, land_use_code, floor_area_ratio, status, geom, updated_by)
      VALUES (${west}, '350206', ${OWNER}, '国有', '0601', 0.6, 'suspected', ST_Multi(ST_MakeEnvelope(${lon}, ${lat}, ${lon + 0.002}, ${lat + 0.0015}, 4490)), 'test'),
             (${east}, '350206', ${OWNER}, '国有', '0601', 0.9, 'suspected', ST_Multi(ST_MakeEnvelope(${lon + 0.002}, ${lat}, ${lon + 0.003}, ${lat + 0.0015}, 4490)), 'test')
      RETURNING id::text, code, area_m2`.execute(db);
    const westParcel = made.rows.find((row) => row.code === west)!;

    await logIn(session, 'surveyor');
    // The map over the two parcels, as a user who zoomed there.
    await page.evaluate(([x, y]) => { window.location.hash = `#/map?at=${x},${y},16`; }, [lon + 0.0015, lat + 0.00075]);
    await page.reload();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });

    // 1. The attribute table finds the owner by a part of the name.
    await page.click('[data-testid="table-toggle"]');
    await page.waitForSelector('[data-testid="parcel-table"]', { timeout: 60_000 });
    await page.fill('[data-testid="table-search"]', `${TAG}精工`);
    await page.waitForFunction(() => document.querySelector('[data-testid="table-count"]')?.textContent?.startsWith('共 2 宗'), undefined, { timeout: 60_000 });

    // 2. Its 容积率 corrected in the table (a bulk edit of the one selected row).
    await page.locator('.parcel-table__row', { hasText: west }).first().locator('.parcel-table__check').click();
    await page.click('[data-testid="table-bulk-edit"]');
    await page.waitForSelector('[data-testid="bulk-edit-dialog"]');
    await page.click('[data-testid="bulk-edit-field"]');
    await page.locator('.el-select-dropdown__item').filter({ hasText: /^\s*容积率\s*$/ }).first().click();
    await page.locator('[data-testid="bulk-edit-dialog"] .el-input-number input').fill('1.35');
    await page.click('[data-testid="bulk-edit-submit"]');
    await page.waitForSelector('text=已修改 1 宗地块', { timeout: 30_000 });
    const { rows: [edited] } = await sql<{ far: string }>`SELECT floor_area_ratio::text AS far FROM parcels WHERE code = ${west}`.execute(db);
    expect(edited.far).toBe('1.35');

    // 3. The row opens the card; its history shows the change.
    await page.locator('.parcel-table__row', { hasText: west }).first().click();
    await page.waitForFunction((code) => document.querySelector('[data-testid="parcel-card-title"]')?.textContent?.includes(code), west, { timeout: 30_000 });
    await page.click('[data-testid="table-toggle"]');
    await page.click('#tab-history');
    await page.waitForSelector('[data-testid="parcel-history-entry"]', { timeout: 30_000 });
    const history = await page.locator('[data-testid="parcel-history"]').innerText();
    expect(history).toContain('容积率');
    expect(history).toContain('1.35');

    // 4. The scanned contract attached to it (a real PDF, printed by Chromium).
    const maker = await session.browser.newPage();
    await maker.setContent(`<h1 style="font:28px sans-serif">国有建设用地使用权出让合同 · ${west}</h1>`);
    const pdf = await maker.pdf({ format: 'A4' });
    await maker.close();
    await page.click('#tab-documents');
    await page.waitForSelector('[data-testid="documents-empty"], [data-testid="documents-list"]', { timeout: 30_000 });
    await page.setInputFiles('[data-testid="documents-file-input"]', [{ name: '出让合同扫描件.pdf', mimeType: 'application/pdf', buffer: pdf }]);
    await page.waitForSelector('[data-testid="documents-queue"]');
    await page.click('[data-testid="documents-upload"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="documents-list"]')?.textContent?.includes('出让合同扫描件'), undefined, { timeout: 30_000 });
    const { rows: [filed] } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM parcel_documents WHERE parcel_id = ${westParcel.id}::bigint AND removed_at IS NULL AND media_type = 'application/pdf'`.execute(db);
    expect(filed.n).toBe(1);

    // 5. 并宗 with the neighbour: Shift+click it on the map, every condition ticked, confirm.
    await page.evaluate(([x, y]) => window.__biaotuMap!.jumpTo({ center: [x, y], zoom: 16 }), [lon + 0.0015, lat + 0.00075]);
    const eastId = Number(made.rows.find((row) => row.code === east)!.id);
    await page.waitForFunction(([x, y, wanted]) => {
      const map = window.__biaotuMap!;
      return map.queryRenderedFeatures(map.project([x, y])).some((feature) => feature.id === wanted);
    }, [lon + 0.0025, lat + 0.00075, eastId], { timeout: 60_000 });
    const [ex, ey] = await mapPixelOf(page, lon + 0.0025, lat + 0.00075);
    await page.keyboard.down('Shift');
    await page.mouse.click(ex, ey);
    await page.keyboard.up('Shift');
    await page.waitForSelector('[data-testid="lineage-panel"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="merge-conditions"] [data-condition="adjacent"][data-pass="true"]', { timeout: 30_000 });
    const marks = await page.$$eval('[data-testid="merge-conditions"] li', (rows) => rows.map((row) => row.getAttribute('data-pass')));
    expect(marks.every((pass) => pass === 'true')).toBe(true);
    await page.screenshot({ path: '.data/screenshots/parcel-database-merge.png' });
    await page.click('[data-testid="merge-confirm"]');
    await page.waitForFunction((wanted) => document.querySelector('[data-testid="parcel-card-title"]')?.textContent?.includes(wanted), `${west}-H`, { timeout: 30_000 });

    const { rows: [merged] } = await sql<{ area_m2: number; owner: string }>`SELECT area_m2, owner FROM parcels WHERE code = ${`${west}-H`}`.execute(db);
    expect(merged.owner).toBe(OWNER);
    expect(Math.abs(merged.area_m2 - made.rows.reduce((sum, row) => sum + row.area_m2, 0))).toBeLessThan(0.01);
    const { rows: retired } = await sql<{ code: string }>`SELECT code FROM retired_parcels WHERE code IN (${west}, ${east}) ORDER BY code`.execute(db);
    expect(retired.map((row) => row.code)).toEqual([east, west]);
    expect(session.errors).toEqual([]);
  }, 300_000);
});
