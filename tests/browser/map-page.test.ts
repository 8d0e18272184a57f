import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES } from '../../domain/efficiency.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

declare global {
  interface Window {
    /** Exposed by client/src/map/test-hooks.ts. */
    __biaotuMap?: import('maplibre-gl').Map;
  }
}

/** Debian's Chromium, never a downloaded browser; the flags keep it off the closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

let testApp: TestApp;
let browser: Browser;
let page: Page;
let origin: string;
const browserErrors: string[] = [];

beforeAll(async () => {
  testApp = await createTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => browserErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Counts screenshot pixels within a small tolerance of a colour (anti-aliasing, outlines aside). */
function countPixels(png: Buffer, hex: string, tolerance = 6): number {
  const image = PNG.sync.read(png);
  const [red, green, blue] = hexToRgb(hex);
  let count = 0;
  for (let offset = 0; offset < image.data.length; offset += 4) {
    if (Math.abs(image.data[offset] - red) <= tolerance && Math.abs(image.data[offset + 1] - green) <= tolerance
      && Math.abs(image.data[offset + 2] - blue) <= tolerance) count++;
  }
  return count;
}

async function moveMapAndWait(center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(([lon, lat, targetZoom]) => new Promise<void>((resolve) => {
    const map = window.__biaotuMap!;
    map.once('idle', () => resolve());
    map.jumpTo({ center: [lon, lat], zoom: targetZoom });
  }), [center[0], center[1], zoom] as const);
}

describe('the map page', () => {
  it('shows districts and parcels, a district’s figures, and a parcel’s card', async () => {
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
    await expect(page.locator('[data-testid="city-name"]')).toBeTruthy();
    expect(await page.locator('[data-testid="city-name"]').innerText()).toContain('厦门市');

    // Parcels were drawn at the city view: pixels of the parcel status colours are on screen.
    const cityView = await page.locator('[data-testid="map"]').screenshot();
    const colouredAtCityView = EFFICIENCY_STATUSES.reduce((sum, status) => sum + countPixels(cityView, status.color, 24), 0);
    expect(colouredAtCityView).toBeGreaterThan(500);

    // Pick 湖里区: the map zooms there and the figures match the API.
    const { rows: [expected] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE district_code = '350206'`.execute(testApp.database.db);
    await page.locator('[data-testid="district-option-350206"]').click();
    const stats = page.locator('[data-testid="district-stats"]');
    await stats.waitFor({ state: 'visible' });
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid="stat-parcel-count"]')?.textContent?.replace(/[^0-9]/g, '') === String(count),
      expected.count,
      { timeout: 30_000 },
    );
    expect(await stats.innerText()).toContain('湖里区');
    await page.waitForFunction(() => {
      const center = window.__biaotuMap!.getCenter();
      return center.lng > 118.06 && center.lng < 118.2 && center.lat > 24.47 && center.lat < 24.57;
    }, undefined, { timeout: 30_000 });
    expect(await stats.locator('canvas, svg').count()).toBeGreaterThan(0);

    // Go to one identified parcel: its status colour fills the middle of the map.
    const { rows: [parcel] } = await sql<{ id: number; code: string; owner: string; lon: number; lat: number }>`
      SELECT id, code, owner, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM parcels WHERE district_code = '350206' AND status = 'identified' ORDER BY area_m2 DESC LIMIT 1`.execute(testApp.database.db);
    await moveMapAndWait([parcel.lon, parcel.lat], 17);
    const identifiedColour = EFFICIENCY_STATUSES.find((status) => status.code === 'identified')!.color;
    const closeUp = await page.locator('[data-testid="map"]').screenshot();
    expect(countPixels(closeUp, identifiedColour)).toBeGreaterThan(2000);

    // Click it: the card (一宗一卡) opens with its attributes, labelled in Chinese.
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const card = page.locator('[data-testid="parcel-card"]');
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction((code) => document.querySelector('[data-testid="parcel-card"]')?.textContent?.includes(code), parcel.code, { timeout: 30_000 });
    const cardText = await card.innerText();
    for (const label of ['土地使用权人', '容积率', '亩均税收', '万元/亩', '低效类型', '已认定低效']) expect(cardText).toContain(label);
    expect(cardText).toContain(parcel.owner);

    // Esc closes it.
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(browserErrors).toEqual([]);
  });
});
