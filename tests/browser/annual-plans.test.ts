import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { login } from '../helpers/test-app.js';

let session: BrowserSession;
let page: Page;

beforeAll(async () => {
  session = await openBrowser();
  ({ page } = session);
});

afterAll(async () => {
  await session?.close();
});

const shot = async (name: string) => {
  if (process.env.BIAOTU_SCREENSHOTS) await page.screenshot({ path: `${process.env.BIAOTU_SCREENSHOTS}/${name}.png`, fullPage: true });
};

describe('年度实施计划 page (issue 18 item 5)', () => {
  it('opens the demo plan, adds a milestone and sees it on the Gantt chart; the 台账 shows overdue milestones in red', async () => {
    // A later year's empty plan (other test files draw such plans in the shared database): the page still
    // opens on this year's plan, the one being worked on.
    const admin = await login(session.testApp.app, 'admin');
    const later = await admin.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: '350203', year: 2999 } });
    expect([201, 409]).toContain(later.statusCode);
    await logIn(session, 'planner');
    await page.click('[data-testid="nav-plans"]');
    await page.waitForSelector('[data-test="plan-gantt"] [data-milestone]', { timeout: 30_000 }).catch(async (error: unknown) => {
      await shot('plans-failure');
      throw new Error(`${String(error)}; browser errors: ${JSON.stringify(session.errors)}`);
    });
    // Demo plans have overdue milestones: red on the chart, with today's line.
    expect(await page.$$eval('[data-test="plan-gantt"] [data-status="overdue"]', (rows) => rows.length)).toBeGreaterThan(0);
    expect(await page.$$eval('.plan-gantt__today', (lines) => lines.length)).toBeGreaterThan(0);
    const title = (await page.textContent('[data-test="plan-head"] h3'))!.trim();
    const { rows: [plan] } = await sql<{ id: number }>`SELECT id::int AS id FROM annual_plans WHERE ${title} LIKE title || '%'`.execute(session.testApp.database.db);
    await shot('plans-gantt');

    await page.click('.el-tabs__item:has-text("项目与节点")');
    await page.locator('[data-test="milestone-new"]').first().click();
    const dialog = page.locator('.el-dialog:visible', { hasText: '添加节点' });
    await dialog.locator('[data-test="milestone-name"] input, input[data-test="milestone-name"]').first().fill('浏览器测试：完成规划条件论证');
    const planned = `${new Date().getFullYear()}-12-20`;
    await dialog.locator('.el-date-editor input').first().fill(planned);
    await dialog.locator('.el-date-editor input').first().press('Enter');
    await dialog.locator('[data-test="milestone-unit"] input, input[data-test="milestone-unit"]').first().fill('区自然资源局');
    await page.click('[data-test="milestone-save"]');
    await page.waitForSelector('.plans-page__project td:has-text("浏览器测试：完成规划条件论证")', { timeout: 30_000 });
    await shot('plans-projects');
    const { rows: [stored] } = await sql<{ planned: string; unit: string }>`
      SELECT to_char(m.planned_date, 'YYYY-MM-DD') AS planned, m.responsible_unit AS unit FROM plan_milestones m JOIN plan_projects j ON j.id = m.project_id
      WHERE j.plan_id = ${plan.id} AND m.name = '浏览器测试：完成规划条件论证'`.execute(session.testApp.database.db);
    expect(stored).toEqual({ planned, unit: '区自然资源局' });

    await page.click('.el-tabs__item:has-text("进度甘特图")');
    await page.waitForSelector('[data-test="plan-gantt"] [data-milestone="浏览器测试：完成规划条件论证"][data-status="pending"]', { timeout: 30_000 });
    await shot('plans-gantt-added');

    await page.click('.el-tabs__item:has-text("台账")');
    await page.waitForSelector('[data-test="ledger-table"] tbody tr', { timeout: 30_000 });
    await page.click('[data-test="ledger-overdue"]');
    const overdue = Number(await page.textContent('[data-test="ledger-overdue-count"]'));
    expect(overdue).toBeGreaterThan(0);
    await page.waitForFunction((count) => document.querySelectorAll('[data-test="ledger-table"] tbody tr.plans-page__overdue-row').length === count
      && document.querySelectorAll('[data-test="ledger-table"] tbody tr').length === count, overdue, { timeout: 30_000 });
    await shot('plans-ledger');
    expect(session.errors).toEqual([]);
  }, 240_000);
});
