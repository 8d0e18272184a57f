import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordOf } from '../helpers/test-app.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * Issue 17 in the browser: the demo city's 再利用 projects on the case page — the clocks, the
 * 协议书 with its PDF link, 实施 entries and ledger, a 延期 — and the 待办 on the 认定 page; screenshots
 * in REUSE_SCREENSHOTS when set (to look at the page).
 */
let session: BrowserSession;
let extendedCase: number;
let sentBackCase: number;

beforeAll(async () => {
  session = await openBrowser();
  const { ensureDemoCases } = await import('../../server/demo/demo-cases.js');
  await ensureDemoCases(session.testApp.app, () => undefined);
  const db = session.testApp.database.db;
  const rows = (await sql<{ caseId: number; step: string }>`SELECT case_id AS "caseId", step FROM reuse_projects`.execute(db)).rows;
  extendedCase = Number(rows.find((row) => row.step === 'extension_decided')!.caseId);
  sentBackCase = Number(rows.find((row) => row.step === 'reviewed')!.caseId);
}, 240_000);
afterAll(async () => {
  await session?.close();
});

/** A picture of the whole page (a tall window, so the case page's own scroll holds everything). */
async function look(name: string): Promise<void> {
  if (!process.env.REUSE_SCREENSHOTS) return;
  const { page } = session;
  await page.setViewportSize({ width: 1440, height: 4200 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${process.env.REUSE_SCREENSHOTS}/${name}.png` });
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function logIn(username: string): Promise<void> {
  const { page } = session;
  await page.context().clearCookies();
  await page.goto(`${session.origin}/`);
  await page.waitForSelector('[data-testid="login-page"]');
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', passwordOf(username));
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="nav-identification"], [data-test="case-table"]', { timeout: 90_000 });
}

describe('再利用 on the case page', () => {
  it('shows a project in 实施 with its 延期: clocks, 协议书 and its PDF link, entries and ledger', async () => {
    const { page } = session;
    await logIn('yuanqu');
    await page.goto(`${session.origin}/#/identification?case=${extendedCase}`);
    await page.waitForSelector('[data-test="case-reuse"] [data-test="reuse-agreement"]', { timeout: 90_000 });
    expect(await page.textContent('[data-test="reuse-step"]')).toContain('延期决定');
    expect(await page.textContent('[data-test="reuse-agreement"]')).toContain('延期 2 个月');
    expect(await page.locator('[data-test="reuse-clocks"] [data-clock="plan"]').textContent()).toContain('按期完成');
    expect(await page.locator('[data-test="reuse-tracking"] tbody tr').count()).toBe(2);
    expect(await page.textContent('[data-test="reuse-ledger"]')).toContain('850');
    const href = await page.getAttribute('[data-test="agreement-pdf"]', 'href');
    const pdf = await page.request.get(`${session.origin}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await look('reuse-implementation');
    expect(session.errors).toEqual([]);
  });

  it('the 用地单位 drafts a new version after a send-back; the 待办 lists it', async () => {
    const { page } = session;
    const db = session.testApp.database.db;
    const { rows: [row] } = await sql<{ parcelId: number }>`SELECT parcel_id AS "parcelId" FROM identification_cases WHERE id = ${sentBackCase}`.execute(db);
    await sql`INSERT INTO enterprise_parcels (user_id, parcel_id) SELECT id, ${row.parcelId} FROM users WHERE username = 'qiye' ON CONFLICT DO NOTHING`.execute(db);
    await logIn('qiye');
    await page.goto(`${session.origin}/#/identification`);
    await page.waitForSelector('[data-test="reuse-todo"]', { timeout: 60_000 });
    expect(await page.textContent('[data-test="reuse-todo"]')).toContain('提交再利用方案');
    await page.goto(`${session.origin}/#/identification?case=${sentBackCase}`);
    await page.waitForSelector('[data-test="case-reuse"] [data-action="plan_submitted"]', { timeout: 60_000 });
    await page.click('[data-action="plan_submitted"]');
    await page.waitForSelector('[data-test="plan-form"]');
    const builder = page.locator('[data-test="plan-form"] [data-field="builder"] input, [data-test="plan-form"] input[data-field="builder"]').first();
    await builder.fill('原土地使用权人与合作方');
    await look('reuse-plan-form');
    await page.click('[data-test="submit-plan"]');
    await page.waitForFunction(() => document.querySelector('[data-test="reuse-versions"]')?.textContent?.includes('第 2 版'), undefined, { timeout: 60_000 });
    await page.click('[data-test="compare"]');
    await page.waitForSelector('[data-test="compare-table"]');
    expect(await page.textContent('[data-test="compare-table"]')).toContain('原土地使用权人与合作方');
    await look('reuse-compare');
    expect(session.errors).toEqual([]);
  });
});
