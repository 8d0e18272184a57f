import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { createTestApp, passwordOf, type TestApp } from '../helpers/test-app.js';

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

describe('the import page', () => {
  it('lets a surveyor upload a GBK 变更调查 shapefile, see it checked and previewed, and commit it', async () => {
    await page.goto(`${origin}/`);
    await page.fill('[data-testid="login-username"]', 'surveyor');
    await page.fill('[data-testid="login-password"]', passwordOf('surveyor'));
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });

    await page.click('[data-testid="nav-imports"]');
    await page.waitForSelector('[data-testid="imports-page"]');
    await page.locator('[data-testid="import-year"] input').fill('2021');
    await page.setInputFiles('[data-testid="import-file-input"]', path.join(REPOSITORY_ROOT, 'fixtures/imports/dltb-2023-gbk-4527.zip'));
    await page.click('[data-testid="import-submit"]');
    await page.waitForSelector('[data-testid="import-status"][data-status="ready"]', { timeout: 60_000 });

    const report = await page.locator('[data-testid="import-report"]').innerText();
    expect(report).toContain('12');
    await page.click('[data-testid="import-tab-samples"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="import-samples"]')?.textContent?.includes('工业用地'), undefined, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="import-preview-map"][data-preview-ready="true"]', { timeout: 60_000 });

    await page.click('[data-testid="import-commit"]');
    await page.click('[data-testid="import-commit-confirm"]');
    await page.waitForSelector('[data-testid="import-result"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="import-result"]').innerText()).toContain('2021');
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM survey_patches p JOIN survey_layers l ON l.id = p.layer_id
      WHERE l.year = 2021 AND l.superseded_at IS NULL`.execute(testApp.database.db);
    expect(rows[0].count).toBe(12);
    expect(browserErrors).toEqual([]);
  });
});
