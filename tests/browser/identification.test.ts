import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundTo, squareMetresToMu } from '../../domain/units.js';
import { passwordOf } from '../helpers/test-app.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * Issue 16 items 3, 6 and 8 in the browser: one parcel from 列入清单 (the parcel card's button) to 告知
 * with the role accounts of the procedure, each seeing only the action its role and unit allow (the
 * others as who must act); then 附件11 downloaded from the 汇总表 tab holds the parcel's row.
 */
let session: BrowserSession;
let parcelId: number;
let parcelCode: string;

beforeAll(async () => {
  session = await openBrowser();
  const db = session.testApp.database.db;
  const users = session.testApp.app.usersRepository;
  const [park] = (await users.principal(Number((await users.findByUsername('yuanqu'))!.id)))!.units;
  const { rows: [parcel] } = await sql<{ id: number; code: string }>`
    SELECT p.id, p.code FROM parcels p WHERE p.park_code = ${park}
      AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
    ORDER BY p.id DESC OFFSET 12 LIMIT 1`.execute(db);
  parcelId = Number(parcel.id);
  parcelCode = parcel.code;
  await sql`INSERT INTO enterprise_parcels (user_id, parcel_id) SELECT id, ${parcelId} FROM users WHERE username = 'qiye' ON CONFLICT DO NOTHING`.execute(db);
}, 180_000);
afterAll(async () => {
  await session?.close();
});

/**
 * Logs in through the login page of a link to the 认定 page, and lands there (a 用地单位 has no map;
 * the others' map mounts only when they open it).
 */
async function logInTo(username: string, hash = '#/identification'): Promise<void> {
  const { page } = session;
  await page.context().clearCookies();
  // A new document (a link differing only after '#' would not load the page again).
  await page.goto('about:blank');
  await page.goto(`${session.origin}/${hash}`);
  await page.waitForSelector('[data-testid="login-page"]');
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', passwordOf(username));
  await page.click('[data-testid="login-submit"]');
  // A 用地单位 has one page only (no navigation): it lands on its cases.
  await page.waitForSelector('[data-testid="nav-identification"], [data-test="case-table"]', { timeout: 90_000 });
  if (!hash.startsWith('#/map')) expect(await page.evaluate(() => document.querySelector('.maplibregl-map'))).toBeNull();
  else await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
}

async function openCase(caseId: number): Promise<void> {
  const { page } = session;
  await page.goto(`${session.origin}/#/identification?case=${caseId}`);
  await page.waitForSelector('[data-test="case-view"] [data-test="case-step"]', { timeout: 60_000 }).catch(async (error: Error) => {
    if (process.env.BIAOTU_SCREENSHOTS) await page.screenshot({ path: `${process.env.BIAOTU_SCREENSHOTS}/identification-open-case-failed.png` });
    throw error;
  });
}

/** Takes the step through its form and waits until the case page shows the step taken. */
async function take(step: string, fill: () => Promise<void> = async () => undefined, shows = ''): Promise<void> {
  const { page } = session;
  await page.click(`[data-action="${step}"]`);
  await page.waitForSelector(`.step-form[data-step="${step}"]`);
  await fill();
  await page.click('[data-test="step-submit"]');
  if (shows) await page.waitForFunction((text) => document.querySelector('[data-test="case-step"]')?.textContent?.includes(text), shows, { timeout: 30_000 });
  else await page.waitForSelector(`.step-form[data-step="${step}"]`, { state: 'detached', timeout: 30_000 });
  const error = await page.locator('[data-test="step-error"]').count();
  expect(error).toBe(0);
}

