import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFICIENCY_STATUSES } from '../../domain/efficiency.js';
import { logIn as logInAs, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { passwordOf, type TestApp } from '../helpers/test-app.js';

let session: BrowserSession;
let testApp: TestApp;
let page: Page;
let origin: string;

beforeAll(async () => {
  session = await openBrowser();
  ({ testApp, page, origin } = session);
});

afterAll(async () => {
  await session?.close();
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

async function logIn(username: string): Promise<void> {
  await logInAs(session, username);
}

async function logOut(): Promise<void> {
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="logout"]').click();
  await page.waitForSelector('[data-testid="login-page"]', { timeout: 30_000 });
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
    await logIn('official');
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
    await logOut();
    expect(session.errors).toEqual([]);
  });

  it('refuses a wrong password, then lets a 湖里区 planner in, refuses an edit in 思明区 naming both districts, and logs out', async () => {
    await page.goto(`${origin}/`);
    await page.waitForSelector('[data-testid="login-page"]');
    await page.fill('[data-testid="login-username"]', 'planner-huli');
    await page.fill('[data-testid="login-password"]', 'not-the-password-1');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-error"]');
    expect(await page.locator('[data-testid="login-error"]').innerText()).toContain('用户名或密码错误');

    await page.fill('[data-testid="login-password"]', passwordOf('planner-huli'));
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
    expect(await page.locator('[data-testid="user-menu"]').innerText()).toContain('湖里区');

    // 思明区's figures are not the planner's to read.
    await page.locator('[data-testid="district-option-350203"]').click();
    await page.waitForSelector('[data-testid="stats-out-of-scope"]', { timeout: 30_000 });

    // A 思明区 parcel is drawn grey, as context; its card hides the attributes.
    const { rows: [parcel] } = await sql<{ id: number; code: string; lon: number; lat: number }>`
      SELECT id, code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
      FROM parcels WHERE district_code = '350203' ORDER BY area_m2 DESC LIMIT 1`.execute(testApp.database.db);
    await moveMapAndWait([parcel.lon, parcel.lat], 17);
    const restrictedGrey = await page.locator('[data-testid="map"]').screenshot();
    expect(countPixels(restrictedGrey, '#d5d9de', 4)).toBeGreaterThan(2000);
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('[data-testid="parcel-restricted"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="parcel-card"]').innerText()).toContain(parcel.code);

    // The edit is refused by the server, and the planner is told why.
    await page.locator('[data-testid="parcel-edit"]').click();
    const dialog = page.locator('[data-testid="parcel-edit-dialog"]');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('input[type="text"]').first().fill('新型产业用地（测试）');
    await page.locator('[data-testid="parcel-edit-save"]').click();
    const error = page.locator('[data-testid="parcel-edit-error"]');
    await error.waitFor({ state: 'visible', timeout: 30_000 });
    const message = await error.innerText();
    expect(message).toContain('思明区');
    expect(message).toContain('湖里区');
    const { rows: [unchanged] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM history WHERE entity = 'parcels' AND entity_id = ${String(parcel.id)} AND actor = 'planner-huli'`.execute(testApp.database.db);
    expect(unchanged.count).toBe(0);
    await page.keyboard.press('Escape');

    await logOut();
    const me = await page.evaluate(() => fetch('/api/auth/me').then((response) => response.status));
    expect(me).toBe(401);
    expect(session.errors).toEqual([]);
  });
});
