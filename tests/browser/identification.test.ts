import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, passwordOf } from '../helpers/test-app.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';

/**
 * Issue 16 item 3 in the browser: one parcel from 列入清单 to 告知 with the role accounts of the
 * procedure, each seeing only the action its role and unit allow (the others as who must act).
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

/** Logs in through the login page and opens the 认定 page (a 用地单位 has no map: it lands there). */
async function logInTo(username: string, hash = '#/identification'): Promise<void> {
  const { page } = session;
  await page.context().clearCookies();
  await page.goto(`${session.origin}/`);
  await page.waitForSelector('[data-testid="login-page"]');
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', passwordOf(username));
  await page.click('[data-testid="login-submit"]');
  // A 用地单位 has one page only (no navigation): it lands on its cases.
  await page.waitForSelector('[data-testid="nav-identification"], [data-test="case-table"]', { timeout: 90_000 });
  await page.goto(`${session.origin}/${hash}`);
}

async function openCase(caseId: number): Promise<void> {
  const { page } = session;
  await page.goto(`${session.origin}/#/identification?case=${caseId}`);
  await page.waitForSelector('[data-test="case-view"] [data-test="case-step"]', { timeout: 30_000 });
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
    // 列入清单 by 区自然资源部门 (through the API: the parcel card's 认定 tab does the same request).
    const resources = await login(session.testApp.app, 'ziranziyuan');
    const opened = await resources.request({ method: 'POST', url: '/api/identification/cases', payload: { parcelId } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseNumber = opened.json().number as string;
    const caseId = opened.json().id as number;
    expect(caseNumber).toMatch(/^350206-RD-\d{4}-\d{4}$/);
    await logInTo('ziranziyuan');
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
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-form="notice"]')]);
    expect(download.suggestedFilename()).toBe(`附件3_低效产业用地认定告知书_${caseNumber}.pdf`);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.locator('[data-form="review"]').getAttribute('href')).toBe(`/api/identification/cases/${caseId}/forms/review.pdf`);
    const { rows: [identified] } = await sql<{ status: string; identified_at: string | null }>`SELECT status, identified_at FROM parcels WHERE id = ${parcelId}`.execute(session.testApp.database.db);
    expect(identified.status).toBe('identified');
    expect(identified.identified_at).not.toBeNull();
    await page.screenshot({ path: process.env.BIAOTU_SCREENSHOTS ? `${process.env.BIAOTU_SCREENSHOTS}/identification-case.png` : undefined });
    expect(parcelCode).toBeTruthy();
    expect(session.errors).toEqual([]);
  }, 600_000);
});
