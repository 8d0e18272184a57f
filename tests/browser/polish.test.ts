import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * Issue 13, items 5 and 6 in the browser: the login page logs no errors, Esc closes a dialog after
 * a dropdown was used, a page change closes the map's popups, and printing gives only the content.
 */
let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

/** Screenshots for people to look at: set BIAOTU_SCREENSHOTS to a directory. */
function keep(name: string, image: Buffer): void {
  const directory = process.env.BIAOTU_SCREENSHOTS;
  if (directory) fs.writeFileSync(path.join(directory, name), image);
}

describe('first load and small things (issue 13)', () => {
  it('opens the login page without a single console error or failed request', async () => {
    const { page, origin } = session;
    const consoleErrors: string[] = [];
    const failed: string[] = [];
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    };
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    };
    page.on('console', onConsole);
    page.on('response', onResponse);
    try {
      await page.goto(`${origin}/`);
      await page.waitForSelector('[data-testid="login-page"]');
      await page.waitForLoadState('networkidle');
      // A reload with the browser cache warm as well.
      await page.reload();
      await page.waitForSelector('[data-testid="login-page"]');
      await page.waitForLoadState('networkidle');
    } finally {
      page.off('console', onConsole);
      page.off('response', onResponse);
    }
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    // Only what the login page needs: no MapLibre, no ECharts before signing in.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => /\.m?js$/.test(name)));
    expect(scripts.some((name) => /maplibre|echarts/.test(name))).toBe(false);
  });

  it('closes a dialog with Esc after one of its dropdowns was used', async () => {
    const { page } = session;
    await logIn(session, 'admin', '#/admin/users');
    await page.click('[data-testid="nav-users"]');
    await page.click('[data-testid="user-create"]');
    const dialog = page.locator('[data-testid="user-form-dialog"]');
    await dialog.waitFor({ state: 'visible' });

    // Pick a role from the dropdown, then Esc: the dialog closes.
    await page.click('[data-testid="user-role-select"]');
    const option = page.locator('.role-options .el-select-dropdown__item').nth(1);
    await option.waitFor({ state: 'visible' });
    await option.click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });

    // With the list open, the first Esc closes the list and the second the dialog.
    await page.click('[data-testid="user-create"]');
    await dialog.waitFor({ state: 'visible' });
    await page.click('[data-testid="user-role-select"]');
    const openList = page.locator('.role-options .el-select-dropdown__item').first();
    await openList.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await openList.waitFor({ state: 'hidden' });
    expect(await dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    expect(session.errors).toEqual([]);
  });

  it('prints the parcel card alone on A4, without header or map, and the figures without a card', async () => {
    const { page, testApp } = session;
    await page.context().clearCookies();
    await logIn(session, 'viewer');
    const { rows: [parcel] } = await sql<{ code: string; lon: number; lat: number }>`
      SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM parcels WHERE district_code = '350206' ORDER BY area_m2 DESC LIMIT 1`.execute(testApp.database.db);
    await page.evaluate(([lon, lat]) => new Promise<void>((resolve) => {
      const map = window.__biaotuMap!;
      map.once('idle', () => resolve());
      map.jumpTo({ center: [lon, lat], zoom: 17 });
    }), [parcel.lon, parcel.lat] as const);
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction((code) => document.querySelector('[data-testid="parcel-card"]')?.textContent?.includes(code), parcel.code, { timeout: 30_000 });

    await page.emulateMedia({ media: 'print' });
    try {
      const visible = (selector: string) => page.locator(selector).first().isVisible();
      expect(await visible('.app-header')).toBe(false);
      expect(await visible('[data-testid="map"]')).toBe(false);
      expect(await visible('.side-panel')).toBe(false);
      expect(await visible('[data-testid="parcel-card"]')).toBe(true);
      const card = (await page.locator('[data-testid="parcel-card"]').boundingBox())!;
      // The card spans the sheet and is no longer cut to the screen's height.
      expect(card.width).toBeGreaterThan(700);
      expect(card.height).toBeGreaterThan(900);
      keep('print-parcel-card.png', await page.screenshot({ fullPage: true }));
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      if (process.env.BIAOTU_SCREENSHOTS) fs.writeFileSync(path.join(process.env.BIAOTU_SCREENSHOTS, 'print-parcel-card.pdf'), pdf);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }

    // Without a card the district's figures print.
    await page.click('[data-testid="parcel-card-close"]');
    await page.locator('[data-testid="parcel-card"]').waitFor({ state: 'detached' });
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.app-header').isVisible()).toBe(false);
      expect(await page.locator('[data-testid="map"]').isVisible()).toBe(false);
      expect(await page.locator('[data-testid="district-stats"]').isVisible()).toBe(true);
      keep('print-figures.png', await page.screenshot({ fullPage: true }));
      if (process.env.BIAOTU_SCREENSHOTS) {
        fs.writeFileSync(path.join(process.env.BIAOTU_SCREENSHOTS, 'print-figures.pdf'), await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
      }
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('shows every gauge title whole at the widths the 成片改造区域 page is used at', async () => {
    const { page } = session;
    await page.context().clearCookies();
    await logIn(session, 'planner-huli');
    await page.click('[data-testid="nav-areas"]');
    await page.waitForSelector('[data-testid="area-gauges"] .gauge__title');
    try {
      for (const width of [1440, 1280, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(300);
        const cut = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="area-gauges"] .gauge__title'))
          .filter((title) => title.scrollWidth > title.clientWidth + 1 || title.scrollHeight > title.clientHeight + 1)
          .map((title) => title.textContent));
        expect(cut, `${width} px`).toEqual([]);
        expect(await page.locator('[data-testid="area-gauges"] .gauge__title').count()).toBeGreaterThan(4);
        keep(`gauges-${width}.png`, await page.locator('[data-testid="area-gauges"]').screenshot());
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