describe('认定 in the browser', () => {
  it('takes a parcel from 列入清单 to 告知 with 自然资源, 园区办, the enterprise, the five departments and 区政府', async () => {
    const { page } = session;
    // 列入清单 by 区自然资源部门, with the button of the parcel card's 认定 tab.
    await logInTo('ziranziyuan', '#/map');
    await page.evaluate((id) => { window.location.hash = `#/map?d=350206&p=${id}`; }, parcelId);
    await page.reload();
    await page.waitForSelector('[data-testid="parcel-card"] #tab-identification', { timeout: 120_000 });
    // The card may still be sliding in on a loaded machine: the tab is clicked as an event, not at a point.
    await page.locator('#tab-identification').dispatchEvent('click');
    await page.waitForSelector('[data-test="parcel-identification"] [data-test="list-parcel"]', { timeout: 60_000 });
    expect(await page.locator('[data-test="parcel-identification"]').innerText()).toContain('该地块尚无认定案卷');
    await page.fill('[data-test="parcel-identification"] input', '产业用地清单（浏览器测试）');
    await page.click('[data-test="list-parcel"]');
    const link = page.locator('[data-test="parcel-identification"] [data-case]');
    await link.waitFor({ timeout: 30_000 });
    const caseNumber = (await link.getAttribute('data-case'))!;
    expect(caseNumber).toMatch(/^350206-RD-\d{4}-\d{4}$/);
    const caseId = Number(/case=(\d+)/.exec((await link.getAttribute('href'))!)![1]);
    expect(await page.locator('[data-test="parcel-identification"]').innerText()).toContain('列入清单');
    // Listed once: the button is gone while the case is open.
    expect(await page.locator('[data-test="list-parcel"]').count()).toBe(0);
    const { rows: [listed] } = await sql<{ opened_by: string; note: string; step: string }>`
      SELECT opened_by, note, step FROM identification_cases WHERE id = ${caseId}`.execute(session.testApp.database.db);
    expect(listed).toEqual({ opened_by: 'ziranziyuan', note: '产业用地清单（浏览器测试）', step: 'listed' });
    // The 园区办 sees its action; 区自然资源部门 sees who must act.
    await openCase(caseId);
    expect(await page.locator('[data-waiting="survey_sent"]').innerText()).toContain('园区办');
    await logInTo('yuanqu');
    await page.waitForFunction((number) => document.querySelector('[data-test="case-table"]')?.textContent?.includes(number), caseNumber, { timeout: 30_000 });
    await page.locator('[data-test="case-table"] .el-table__row', { hasText: caseNumber }).click();
    await page.waitForSelector('[data-test="case-view"] [data-test="case-step"]');
    await take('survey_sent', async () => page.fill('textarea[data-field="opinion"], [data-field="opinion"] textarea', '已发出调查表'), '调查表发出');

    // The enterprise fills 附件1 online.
    await logInTo('qiye');
    await page.waitForFunction((number) => document.querySelector('[data-test="case-table"]')?.textContent?.includes(number), caseNumber, { timeout: 30_000 });
    await openCase(caseId);
    await take('survey_returned', async () => {
      await page.fill('input[data-field="floorAreaRatio"], [data-field="floorAreaRatio"] input', '0.4');
      await page.fill('input[data-field="taxPerMu"], [data-field="taxPerMu"] input', '0.7');
    }, '调查表回收');
    expect(await page.locator('[data-submission]').first().innerText()).toContain('网上填报');
    // Its forms (item 5): 附件1 a link to the PDF, 附件3 disabled until 告知 and saying so; never 附件2.
    const forms = page.locator('[data-test="case-forms"] [data-form]');
    expect(await forms.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-form')))).toEqual(['survey', 'notice']);
    expect(await page.locator('[data-form="survey"]').getAttribute('href')).toBe(`/api/identification/cases/${caseId}/forms/survey.pdf`);
    expect(await page.locator('[data-form="notice"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-form="notice"]').getAttribute('aria-label')).toContain('「告知」');

    // The 园区办 verifies and makes the 初步认定.
    await logInTo('yuanqu');
    await openCase(caseId);
    await take('verified', async () => undefined, '核实');
    await take('preliminary', async () => {
      await page.fill('textarea[data-field="reasons"], [data-field="reasons"] textarea', '容积率0.4，亩均税收0.7万元，低于标准');
      await page.locator('[data-field="types"] .el-checkbox', { hasText: '产出低效' }).click();
      await page.locator('[data-field="measures"] .el-checkbox').first().click();
    }, '初步认定');
    const { rows: [suspected] } = await sql<{ status: string }>`SELECT status FROM parcels WHERE id = ${parcelId}`.execute(session.testApp.database.db);
    expect(suspected.status).toBe('suspected');

    // Each 会审 department enters its own opinion.
    for (const department of ['fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen']) {
      await logInTo(department);
      await openCase(caseId);
      await take('review_opinion', async () => page.fill('textarea[data-field="opinion"], [data-field="opinion"] textarea', '同意认定'));
      expect(await page.locator('[data-waiting="review_opinion"]').innerText()).toContain('本部门已填写');
    }
    await logInTo('yuanqu');
    await openCase(caseId);
    await take('joint_review', async () => page.fill('textarea[data-field="opinion"], [data-field="opinion"] textarea', '五部门均同意，符合认定标准'), '会审结论');

    await logInTo('zhengfu');
    await openCase(caseId);
    await take('approved', async () => undefined, '区政府审批同意');

    await logInTo('yuanqu');
    await openCase(caseId);
    await take('notified', async () => undefined, '告知');
    await page.waitForSelector('[data-test="case-state"]');
    expect(await page.locator('[data-test="case-state"]').innerText()).toContain('已告知');
    const view = await page.locator('[data-test="case-view"]').innerText();
    expect(view).toMatch(/350206-GZ-\d{4}-\d{4}/);
    // 打印 附件3: the browser downloads the 告知书 as a PDF under its Chinese name.
    const [notice] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-form="notice"]')]);
    expect(notice.suggestedFilename()).toBe(`附件3_低效产业用地认定告知书_${caseNumber}.pdf`);
    expect(readFileSync((await notice.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.locator('[data-form="review"]').getAttribute('href')).toBe(`/api/identification/cases/${caseId}/forms/review.pdf`);
    const { rows: [identified] } = await sql<{ status: string; identified_at: string | null }>`SELECT status, identified_at FROM parcels WHERE id = ${parcelId}`.execute(session.testApp.database.db);
    expect(identified.status).toBe('identified');
    expect(identified.identified_at).not.toBeNull();
    await page.screenshot({ path: process.env.BIAOTU_SCREENSHOTS ? `${process.env.BIAOTU_SCREENSHOTS}/identification-case.png` : undefined });
    const noticeNumber = /350206-GZ-\d{4}-\d{4}/.exec(view)![0];

    // 附件11: the 区自然资源部门 downloads the month's 汇总表 from the 汇总表 tab; the parcel is a row of it.
    await logInTo('ziranziyuan', '#/identification?tab=annex11');
    await page.waitForSelector('[data-test="annex11-panel"] [data-test="annex11-download"]', { timeout: 30_000 });
    expect(await page.locator('[data-test="annex11-panel"]').innerText()).toContain('低效产业用地认定情况汇总表');
    await page.screenshot({ path: process.env.BIAOTU_SCREENSHOTS ? `${process.env.BIAOTU_SCREENSHOTS}/annex11-panel.png` : undefined });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-test="annex11-download"]')]);
    expect(download.suggestedFilename()).toMatch(/^厦门市湖里区_附件11低效产业用地认定情况汇总表_.+\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('厦门市湖里区低效产业用地认定情况汇总表');
    let found: ExcelJS.Row | undefined;
    sheet.eachRow((row) => { if (String(row.getCell(17).value ?? '').includes(noticeNumber)) found = row; });
    expect(found, `a row with 告知书 ${noticeNumber}`).toBeDefined();
    const { rows: [card] } = await sql<{ owner: string | null; registered_area_m2: string | null; notice_date: string }>`
      SELECT p.owner, p.registered_area_m2, c.notice_date FROM parcels p JOIN identification_cases c ON c.parcel_id = p.id WHERE c.id = ${caseId}`.execute(session.testApp.database.db);
    expect(found!.getCell(2).value).toBe(card.owner);
    expect(found!.getCell(5).value).toBe(card.registered_area_m2 === null ? null : roundTo(squareMetresToMu(Number(card.registered_area_m2)), 2));
    expect((found!.getCell(15).value as Date).toISOString().slice(0, 10)).toBe(card.notice_date);
    expect(String(found!.getCell(17).value)).toContain('本期新增');
    expect(parcelCode).toBeTruthy();
    expect(session.errors).toEqual([]);
  }, 600_000);
});
