import fs from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TITLES, ensureDemoZhaoshang } from '../../server/demo/demo-zhaoshang.js';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * The public 招商地图 in Debian's Chromium, as an anonymous investor: /zhaoshang/ shows the published
 * plots of 湖里区 as numbered cards (亩, 规划条件) and on the map, one opens with its photo and
 * 招商方案, a 意向 is submitted; an official then finds it on the 招商地图 page and handles it.
 * The public page's scripts and styles are measured against the officials' app.
 */
declare global {
  interface Window {
    /** Exposed by client/src/zhaoshang/plot-map.ts. */
    __zhaoshangMap?: import('maplibre-gl').Map;
  }
}

let session: BrowserSession;
let photoListing: { id: number; title: string };
const shots = process.env.BIAOTU_SCREENSHOTS ?? '/tmp';

/** Bytes (uncompressed) of the scripts and styles the page has loaded, and their names. */
async function loadedCode(page: Page): Promise<{ bytes: number; names: string[] }> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const code = entries.filter((entry) => /\.(m?js|css)(\?|$)/.test(entry.name));
    return { bytes: code.reduce((sum, entry) => sum + entry.decodedBodySize, 0), names: code.map((entry) => entry.name.split('/').pop()!) };
  });
}

beforeAll(async () => {
  session = await openBrowser();
  await ensureDemoZhaoshang(session.testApp.app, () => undefined);
  const { rows: [row] } = await sql<{ id: number; title: string }>`
    SELECT l.id::float8 AS id, v.title FROM zhaoshang_listings l JOIN zhaoshang_listing_versions v ON v.listing_id = l.id AND v.version = l.published_version
    WHERE l.state = 'published' AND v.title = ${DEMO_TITLES[0]}`.execute(session.testApp.database.db);
  photoListing = row;
}, 180_000);

afterAll(async () => {
  await session?.close();
});

describe('the public 招商地图', () => {
  it('an anonymous investor sees the plots, opens one, submits a 意向; an official then sees and handles it', async () => {
    const { page, origin } = session;
    await page.context().clearCookies();
    await page.goto(`${origin}/zhaoshang?d=350206`);
    await page.waitForSelector(`[data-testid="zhaoshang-card-${photoListing.id}"]`, { timeout: 60_000 });
    await page.waitForSelector('body[data-zhaoshang-map-ready="true"]', { timeout: 60_000 });
    expect(page.url()).toContain('/zhaoshang/');
    expect(await page.locator('[data-testid="zhaoshang-title"]').innerText()).toContain('厦门市湖里区');
    const card = await page.locator(`[data-testid="zhaoshang-card-${photoListing.id}"]`).innerText();
    expect(card).toContain(photoListing.title);
    expect(card).toMatch(/\d+\.\d\d 亩/);
    for (const words of ['容积率', '2.0–4.0', '建筑密度', '≤ 45%', '限高', '≤ 60 米', '集成电路', '现场照片 1']) expect(card).toContain(words);
    // The plots are drawn: numbered points at this zoom.
    await page.waitForFunction(() => (window.__zhaoshangMap?.queryRenderedFeatures(undefined, { layers: ['plot-point'] }).length ?? 0) >= 4, undefined, { timeout: 30_000 });
    await page.screenshot({ path: `${shots}/zhaoshang-list.png` });

    const publicCode = await loadedCode(page);
    expect(publicCode.names.some((name) => /element-plus|echarts/.test(name)), publicCode.names.join(', ')).toBe(false);

    await page.click(`[data-testid="zhaoshang-card-${photoListing.id}"]`);
    await page.waitForSelector('[data-testid="zhaoshang-detail"]');
    expect(await page.locator('[data-testid="zhaoshang-detail-title"]').innerText()).toBe(photoListing.title);
    const detail = await page.locator('[data-testid="zhaoshang-detail"]').innerText();
    for (const words of ['规划条件', '工业用地（新型产业用地 M0）', '招商方案', '出让', '湖里区投资促进中心', '0592-5551234']) expect(detail).toContain(words);
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="zhaoshang-photo"]');
      return Boolean(image?.complete && image.naturalWidth > 0);
    }, undefined, { timeout: 30_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${shots}/zhaoshang-detail.png` });

    await page.click('[data-testid="zhaoshang-inquire"]');
    await page.waitForSelector('[data-testid="zhaoshang-inquiry-form"]');
    expect(await page.locator('[data-testid="inquiry-listing"]').inputValue()).not.toBe('');
    await page.fill('[data-testid="inquiry-name"]', '浏览器测试 周女士');
    await page.fill('[data-testid="inquiry-company"]', '<b>某某新材料</b>有限公司');
    await page.fill('[data-testid="inquiry-phone"]', '12345');
    await page.fill('[data-testid="inquiry-industry"]', '新材料');
    await page.click('[data-testid="inquiry-submit"]');
    expect(await page.locator('[data-testid="inquiry-phone-error"]').innerText()).toContain('联系电话');
    await page.fill('[data-testid="inquiry-phone"]', '13612345678');
    await page.fill('[data-testid="inquiry-message"]', '计划建设中试基地，约 25 亩。');
    await page.screenshot({ path: `${shots}/zhaoshang-inquiry.png` });
    await page.click('[data-testid="inquiry-submit"]');
    await page.waitForSelector('[data-testid="zhaoshang-inquiry-receipt"]', { timeout: 30_000 });
    const receipt = await page.locator('[data-testid="zhaoshang-inquiry-receipt"]').innerText();
    const reference = /YX\d{4}-\d{5}/.exec(receipt)?.[0];
    expect(reference, receipt).toBeTruthy();
    expect(session.errors).toEqual([]);

    await logIn(session, 'official');
    const adminCode = await loadedCode(page);
    await page.click('[data-testid="nav-zhaoshang"]');
    await page.waitForSelector('[data-testid="zhaoshang-admin-page"]', { timeout: 30_000 });
    await page.waitForSelector(`[data-testid="listing-row-${photoListing.id}"]`, { timeout: 30_000 });
    await page.click('#tab-inquiries');
    const row = page.locator('[data-testid="inquiry-table"] tr', { hasText: reference! });
    await row.waitFor({ timeout: 30_000 });
    const rowText = await row.innerText();
    expect(rowText).toContain('浏览器测试 周女士');
    expect(rowText).toContain('<b>某某新材料</b>有限公司');
    expect(rowText).toContain('13612345678');
    expect(rowText).toContain(photoListing.title);
    await page.screenshot({ path: `${shots}/zhaoshang-admin-inquiries.png` });
    await row.locator('button', { hasText: '处理' }).click();
    await page.fill('textarea[data-testid="inquiry-note"], [data-testid="inquiry-note"] textarea', '已电话联系，安排看地');
    await page.click('[data-testid="inquiry-mark-handled"]');
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    const { rows: [stored] } = await sql<{ state: string; handled_by: string }>`
      SELECT state, handled_by FROM zhaoshang_inquiries WHERE name = '浏览器测试 周女士' ORDER BY id DESC LIMIT 1`.execute(session.testApp.database.db);
    expect(stored).toEqual({ state: 'handled', handled_by: 'official' });

    // The public page's code is well below the officials' app's (figures for the report).
    const figures = { publicBytes: publicCode.bytes, adminBytes: adminCode.bytes, ratio: Math.round((publicCode.bytes / adminCode.bytes) * 100) / 100 };
    fs.writeFileSync(`${shots}/zhaoshang-bundle.json`, JSON.stringify(figures));
    expect(publicCode.bytes).toBeLessThan(adminCode.bytes * 0.6);
    expect(session.errors).toEqual([]);
  }, 240_000);
});
