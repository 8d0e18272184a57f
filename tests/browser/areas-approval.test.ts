import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../domain/api/rules.schemas.js';
import { logIn, openAreaPage, openBrowser, type BrowserSession } from '../helpers/browser.js';
import { login } from '../helpers/test-app.js';

let session: BrowserSession;
let page: Page;
/** A rule set of this file's own: a copy of xiamen-new-industrial, revised by the test. */
const RULE_SET = `approval-browser-${Date.now() % 100000}`;
const SHOTS = process.env.BIAOTU_SCREENSHOTS;

beforeAll(async () => {
  session = await openBrowser();
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

async function text(testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"]`).innerText()).trim();
}

async function shot(name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function logOut(): Promise<void> {
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="logout"]').click();
  await page.waitForSelector('[data-testid="login-page"]', { timeout: 30_000 });
}

describe('approving a 成片改造区域', () => {
  it('approves an area, and after an administrator revises the rule set the approved verdict and version are unchanged; 复核 shows both', async () => {
    // Set up through the API: a rule set of the test's own and an area that passes it.
    const { app } = session.testApp;
    const admin = await login(app, 'admin');
    const planner = await login(app, 'planner-huli');
    const shipped = (await admin.get('/api/rule-sets')).json().items.find((item: { id: string }) => item.id === 'xiamen-new-industrial').rules as Rule[];
    const revise = (rules: Rule[], note: string) => admin.request({ method: 'PUT', url: `/api/rule-sets/${RULE_SET}`, payload: { city: '厦门市', name: '审批浏览器测试规则', rules, note } });
    expect((await revise(shipped, '第 1 版')).statusCode).toBe(200);
    const { rows: [parcel] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
      FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET 70 LIMIT 1`.execute(session.testApp.database.db);
    const boundary = { type: 'Polygon', coordinates: [[[parcel.xmin, parcel.ymin], [parcel.xmax, parcel.ymin], [parcel.xmax, parcel.ymax], [parcel.xmin, parcel.ymax], [parcel.xmin, parcel.ymin]]] };
    const land = (await planner.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary } })).json().area.m2 as number;
    const total = Math.ceil(land * 3);
    const name = `审批浏览器测试 ${Date.now() % 100000}`;
    const created = await planner.request({
      method: 'POST', url: '/api/areas',
      payload: { name, mode: 'owner_self', ruleSet: RULE_SET, boundary, figures: { totalFloorArea: total, supportingFloorArea: total * 0.1, factoryFloorArea: total * 0.6, grossFloorArea: total } },
    });
    expect(created.statusCode).toBe(201);
    const area = created.json() as { id: number; pass: boolean };
    expect(area.pass).toBe(true);

    // The planner submits in the page: the dialog says the checks all pass under 第 1 版, and takes a note.
    await logIn(session, 'planner-huli');
    await openAreaPage(session, area.id, name);
    expect(await page.locator('[data-testid="area-delete"]').count()).toBe(1);
    await page.click('[data-testid="area-status-submitted"]');
    await page.waitForSelector('[data-testid="status-all-pass"]', { timeout: 30_000 });
    expect(await text('status-all-pass')).toContain('第 1 版');
    await page.fill('.area-step-dialog input', '请审核：配套 10 %');
    await shot('approval-1-submit-dialog');
    await page.click('.area-step-dialog .el-button--primary');
    await page.waitForFunction(() => document.querySelector('[data-testid="area-status"]')?.textContent?.includes('报审'), undefined, { timeout: 30_000 });
    expect(await text('area-pinned-basis')).toBe('按 第 1 版 规则报审时核查');
    // Submitted: no delete offered.
    expect(await page.locator('[data-testid="area-delete"]').count()).toBe(0);
    await logOut();

    // The official approves with an opinion.
    await logIn(session, 'official');
    await openAreaPage(session, area.id, name);
    await page.click('[data-testid="area-status-approved"]');
    await page.waitForSelector('.area-step-dialog [data-testid="status-all-pass"]', { timeout: 30_000 });
    await page.fill('.area-step-dialog input', '同意');
    await page.click('.area-step-dialog .el-button--primary');
    await page.waitForFunction(() => document.querySelector('[data-testid="area-status"]')?.textContent?.includes('批准'), undefined, { timeout: 30_000 });
    expect(await text('area-pinned-basis')).toBe('按 第 1 版 规则批准时核查');
    expect(await text('area-pinned-pass')).toContain('全部通过');
    const reviews = await text('area-reviews');
    expect(reviews).toContain('请审核：配套 10 %');
    expect(reviews).toContain('同意');
    expect(reviews).toContain('审核员（演示）');
    expect(await page.locator('[data-testid="area-delete"]').count()).toBe(0);
    expect(await page.locator('[data-testid="area-status-returned"]').count()).toBe(0);
    expect(await page.locator('[data-testid="area-status-revoke"]').count()).toBe(1);

    // An administrator saves 第 2 版, under which the area fails (工业厂房 ≥ 90 %).
    const stricter = shipped.map((rule) => (rule.id === 'factory-floor' ? { ...rule, limit: 0.9 } : rule));
    expect((await revise(stricter, '厂房占比提高到 90 %')).json().version).toBe(2);

    // After a reload the panel and the list still say what was approved, under 第 1 版.
    await page.reload();
    await page.waitForSelector('body[data-areas-map-ready="true"]', { timeout: 90_000 });
    await openAreaPage(session, area.id, name);
    await page.waitForSelector('[data-testid="area-pinned-verdict"]', { timeout: 30_000 });
    expect(await text('area-pinned-basis')).toBe('按 第 1 版 规则批准时核查');
    expect(await text('area-pinned-pass')).toContain('全部通过');
    expect(await page.locator('[data-testid="pinned-check-factory-floor"]').getAttribute('data-verdict')).toBe('pass');
    expect(await text('pinned-check-factory-floor')).toContain('≥ 50.00 %');
    expect(await page.locator('[data-testid="area-gauges"]').count()).toBe(0);
    expect(await text(`area-item-pass-${area.id}`)).toBe('全部通过（按第 1 版批准）');
    await shot('approval-2-panel-after-revision');

    // 按最新规则复核: both verdicts side by side, nothing changed after closing.
    await page.click('[data-testid="area-recheck"]');
    await page.waitForSelector('[data-testid="recheck-table"]', { timeout: 30_000 });
    expect(await text('recheck-summary')).toContain('按最新第 2 版规则：有未通过');
    const row = page.locator('[data-testid="recheck-factory-floor"] td');
    expect(await row.nth(0).getAttribute('data-verdict')).toBe('pass');
    expect(await row.nth(1).getAttribute('data-verdict')).toBe('fail');
    await shot('approval-3-recheck-dialog');
    await page.locator('[data-testid="area-recheck-dialog"] .el-dialog__headerbtn').click();
    expect(await text('area-pinned-basis')).toBe('按 第 1 版 规则批准时核查');
    expect(await text(`area-item-pass-${area.id}`)).toBe('全部通过（按第 1 版批准）');
    expect(await text('area-rule-set-pinned')).toContain('第 1 版');
    const stored = (await planner.get(`/api/areas/${area.id}`)).json();
    expect(stored).toMatchObject({ status: 'approved', approvedVersion: 1, pinned: { ruleSetVersion: 1, pass: true } });

    // A draft that fails under 第 2 版: its 报审 dialog lists the failing check and asks to confirm.
    const failing = await planner.request({
      method: 'POST', url: '/api/areas',
      payload: { name: `${name} 乙`, mode: 'owner_self', ruleSet: RULE_SET, boundary, figures: { totalFloorArea: total, supportingFloorArea: total * 0.1, factoryFloorArea: total * 0.6, grossFloorArea: total } },
    });
    expect(failing.json()).toMatchObject({ ruleSetVersion: 2, pass: false });
    await logOut();
    await logIn(session, 'planner-huli');
    await openAreaPage(session, failing.json().id, `${name} 乙`);
    await page.click('[data-testid="area-status-submitted"]');
    await page.waitForSelector('[data-testid="status-failing"]', { timeout: 30_000 });
    const warning = await text('status-failing');
    expect(warning).toContain('按第 2 版规则，有 1 项校验未通过');
    expect(warning).toContain('工业厂房建筑面积占比：60.00 %（限值 ≥ 90.00 %）');
    expect(await page.locator('.area-step-dialog .el-button--primary').innerText()).toContain('仍然报审');
    await shot('approval-4-submit-failing');
    await page.locator('.area-step-dialog .el-button').filter({ hasText: '取消' }).click();
    await page.waitForSelector('.area-step-dialog', { state: 'hidden', timeout: 10_000 });
    expect(await text('area-status')).toBe('草案');
    expect(session.errors).toEqual([]);
  }, 300_000);
});
