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

/** The numbers of a column of the 街道/园区 table, and its 合计 row. */
async function columnSums(column: number): Promise<{ rows: number[]; total: number }> {
  const parse = (text: string) => Number(text.replace(/[^0-9.]/g, ''));
  const rows = await page.$$eval(`[data-testid="subdistrict-figures"] tbody tr td:nth-child(${column})`, (cells) => cells.map((cell) => cell.textContent ?? ''));
  const total = await page.textContent(`[data-testid="subdistrict-total"] td:nth-child(${column})`);
  return { rows: rows.map(parse), total: parse(total ?? '') };
}

describe('district browser 市 → 区 → 街道/园区', () => {
  it('lists a district\'s 街道/镇 and 园区 adding up to it, opens one with breadcrumbs, and shades them by 低效 share on the map', async () => {
    await logIn(session, 'official');
    // The city lists its districts.
    await page.waitForSelector('[data-testid="subdistrict-figures"] [data-child-code="350211"]', { timeout: 30_000 });
    await page.click('[data-testid="subdistrict-figures"] [data-child-code="350211"]');
    await page.waitForSelector('[data-testid="subdistrict-figures"] [data-child-code="350211003"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="stats-title"]')).toBe('集美区');
    const names = await page.$$eval('[data-testid="subdistrict-figures"] tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent?.trim() ?? ''));
    expect(names).toEqual(expect.arrayContaining(['街道 杏林街道', '镇 灌口镇']));
    expect(names.some((name) => name.startsWith('园区 '))).toBe(true);
    // 合计 = the sum of the rows = the district's count.
    const counts = await columnSums(2);
    expect(counts.rows.reduce((sum, value) => sum + value, 0)).toBe(counts.total);
    expect(Number((await page.textContent('[data-testid="stat-parcel-count"]'))!.replace(/[^0-9]/g, ''))).toBe(counts.total);

    // The choropleth is on the map: one feature per 街道/镇/园区 of 集美区, each with a share.
    await page.waitForFunction(() => (window.__biaotuMap?.querySourceFeatures('subdistricts') ?? []).some((feature) => feature.properties?.districtCode === '350211'), undefined, { timeout: 30_000 });
    const shares = await page.evaluate(() => window.__biaotuMap!.querySourceFeatures('subdistricts').map((feature) => feature.properties?.inefficientShare as number | null | undefined));
    expect(shares.length).toBeGreaterThan(0);
    // MapLibre drops null properties: a place without parcels has none.
    expect(shares.every((share) => share == null || (share >= 0 && share <= 1))).toBe(true);
    expect(shares.some((share) => typeof share === 'number' && share > 0)).toBe(true);
    expect(await page.evaluate(() => Boolean(window.__biaotuMap!.getLayer('subdistrict-share-fill')))).toBe(true);
    if (process.env.BIAOTU_SCREENSHOTS) await page.screenshot({ path: `${process.env.BIAOTU_SCREENSHOTS}/district-tree-jimei.png` });

    // Down to 杏林街道: its own figures under 厦门市 › 集美区, and back up.
    const row = await page.textContent('[data-child-code="350211003"] td:nth-child(2)');
    await page.click('[data-child-code="350211003"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="stats-title"]')?.textContent === '杏林街道', undefined, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="stat-inefficient-share"]');
    expect(await page.textContent('[data-testid="district-crumbs"]')).toMatch(/厦门市\s*›\s*集美区\s*›/);
    await page.waitForFunction((expected) => document.querySelector('[data-testid="stat-parcel-count"]')?.textContent === expected, row, { timeout: 30_000 });
    await page.click('[data-testid="district-crumbs"] button:has-text("集美区")');
    await page.waitForFunction(() => document.querySelector('[data-testid="stats-title"]')?.textContent === '集美区', undefined, { timeout: 30_000 });
    expect(session.errors).toEqual([]);
  }, 120_000);
});
