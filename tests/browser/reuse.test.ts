import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import { writeAs } from '../../server/db/actor.js';
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
    await page.waitForSelector('[data-test="todo-summary"]', { timeout: 60_000 });
    await page.click('[data-test="todo-summary"] a');
    await page.waitForSelector('[data-test="todo-table"] [data-todo-case]', { timeout: 60_000 });
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

describe('待办 and 区县统计 on the 认定 page (issue 17 item 6)', () => {
  it('the 园区办 sees its 待办 (认定 and 再利用 rows, each a link to its case) and the district counts with chart and totals', async () => {
    const { page } = session;
    await logIn('yuanqu');
    await page.goto(`${session.origin}/#/identification?tab=todo`);
    await page.waitForSelector('[data-test="todo-table"] [data-todo-case]', { timeout: 60_000 });
    const text = (await page.textContent('[data-test="reuse-todo"]'))!;
    expect(text).toContain('认定');
    expect(text).toContain('再利用');
    await look('todo-page');
    await page.goto(`${session.origin}/#/identification?tab=counts`);
    await page.waitForSelector('[data-test="counts-chart"] canvas', { timeout: 60_000 });
    await page.waitForSelector('[data-test="counts-table"] [data-counts-district="city"]');
    await look('district-counts');
    await page.getByText('再利用（含验收）').click();
    await page.waitForSelector('[data-test="counts-table"][data-kind="reuse"] [data-counts-district="city"]');
    await look('district-counts-reuse');
    expect(await page.textContent('[data-test="counts-table"]')).toContain('提交再利用方案');
    if (process.env.REUSE_SCREENSHOTS) {
      await logIn('official');
      await page.goto(`${session.origin}/#/identification?tab=credit`);
      await page.waitForSelector('[data-test="credit-list"] .el-table');
      await look('credit-list');
    }
    expect(session.errors).toEqual([]);
  });
});

