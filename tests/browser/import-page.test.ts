import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

describe('the import page', () => {
  it('lets a surveyor upload a GBK 变更调查 shapefile, see it checked and previewed, and commit it', async () => {
    const { page, testApp } = session;
    await logIn(session, 'surveyor');

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
    expect(session.errors).toEqual([]);
  });
});
