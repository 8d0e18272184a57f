import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, mapPixelOf, openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * 分割 and 合并 in the browser, as a surveyor: draw a line across a parcel from the card, see the
 * parts with their ellipsoidal areas, confirm; then merge the two parts back with Shift+click,
 * with the 并宗 conditions ticked live. Screenshots: bench-results/screenshots/ (looked at by hand).
 */
let session: BrowserSession;
let page: Page;
const SHOTS = process.env.BIAOTU_SCREENSHOTS ?? '';

beforeAll(async () => {
  session = await openBrowser();
  page = session.page;
});
afterAll(async () => {
  await session?.close();
});

async function shot(name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

describe('split and merge on the map', () => {
  it('splits a parcel by a drawn line and merges the parts back with Shift+click', async () => {
    // A parcel of its own in an empty corner of 湖里区, about 200 m × 150 m.
    const { rows: [corner] } = await sql<{ lon: number; lat: number }>`
      SELECT ST_XMin(geom) + (ST_XMax(geom) - ST_XMin(geom)) * 0.12 AS lon, ST_YMin(geom) + (ST_YMax(geom) - ST_YMin(geom)) * 0.12 AS lat
      FROM districts WHERE code = '350206'`.execute(session.testApp.database.db);
    const { lon, lat } = corner;
    const code = `BROWSER-SPLIT-${process.pid}`;
    const { rows: [made] } = await sql<{ id: string }>`
      INSERT INTO parcels (code, district_code, owner, ownership_nature, land_use_code, registered_area_m2, status, geom, updated_by)
      VALUES (${code}, '350206', '厦门分割测试有限公司', '国有', '0601', 30000, 'suspected',
              ST_Multi(ST_MakeEnvelope(${lon}, ${lat}, ${lon + 0.002}, ${lat + 0.0015}, 4490)), 'test')
      RETURNING id`.execute(session.testApp.database.db);
    const id = Number(made.id);

    await logIn(session, 'surveyor');
    await page.evaluate(([x, y, parcel]) => {
      window.location.hash = `#/map?at=${x},${y},16&p=${parcel}`;
    }, [lon + 0.001, lat + 0.00075, id]);
    // Zoom 16: the parcel (about 200 m) is some 180 px wide, clear of the card on the right.
    await page.reload();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid="parcel-split"]', { timeout: 30_000 });
    await page.evaluate(([x, y]) => window.__biaotuMap!.jumpTo({ center: [x, y], zoom: 16 }), [lon + 0.001, lat + 0.00075]);

    await shot('card');
    await page.click('[data-testid="parcel-split"]');
    await page.waitForSelector('[data-testid="lineage-panel"]');
    const start = await mapPixelOf(page, lon + 0.0011, lat + 0.0022);
    const end = await mapPixelOf(page, lon + 0.0013, lat - 0.0007);
    await page.mouse.click(start[0], start[1]);
    await page.mouse.dblclick(end[0], end[1]);
    await page.waitForSelector('[data-testid="split-parts"]', { timeout: 30_000 });
    const areas = await page.locator('[data-testid="split-part-area"]').allTextContents();
    expect(areas).toHaveLength(2);
    expect(areas.every((text) => /m²（[\d,.]+ 亩）/.test(text))).toBe(true);
    await shot('split-preview');

    await page.click('[data-testid="split-confirm"]');
    await page.waitForFunction((wanted) => document.querySelector('[data-testid="parcel-card-title"]')?.textContent?.includes(wanted), `${code}-1`, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="parcel-origin"]');
    expect(await page.locator('[data-testid="parcel-origin"]').textContent()).toContain('分割而来');
    const { rows: parts } = await sql<{ id: string; code: string }>`
      SELECT id, code FROM parcels WHERE code IN (${`${code}-1`}, ${`${code}-2`}) ORDER BY code`.execute(session.testApp.database.db);
    expect(parts.map((part) => part.code)).toEqual([`${code}-1`, `${code}-2`]);

    // Merge them back: the card of part 1 is open; Shift+click part 2 on the map.
    await page.waitForFunction(() => !document.querySelector('[data-testid="lineage-panel"]'));
    // The new tiles are drawn when part 2 is under the point.
    await page.waitForFunction(([x, y, wanted]) => {
      const map = window.__biaotuMap!;
      return map.queryRenderedFeatures(map.project([x, y])).some((feature) => feature.id === wanted);
    }, [lon + 0.0017, lat + 0.00075, Number(parts[1].id)], { timeout: 30_000 });
    const east = await mapPixelOf(page, lon + 0.0017, lat + 0.00075);
    await page.keyboard.down('Shift');
    await page.mouse.click(east[0], east[1]);
    await page.keyboard.up('Shift');
    await page.waitForSelector('[data-testid="lineage-panel"]');
    await page.waitForSelector('[data-testid="merge-conditions"] [data-condition="adjacent"][data-pass="true"]', { timeout: 30_000 });
    const marks = await page.$$eval('[data-testid="merge-conditions"] li', (rows) => rows.map((row) => [row.getAttribute('data-condition'), row.getAttribute('data-pass')]));
    expect(marks).toEqual([['adjacent', 'true'], ['owner', 'true'], ['ownershipNature', 'true'], ['landUse', 'true'], ['district', 'true']]);
    await shot('merge-conditions');
    await page.click('[data-testid="merge-confirm"]');
    await page.waitForFunction((wanted) => document.querySelector('[data-testid="parcel-card-title"]')?.textContent?.includes(wanted), `${code}-1-H`, { timeout: 30_000 });
    expect(await page.locator('[data-testid="parcel-origin"]').textContent()).toContain('合并而来');
    await shot('merged-card');

    // The first parcel, opened by its old link: a card saying it was split and retired, with the live
    // parcel it has become since (its parts were merged again) to open.
    const { rows: [merged] } = await sql<{ id: string }>`SELECT id FROM parcels WHERE code = ${`${code}-1-H`}`.execute(session.testApp.database.db);
    await page.evaluate(([x, y, parcel]) => {
      window.location.hash = `#/map?at=${x},${y},16&p=${parcel}`;
    }, [lon + 0.001, lat + 0.00075, id]);
    await page.reload();
    await page.waitForSelector('[data-testid="parcel-card-retired"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="parcel-card-retired"]').textContent()).toContain(`地块 ${code} 已分割，已注销`);
    const successor = page.locator(`[data-testid="parcel-card-successor-${merged.id}"]`);
    expect(await successor.textContent()).toContain(`${code}-1-H`);
    await shot('retired-card');
    await successor.click();
    await page.waitForFunction((wanted) => document.querySelector('[data-testid="parcel-card-title"]')?.textContent?.includes(wanted), `${code}-1-H`, { timeout: 30_000 });
    expect(session.errors).toEqual([]);
  }, 300_000);
});