describe('a case from 告知书 to 验收 with the accounts involved, then 附件12 and 附件13', () => {
  it('批复, 协议书, 实施, one 延期 and 验收 on the case page; the 汇总表 downloads list the project', async () => {
    const { page, testApp } = session;
    const app = testApp.app;
    const db = testApp.database.db;
    const today = todayInChinaDate();
    const year = today.slice(0, 4);
    const principal = async (username: string) => (await app.usersRepository.principal(Number((await app.usersRepository.findByUsername(username))!.id)))!;
    const park = (await principal('yuanqu')).units[0];
    const { rows: [{ id: parcelId }] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE park_code = ${park} ORDER BY id DESC OFFSET 40 LIMIT 1`.execute(db);
    await sql`INSERT INTO enterprise_parcels (user_id, parcel_id) SELECT id, ${parcelId} FROM users WHERE username = 'qiye' ON CONFLICT DO NOTHING`.execute(db);
    // Up to the 告知书 and the first plan through the services, as the accounts would.
    const as = async (username: string, work: (transaction: never, who: Awaited<ReturnType<typeof principal>>) => Promise<unknown>) => {
      const who = await principal(username);
      return writeAs(db, { name: username }, (transaction) => work(transaction as never, who));
    };
    const opened = await as('ziranziyuan', (transaction, who) => app.identificationCases.open(transaction, { parcelId, principal: who, note: '浏览器测试' })) as { id: number };
    const caseId = Number(opened.id);
    const form = { floorAreaRatio: 0.4, buildingCoverage: 0.25, taxPerMu: 0.8, outputPerMu: 30, meetsSafety: true, meetsEnvironment: true, meetsEnergy: true };
    const toNotified: [string, string, Record<string, unknown>][] = [
      ['yuanqu', 'survey_sent', {}], ['qiye', 'survey_returned', { fields: form }], ['yuanqu', 'verified', { outcome: 'confirmed' }],
      ['yuanqu', 'preliminary', { inefficient: true, reasons: '容积率低', types: ['low_output'], measures: ['self_renewal'] }],
      ...['fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen'].map((account): [string, string, Record<string, unknown>] => [account, 'review_opinion', { agree: true, opinion: '同意' }]),
      ['yuanqu', 'joint_review', { meets: true, opinion: '符合' }], ['zhengfu', 'approved', { decision: 'approve' }], ['yuanqu', 'notified', {}],
    ];
    for (const [account, name, body] of toNotified) await as(account, (transaction, who) => app.identificationCases.takeStep(transaction, caseId, name as never, body as never, who));
    const { DEMO_PLAN } = await import('../../server/demo/demo-reuse.js');
    const plan = await as('qiye', (transaction, who) => app.reuseProjects.takeStep(transaction, { caseId }, 'plan_submitted', { fields: { ...DEMO_PLAN, plannedCompletion: `${Number(year) + 1}-06` } as never }, who)) as { projectId: number };
    const toRequested: [string, string, Record<string, unknown>][] = [
      ['fagai', 'opinion', { agree: true, opinion: '同意' }], ['yuanqu', 'reviewed', { outcome: 'ready', opinion: '同意' }], ['qiye', 'confirmed', { agree: true }],
      ['yuanqu', 'requested', { number: `湖园〔${year}〕88 号`, date: today }],
    ];
    for (const [account, name, body] of toRequested) await as(account, (transaction, who) => app.reuseProjects.takeStep(transaction, { projectId: plan.projectId }, name as never, body as never, who));

    // From the 批复 on, each account on the case page.
    const field = (name: string) => `[data-test="reuse-step-form"] [data-field="${name}"] input, [data-test="reuse-step-form"] input[data-field="${name}"], [data-test="reuse-step-form"] [data-field="${name}"] textarea, [data-test="reuse-step-form"] textarea[data-field="${name}"]`;
    const act = async (account: string, steps: { step: string; fill?: Record<string, string>; done: string }[]) => {
      await logIn(account);
      await page.goto(`${session.origin}/#/identification?case=${caseId}`);
      for (const { step, fill = {}, done } of steps) {
        await page.waitForSelector(`[data-test="case-reuse"] [data-action="${step}"]`, { timeout: 60_000 });
        await page.click(`[data-action="${step}"]`);
        await page.waitForSelector('[data-test="reuse-step-form"]');
        for (const [name, value] of Object.entries(fill)) await page.locator(field(name)).first().fill(value);
        await page.click('[data-test="reuse-submit"]');
        await page.waitForFunction((text) => document.querySelector('[data-test="reuse-step"]')?.textContent?.includes(text) || document.querySelector(`[data-step="${text}"]`) !== null, done, { timeout: 60_000 });
      }
    };
    await act('zhengfu', [{ step: 'approved', fill: { number: `湖政〔${year}〕88 号`, date: today }, done: '区政府批复' }]);
    await act('yuanqu', [{ step: 'signed', fill: { signedOn: today, termMonths: '1' }, done: '签订协议书' }, { step: 'started', fill: { startedOn: today } as never, done: '开始实施' }]);
    await act('qiye', [{ step: 'extension_applied', fill: { reason: '设备到货延迟' }, done: '申请延期' }]);
    await act('yuanqu', [{ step: 'extension_decided', fill: { opinion: '同意延期' }, done: '延期决定' }]);
    expect(await page.textContent('[data-test="reuse-agreement"]')).toContain('延期 1 个月');
    await act('qiye', [{ step: 'acceptance_applied', fill: { completion: '新建标准厂房已投产', floorAreaRatio: '1.6', outputPerMu: '520' }, done: '验收申请' }]);
    expect(await page.textContent('[data-test="acceptance-compare"]')).toContain('1.60');
    await act('gongxin', [{ step: 'acceptance_opinion', fill: { opinion: '已投产' }, done: 'acceptance_opinion' }]);
    await act('yuanqu', [{ step: 'acceptance_reviewed', fill: { opinion: '已完成再利用目标' }, done: '验收核实' }]);
    await act('zhengfu', [{ step: 'accepted', fill: { date: today }, done: '区政府核准验收' }]);
    await act('yuanqu', [{ step: 'certificate_issued', done: '发出验收核准书' }]);
    expect(await page.textContent('[data-test="reuse-certificate"]')).toMatch(/HZ-\d{4}-\d{4}/);
    await look('reuse-accepted');
    const certificate = (await page.textContent('[data-test="reuse-certificate"]'))!.split('（')[0].trim();

    // 附件12 and 附件13 from their tabs.
    await logIn('ziranziyuan');
    for (const [report, expected] of [['annex12', `湖政〔${year}〕88 号`], ['annex13', certificate]] as const) {
      await page.goto(`${session.origin}/#/identification?tab=${report}`);
      await page.waitForSelector(`[data-test="${report}-download"]`, { timeout: 60_000 });
      const href = await page.getAttribute(`[data-test="${report}-download"]`, 'href');
      const file = await page.request.get(`${session.origin}${href}`);
      expect(file.status()).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await file.body()) as never);
      const texts: string[] = [];
      workbook.worksheets[0].eachRow((row) => texts.push((row.values as unknown[]).map(String).join('|')));
      expect(texts.some((text) => text.includes(expected)), `${report} lists the project`).toBe(true);
    }
    await look('reuse-annex13');
    expect(session.errors).toEqual([]);
  }, 600_000);
});
