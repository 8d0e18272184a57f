import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { buildZip } from '../helpers/zip-writer.js';

const FUJIAN = path.resolve(REPOSITORY_ROOT, '../shared/testdata/ChinaAdminDivisonSHP/old_776a2f1_noprj');
const SCREENSHOTS = path.join(REPOSITORY_ROOT, '.data', 'screenshots');

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
    // Written: the map opens with the 2021 layer switched on, flown to, and says what was written.
    await page.waitForFunction(() => /^#\/map(\?|$)/.test(window.location.hash), undefined, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('.el-message--success')?.textContent?.includes('2021'), undefined, { timeout: 10_000 });
    const stored = await page.evaluate(() => window.localStorage.getItem('biaotu.surveyLayers'));
    expect(JSON.parse(stored ?? '{}').years).toContain(2021);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-committed-map.png') });
    const { rows } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM survey_patches p JOIN survey_layers l ON l.id = p.layer_id
      WHERE l.year = 2021 AND l.superseded_at IS NULL`.execute(testApp.database.db);
    expect(rows[0].count).toBe(12);
    expect(session.errors).toEqual([]);
  }, 180_000);

  it('warns before the commit that a province-wide file lies mostly outside the 管辖范围, names the features, and asks 裁剪 / 跳过 / 停止', async () => {
    const { page } = session;
    await page.click('[data-testid="nav-imports"]');
    await page.waitForSelector('[data-testid="imports-page"]');
    await page.locator('[data-testid="import-year"] input').fill('2009');
    await page.click('[data-testid="import-srid"]');
    await page.keyboard.type('GCJ');
    await page.click('.el-select-dropdown__item:has-text("GCJ-02")');
    const zip = buildZip(['福建省.shp', '福建省.shx', '福建省.dbf'].map((file) => ({ name: file, content: fs.readFileSync(path.join(FUJIAN, file)) })));
    await page.setInputFiles('[data-testid="import-file-input"]', { name: 'fujian.zip', mimeType: 'application/zip', buffer: zip });
    await page.click('[data-testid="import-submit"]');
    await page.waitForSelector('[data-testid="import-status"][data-status="ready"]', { timeout: 60_000 });

    const warning = await page.locator('[data-testid="import-extent-warning"]').innerText();
    expect(warning).toContain('不在您的管辖范围（厦门市）内');
    expect(warning).toMatch(/\d+ 个在厦门市以外/);
    expect(await page.locator('[data-testid="import-extent-features"] li').count()).toBeGreaterThanOrEqual(20);
    // No DLBM/TBMJ: said before the commit, and the commit waits for them.
    expect(await page.locator('[data-testid="import-missing-fields"]').innerText()).toContain('地类编码 (DLBM)');
    expect(await page.locator('[data-testid="import-commit"]').isDisabled()).toBe(true);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-extent-warning.png'), fullPage: true });

    await page.click('[data-testid="import-cancel"]');
    await page.click('.el-message-box__btns .el-button--primary');
    await page.waitForSelector('[data-testid="imports-page"][data-stage="idle"]', { timeout: 30_000 });

    // A 变更调查 file with its fields, one 图斑 in 湖里区 and two in 福州: the commit asks for the decision; 停止 cancels.
    const square = (lon: number, lat: number) => [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]];
    const features = [[118.12, 24.52, 'X1'], [119.30, 26.08, 'F1'], [119.31, 26.08, 'F2']].map(([lon, lat, bsm]) => ({
      type: 'Feature', properties: { BSM: bsm, DLBM: '0601', TBMJ: 11300 }, geometry: { type: 'Polygon', coordinates: square(lon as number, lat as number) },
    }));
    await page.locator('[data-testid="import-year"] input').fill('2009');
    await page.setInputFiles('[data-testid="import-file-input"]', { name: 'fuzhou.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) });
    await page.click('[data-testid="import-submit"]');
    await page.waitForSelector('[data-testid="import-status"][data-status="ready"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="import-extent-features"]').innerText()).toContain('F1');
    await page.click('[data-testid="import-commit"]');
    await page.waitForSelector('[data-testid="import-outside-decision"]');
    expect(await page.locator('[data-testid="import-commit-confirm"]').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-outside-decision.png') });
    await page.click('[data-testid="import-outside-stop"]');
    await page.click('[data-testid="import-commit-confirm"]');
    await page.waitForSelector('[data-testid="imports-page"][data-stage="idle"]', { timeout: 30_000 });
    const { rows } = await sql<{ status: string }>`SELECT status FROM imports WHERE file_name = 'fuzhou.geojson'`.execute(session.testApp.database.db);
    expect(rows.map((row) => row.status)).toEqual(['cancelled']);
    expect(session.errors).toEqual([]);
  }, 180_000);
});
