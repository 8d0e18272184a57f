import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../server/system/chromium.js';
import { createTestApp, passwordOf, type TestApp } from './test-app.js';

declare global {
  interface Window {
    /** Exposed by client/src/map/test-hooks.ts. */
    __biaotuMap?: import('maplibre-gl').Map;
  }
}


export interface BrowserSession {
  testApp: TestApp;
  browser: Browser;
  page: Page;
  origin: string;
  /** Uncaught page errors, and console errors from the Content Security Policy. */
  errors: string[];
  close(): Promise<void>;
}

/** The real app listening on a free port, and one page of Debian's headless Chromium on it. */
export async function openBrowser(): Promise<BrowserSession> {
  const testApp = await createTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] });
  // Reduced motion, as a user may set it: no fades or flights to wait for (the map jumps, labels
  // appear at once), so each map change draws a few frames instead of a 300 ms animation's worth.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return {
    testApp, browser, page, origin, errors,
    async close() {
      await browser.close();
      await testApp.close();
    },
  };
}

/**
 * Logs in through the login page and waits until the map has drawn; or, given a page's link
 * (`#/admin/users`), logs in from that link and waits for the page's tab in the header. The map
 * mounts only when first shown, so a test working on another page does not pay for drawing it.
 */
export async function logIn(session: BrowserSession, username: string, hash?: string): Promise<void> {
  const { page } = session;
  // From the login page even when a test before stopped half-way, still logged in; a new document
  // (a link differing only after '#' would not load the page again).
  await page.context().clearCookies();
  await page.goto('about:blank');
  await page.goto(`${session.origin}/${hash ?? ''}`);
  await page.waitForSelector('[data-testid="login-page"]');
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', passwordOf(username));
  await page.click('[data-testid="login-submit"]');
  if (hash === undefined || hash.startsWith('#/map')) {
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
    return;
  }
  // The header's tabs (a 用地单位 has none: its one page, the case list).
  await page.waitForSelector('[data-testid^="nav-"], [data-test="case-table"]', { timeout: 90_000 });
}

/** Opens a saved area on the 成片改造区域 page from its list and waits until its form shows it. */
export async function openAreaPage(session: BrowserSession, id: number, name: string): Promise<void> {
  const { page } = session;
  await page.click('[data-testid="nav-areas"]');
  await page.waitForSelector('body[data-areas-map-ready="true"]', { timeout: 60_000 });
  const item = page.locator(`[data-testid="area-item-${id}"]`);
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  await item.click();
  await page.waitForFunction((wanted) => document.querySelector('[data-testid="area-title"]')?.textContent?.includes(wanted), name, { timeout: 30_000 });
}

/** Page pixel of a longitude/latitude on the main map (a click there lands on it). */
export async function mapPixelOf(page: Page, lon: number, lat: number): Promise<[number, number]> {
  return page.evaluate(([x, y]) => {
    const map = window.__biaotuMap!;
    const box = map.getContainer().getBoundingClientRect();
    const point = map.project([x, y]);
    return [box.left + point.x, box.top + point.y] as [number, number];
  }, [lon, lat]);
}
