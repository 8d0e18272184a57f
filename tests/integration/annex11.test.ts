import { createHash, randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportOverview, ReportSubmission } from '../../domain/api/reports.schemas.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import { parsePeriod, periodOfDate, periodState, type ReportSchedules } from '../../domain/reports/report-schedules.js';
import { squareMetresToMu } from '../../domain/units.js';
import { makePrincipal } from '../../server/auth/principal.js';
import { writeAs } from '../../server/db/actor.js';
import { ANNEX11_COLUMNS, ANNEX11_COLUMN_NUMBERS, ANNEX11_NOTES } from '../../server/reports/annex11-workbook.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 16 item 6: 附件11 低效产业用地认定情况汇总表 read back with exceljs — the seed's title, two-level
 * merged headers, column numbers, one row per notified case (土地面积 = registered area in 亩), totals
 * that tie out, real dates — per district and for the city within the reader's scope; and the
 * monthly submissions (who, when, the frozen file, overdue periods), refused to roles that may not submit.
 */
let testApp: TestApp;
const sessions: Record<string, Session> = {};
const tag = randomBytes(3).toString('hex');
const OWNER_A = `附件11测试甲公司${tag}`;
const OWNER_B = `附件11测试乙公司${tag}`;
const OWNER_SIMING = `附件11测试思明公司${tag}`;
const AREA_A_M2 = 12_345.67;
let parcelA: number;
let parcelB: number;
let simingParcel: number;
const notices: Record<string, string> = {};
const today = todayInChinaDate();

const ACCOUNTS = ['admin', 'ziranziyuan', 'yuanqu', 'fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen', 'zhengfu', 'qiye', 'viewer', 'planner-huli'] as const;
type Account = (typeof ACCOUNTS)[number];

async function step(account: Account, caseId: number, name: string, payload: Record<string, unknown> = {}) {
  const response = await sessions[account].request({ method: 'POST', url: `/api/identification/cases/${caseId}/steps/${name}`, payload });
  expect(response.statusCode, `${account} ${name}: ${response.body.slice(0, 300)}`).toBe(200);
  return response.json();
}

/** One 园区 parcel from 列入清单 to 告知 through the API, each step by its account. */
async function notifyHuli(parcelId: number): Promise<string> {
  const opened = await sessions.ziranziyuan.request({ method: 'POST', url: '/api/identification/cases', payload: { parcelId } });
  expect(opened.statusCode, opened.body).toBe(201);
  const id = opened.json().id as number;
  await step('yuanqu', id, 'survey_sent');
  await step('yuanqu', id, 'survey_returned', { fields: { floorAreaRatio: 0.4 } });
  await step('yuanqu', id, 'verified', { outcome: 'confirmed' });
  await step('yuanqu', id, 'preliminary', { inefficient: true, reasons: '容积率0.4，亩均税收低于标准', types: ['low_output', 'idle'], measures: ['self_renewal'] });
  for (const department of ['fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen'] as const) await step(department, id, 'review_opinion', { agree: true, opinion: '同意' });
  await step('yuanqu', id, 'joint_review', { meets: true, opinion: '五部门均同意' });
  await step('zhengfu', id, 'approved', { decision: 'approve' });
  return (await step('yuanqu', id, 'notified')).noticeNumber as string;
}

/** A 思明区 parcel to 告知 through the service: an administrator for the office's steps, department principals for the opinions. */
async function notifySiming(parcelId: number): Promise<string> {
  const app = testApp.app;
  const admin = makePrincipal({ id: 1, username: 'admin', role: 'admin', unrestricted: true });
  const as = <T>(name: string, work: Parameters<typeof writeAs<T>>[2]) => writeAs(app.db, { name }, work);
  const opened = await as('admin', (transaction) => app.identificationCases.open(transaction, { parcelId, principal: admin }));
  const id = Number(opened.id);
  const take = (principal: typeof admin, name: string, body: Record<string, unknown>) =>
    as(principal.username, (transaction) => app.identificationCases.takeStep(transaction, id, name as never, body as never, principal));
  await take(admin, 'survey_sent', {});
  await take(admin, 'survey_returned', { fields: { floorAreaRatio: 0.3 } });
  await take(admin, 'verified', { outcome: 'confirmed' });
  await take(admin, 'preliminary', { inefficient: true, reasons: '闲置', types: ['idle'], measures: ['self_renewal'] });
  for (const department of ['fagai', 'ziranziyuan', 'gongxin', 'keji', 'shengtai']) {
    await take(makePrincipal({ id: 2, username: `test-${department}`, role: 'department', department: department as never, unrestricted: true }), 'review_opinion', { agree: true, opinion: '同意' });
  }
  await take(admin, 'joint_review', { meets: true, opinion: '同意' });
  await take(admin, 'approved', { decision: 'approve' });
  await take(admin, 'notified', {});
  return (await app.identificationRepository.find(id))!.noticeNumber!;
}

async function workbookOf(account: Account, district: string, period?: string): Promise<{ workbook: ExcelJS.Workbook; body: Buffer; fileName: string }> {
  const response = await sessions[account].get(`/api/reports/annex11/workbook?district=${district}${period ? `&period=${period}` : ''}`);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const disposition = String(response.headers['content-disposition']);
  return { workbook, body: response.rawPayload, fileName: decodeURIComponent(disposition.split("filename*=UTF-8''")[1]) };
}

/** The data rows of a sheet: numbered rows from row 6 until the 合计 row (a city sheet's 小计 rows left out). */
function dataRows(sheet: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  for (let number = 6; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    if (String(row.getCell(1).value ?? '').startsWith('合计')) break;
    if (typeof row.getCell(1).value === 'number') rows.push(row);
  }
  return rows;
}

function totalRow(sheet: ExcelJS.Worksheet): ExcelJS.Row {
  for (let number = 6; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    if (String(row.getCell(1).value ?? '').startsWith('合计')) return row;
  }
  throw new Error('no 合计 row');
}

const cellText = (row: ExcelJS.Row, column: number) => String(row.getCell(column).value ?? '');
const rowOf = (sheet: ExcelJS.Worksheet, owner: string) => dataRows(sheet).find((row) => row.getCell(2).value === owner);

beforeAll(async () => {
  testApp = await createTestApp();
  for (const account of ACCOUNTS) sessions[account] = await login(testApp.app, account);
  const db = testApp.database.db;
  const me = (await sessions.yuanqu.get('/api/auth/me')).json() as { user: { units: string[] } };
  const [park] = me.user.units;
  // Parcels no other file opens cases on: of yuanqu's 园区, counted from the top at 20 and 21; a 思明区 one at 30.
  const pick = async (where: ReturnType<typeof sql>, offset: number) => Number((await sql<{ id: number }>`
    SELECT p.id FROM parcels p WHERE ${where} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      AND NOT EXISTS (SELECT FROM enterprise_parcels e WHERE e.parcel_id = p.id)
    ORDER BY p.id DESC OFFSET ${offset} LIMIT 1`.execute(db)).rows[0].id);
  parcelA = await pick(sql`p.park_code = ${park}`, 20);
  parcelB = await pick(sql`p.park_code = ${park}`, 21);
  simingParcel = await pick(sql`p.district_code = '350203'`, 30);
  await writeAs(db, { name: 'test' }, async (transaction) => {
    await sql`UPDATE parcels SET owner = ${OWNER_A}, registered_area_m2 = ${AREA_A_M2}, location = '湖里区测试路1号', contract_no = 'HT-2019-001',
      certificate_no = '闽(2019)厦门市不动产权第0000001号', land_use_code = '0601', planned_function = '工业', floor_area_ratio = 0.42,
      building_coverage = 0.285, investment_intensity = 120.5, output_per_mu = 48.25, tax_per_mu = 0.9 WHERE id = ${parcelA}`.execute(transaction);
    await sql`UPDATE parcels SET owner = ${OWNER_B}, registered_area_m2 = NULL WHERE id = ${parcelB}`.execute(transaction);
    await sql`UPDATE parcels SET owner = ${OWNER_SIMING}, registered_area_m2 = 6666.7 WHERE id = ${simingParcel}`.execute(transaction);
  });
  notices.a = await notifyHuli(parcelA);
  notices.b = await notifyHuli(parcelB);
  notices.siming = await notifySiming(simingParcel);
}, 600_000);
afterAll(async () => {
  await testApp?.close();
});

describe('附件11 as Excel, laid out as the seed\'s form', () => {
  it('has the title, 填报单位, 填报时间, the two-level merged header in the seed\'s words, the column numbers ①–⑰ and the 说明 lines', async () => {
    const { workbook, fileName } = await workbookOf('ziranziyuan', '350206');
    expect(fileName).toMatch(/^厦门市湖里区_附件11低效产业用地认定情况汇总表_\d{4}年\d{1,2}月_\d{8}\.xlsx$/);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['湖里区']);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('厦门市湖里区低效产业用地认定情况汇总表');
    expect(sheet.getCell('A2').value).toBe('填报单位（盖章）：厦门市湖里区人民政府');
    const [year, month, day] = today.split('-').map(Number);
    expect(sheet.getCell('K2').value).toBe(`填报时间：${year}年${month}月${day}日`);
    // Two levels: 17 columns, 利用现状 over H–N, every other header over rows 3–4.
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toContain('A1:Q1');
    expect(merges).toContain('H3:N3');
    for (const letter of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'O', 'P', 'Q']) expect(merges, letter).toContain(`${letter}3:${letter}4`);
    const top = ['序号', '土地使用权人', '所在镇、街道或园区名称', '土地位置', '土地面积(亩)', '土地出让合同号', '不动产权证/国有土地使用证号',
      '利用现状', '利用现状', '利用现状', '利用现状', '利用现状', '利用现状', '利用现状', '低效产业用地认定时间(年-月-日)', '低效产业用地认定类型', '备注'];
    expect(Array.from({ length: 17 }, (_, index) => sheet.getCell(3, index + 1).value)).toEqual(top);
    expect(Array.from({ length: 7 }, (_, index) => sheet.getCell(4, index + 8).value)).toEqual(
      ['土地用途', '规划用地功能', '容积率', '建筑密度(%)', '投资强度(万元/亩)', '地均生产总值(万元/亩)', '地均税收总额(万元/亩)']);
    expect(ANNEX11_COLUMNS).toHaveLength(17);
    expect(Array.from({ length: 17 }, (_, index) => sheet.getCell(5, index + 1).value)).toEqual(ANNEX11_COLUMN_NUMBERS);
    expect(ANNEX11_COLUMN_NUMBERS[0]).toBe('①');
    expect(ANNEX11_COLUMN_NUMBERS[16]).toBe('⑰');
    const texts = Array.from({ length: sheet.rowCount }, (_, index) => String(sheet.getCell(index + 1, 1).value ?? ''));
    for (const note of ANNEX11_NOTES) expect(texts).toContain(note);
    expect(texts.find((text) => text.startsWith('说明：1.土地位置'))).toBe('说明：1.土地位置：填写土地使用权出让合同或者不动产权证/国有土地使用证记载位置');
    // Print: A4 landscape, one page wide, header rows repeated; frozen under the header.
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '3:5' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
  });

  it('has one row per notified case: 土地面积 = registered area in 亩 (not the ellipsoidal), numbers as numbers, the 告知书 date as a date', async () => {
    const { workbook } = await workbookOf('ziranziyuan', '350206');
    const sheet = workbook.worksheets[0];
    const a = rowOf(sheet, OWNER_A)!;
    expect(a, 'row of parcel A').toBeDefined();
    const { rows: [parcel] } = await sql<{ area_m2: number; notice_date: string; unit: string }>`
      SELECT p.area_m2, c.notice_date, s.name AS unit FROM parcels p JOIN identification_cases c ON c.parcel_id = p.id
        JOIN subdistricts s ON s.code = p.park_code WHERE p.id = ${parcelA}`.execute(testApp.database.db);
    const mu = Math.round(squareMetresToMu(AREA_A_M2) * 100) / 100;
    expect(a.getCell(5).value).toBe(mu);
    expect(mu).toBe(18.52);
    expect(a.getCell(5).value).not.toBeCloseTo(squareMetresToMu(parcel.area_m2), 1);
    expect(a.getCell(5).numFmt).toBe('#,##0.00');
    expect(a.getCell(3).value).toBe(parcel.unit);
    expect([a.getCell(4).value, a.getCell(6).value, a.getCell(7).value, a.getCell(8).value, a.getCell(9).value]).toEqual(
      ['湖里区测试路1号', 'HT-2019-001', '闽(2019)厦门市不动产权第0000001号', '工业用地', '工业']);
    expect([a.getCell(10).value, a.getCell(11).value, a.getCell(12).value, a.getCell(13).value, a.getCell(14).value]).toEqual([0.42, 28.5, 120.5, 48.25, 0.9]);
    const date = a.getCell(15).value;
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString().slice(0, 10)).toBe(parcel.notice_date);
    expect(a.getCell(15).numFmt).toBe('yyyy-mm-dd');
    expect(a.getCell(16).value).toBe('产出低效、闲置低效');
    expect(cellText(a, 17)).toContain(`告知书${notices.a}`);
    expect(cellText(a, 17)).toContain('本期新增');
    // No registered area: the cell is empty and the 备注 says so; never the ellipsoidal area.
    const b = rowOf(sheet, OWNER_B)!;
    expect(b.getCell(5).value).toBeNull();
    expect(cellText(b, 17)).toContain('登记面积未填');
    // Every row is a notified case of 湖里区 with a 告知书 up to today.
    const numbers = dataRows(sheet).map((row) => /告知书(\S+?)(；|$)/.exec(cellText(row, 17))![1]);
    const { rows: cases } = await sql<{ notice_number: string; district_code: string; state: string }>`
      SELECT notice_number, district_code, state FROM identification_cases WHERE notice_number = ANY(${numbers}::text[])`.execute(testApp.database.db);
    expect(cases).toHaveLength(numbers.length);
    expect(new Set(cases.map((row) => `${row.district_code} ${row.state}`))).toEqual(new Set(['350206 notified']));
    expect(dataRows(sheet).map((row) => row.getCell(1).value)).toEqual(dataRows(sheet).map((_, index) => index + 1));
  });

  it('totals tie out: the 合计 row adds the 亩 of the rows above (a formula with its result), and counts them', async () => {
    const { workbook } = await workbookOf('ziranziyuan', '350206');
    const sheet = workbook.worksheets[0];
    const rows = dataRows(sheet);
    const total = totalRow(sheet);
    const sum = rows.reduce((acc, row) => acc + (typeof row.getCell(5).value === 'number' ? (row.getCell(5).value as number) : 0), 0);
    const value = total.getCell(5).value as { formula: string; result: number };
    expect(value.formula).toBe(`SUM(E6:E${5 + rows.length})`);
    expect(value.result).toBeCloseTo(sum, 6);
    expect(cellText(total, 1)).toBe(`合计（${rows.length}宗）`);
  });

  it('scope: a 湖里区 reader gets only 湖里区 rows, in the district and the city workbook; an administrator\'s city workbook has every district with subtotals', async () => {
    const huli = (await workbookOf('ziranziyuan', '350206')).workbook.worksheets[0];
    expect(rowOf(huli, OWNER_A)).toBeDefined();
    expect(rowOf(huli, OWNER_SIMING)).toBeUndefined();
    const city = (await workbookOf('ziranziyuan', '350200')).workbook;
    expect(city.worksheets.map((sheet) => sheet.name)).toEqual(['全市汇总', '湖里区']);
    expect(city.worksheets[0].getCell('A1').value).toBe('厦门市低效产业用地认定情况汇总表');
    expect(rowOf(city.worksheets[0], OWNER_SIMING)).toBeUndefined();
    const outside = await sessions.ziranziyuan.get('/api/reports/annex11/workbook?district=350203');
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203', name: '思明区' } });

    const whole = (await workbookOf('admin', '350200')).workbook;
    expect(whole.worksheets.map((sheet) => sheet.name)).toEqual(['全市汇总', '思明区', '海沧区', '湖里区', '集美区', '同安区', '翔安区']);
    const summary = whole.worksheets[0];
    expect(rowOf(summary, OWNER_SIMING)).toBeDefined();
    expect(rowOf(summary, OWNER_A)).toBeDefined();
    expect(rowOf(whole.getWorksheet('思明区')!, OWNER_SIMING)!.getCell(5).value).toBe(10);
    // Subtotals per district; the 合计 adds the data rows only.
    const texts = Array.from({ length: summary.rowCount }, (_, index) => String(summary.getCell(index + 1, 1).value ?? ''));
    expect(texts.some((text) => text.startsWith('思明区小计'))).toBe(true);
    expect(texts.some((text) => text.startsWith('湖里区小计'))).toBe(true);
    let dataSum = 0;
    let count = 0;
    summary.eachRow((row) => {
      if (typeof row.getCell(1).value === 'number' && row.number > 5) {
        count++;
        if (typeof row.getCell(5).value === 'number') dataSum += row.getCell(5).value as number;
      }
    });
    const total = totalRow(summary);
    expect((total.getCell(5).value as { result: number }).result).toBeCloseTo(dataSum, 6);
    expect(cellText(total, 1)).toBe(`合计（${count}宗）`);
  });

  it('refuses what it cannot make: a bad or future period (400 naming period), an unknown district (404), the enterprise (403)', async () => {
    const bad = await sessions.ziranziyuan.get('/api/reports/annex11/workbook?district=350206&period=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toBe('period');
    const future = await sessions.ziranziyuan.get(`/api/reports/annex11/workbook?district=350206&period=${Number(today.slice(0, 4)) + 1}-01`);
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ parameter: 'period' });
    expect(future.json().message).toContain('尚未开始');
    const quarter = await sessions.ziranziyuan.get('/api/reports/annex11/workbook?district=350206&period=2026-Q1');
    expect(quarter.statusCode).toBe(400);
    expect(quarter.json().message).toContain('按月');
    expect((await sessions.ziranziyuan.get('/api/reports/annex11/workbook?district=999999')).statusCode).toBe(404);
    const enterprise = await sessions.qiye.get('/api/reports/annex11/workbook?district=350206');
    expect(enterprise.statusCode).toBe(403);
    expect(enterprise.json()).toMatchObject({ error: 'forbidden', action: 'cases:read' });
  });

  it('a past period lists only the 告知书 up to its end', async () => {
    const past = periodOfDate(schedule(), '2019-06-15').period;
    const { workbook } = await workbookOf('ziranziyuan', '350206', past);
    const sheet = workbook.worksheets[0];
    expect(dataRows(sheet)).toHaveLength(0);
    expect(String(sheet.getCell(6, 1).value)).toContain('没有已发出认定告知书');
    expect(cellText(totalRow(sheet), 1)).toBe('合计（0宗）');
  });
});

function schedule() {
  return (testApp.app.reportsService.scheduleOf('annex11')) as ReportSchedules['reports'][string];
}

describe('submissions: 每月25日前 to 市自然资源、工信局, who, when, the file frozen', () => {
  let first: ReportSubmission;

  it('the demo city files one 附件11 (the current period, by ziranziyuan) once', async () => {
    const { DEMO_SUBMISSION_NOTE, ensureDemoReportSubmission } = await import('../../server/demo/demo-cases.js');
    const before = (await sql<{ count: number }>`SELECT count(*)::int AS count FROM report_submissions WHERE report_code = 'annex11' AND district_code = '350206'`.execute(testApp.database.db)).rows[0].count;
    // Files one unless the district has filed already (another test file of the run may have).
    expect(await ensureDemoReportSubmission(testApp.app, () => undefined)).toBe(before === 0 ? 1 : 0);
    expect(await ensureDemoReportSubmission(testApp.app, () => undefined)).toBe(0);
    if (before === 0) {
      const overview = (await sessions.ziranziyuan.get('/api/reports/annex11/submissions?district=350206')).json() as ReportOverview;
      expect(overview.submissions[0]).toMatchObject({ submittedBy: 'ziranziyuan', note: DEMO_SUBMISSION_NOTE, period: periodOfDate(schedule(), today).period, status: 'submitted' });
      expect(overview.submissions[0].rowCount).toBeGreaterThanOrEqual(2);
    }
  });

  it('the 区自然资源部门 submits a period: the file is frozen, who and when recorded, on the audit log', async () => {
    const period = periodOfDate(schedule(), today).period;
    const response = await sessions.ziranziyuan.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period, note: '本月汇总' } });
    expect(response.statusCode, response.body).toBe(201);
    assertMatchesContract(ReportSubmission, response.json(), 'submission');
    first = response.json();
    expect(first).toMatchObject({ report: 'annex11', districtCode: '350206', districtName: '湖里区', period, status: 'submitted', submittedBy: 'ziranziyuan',
      recipients: ['市自然资源局', '市工信局'], onTime: true, note: '本月汇总' });
    expect(first.rowCount).toBeGreaterThanOrEqual(2);
    expect(first.dueDate).toBe(parsePeriod(schedule(), period)!.dueDate);
    const file = await sessions.viewer.get(first.downloadUrl);
    expect(file.statusCode).toBe(200);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(first.sha256);
    const frozen = new ExcelJS.Workbook();
    await frozen.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(rowOf(frozen.worksheets[0], OWNER_A)).toBeDefined();
    const { rows: history } = await sql<{ actor: string; action: string; request_id: string | null }>`
      SELECT actor, action, request_id FROM history WHERE entity = 'report_submissions' AND entity_id = ${String(first.id)}`.execute(testApp.database.db);
    expect(history).toEqual([expect.objectContaining({ actor: 'ziranziyuan', action: 'insert' })]);
    expect(history[0].request_id).toBeTruthy();
  });

  it('a second submission of the period supersedes the first, which stays on record and downloadable', async () => {
    const response = await sessions.admin.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period: first.period } });
    expect(response.statusCode, response.body).toBe(201);
    const second = response.json() as ReportSubmission;
    const overview = (await sessions.ziranziyuan.get('/api/reports/annex11/submissions?district=350206')).json() as ReportOverview;
    assertMatchesContract(ReportOverview, overview, 'overview');
    expect(overview.submissions.find((entry) => entry.id === first.id)).toMatchObject({ status: 'superseded', supersededBy: second.id });
    expect(overview.periods.find((entry) => entry.period === first.period)).toMatchObject({ state: 'submitted', submission: { id: second.id } });
    expect((await sessions.ziranziyuan.get(first.downloadUrl)).statusCode).toBe(200);
    expect(overview.maySubmit).toBe(true);
  });

  it('lists the periods since the first with where each stands: a late submission, an overdue period, the current one', async () => {
    const s = schedule();
    const current = periodOfDate(s, today);
    const start = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - 3, 1)).toISOString().slice(0, 10);
    const old = periodOfDate(s, start);
    const late = await sessions.ziranziyuan.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period: old.period } });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({ onTime: false, period: old.period });
    const overview = (await sessions.viewer.get('/api/reports/annex11/submissions?district=350206')).json() as ReportOverview;
    expect(overview.maySubmit).toBe(false);
    expect(overview.periods[0].period).toBe(current.period);
    expect(overview.periods.at(-1)).toMatchObject({ period: old.period, state: 'late', stateLabel: '逾期报送' });
    const next = overview.periods.at(-2)!;
    expect(next.state).toBe(periodState(parsePeriod(s, next.period)!, today, null));
    expect(next.state).toBe('overdue');
    expect(next.stateLabel).toBe('逾期未报');
    expect(overview.periods).toHaveLength(4);
    expect(overview.report).toMatchObject({ annex: '附件11', recipients: ['市自然资源局', '市工信局'] });
    expect(overview.report.source).toContain('每月25日前');
  });

  it('refuses roles that may not submit (403 naming the action), another district (out_of_scope), the city (400), a future period (400)', async () => {
    const period = periodOfDate(schedule(), today).period;
    for (const account of ['yuanqu', 'viewer', 'zhengfu', 'fagai', 'planner-huli', 'qiye'] as const) {
      const refused = await sessions[account].request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period } });
      expect(refused.statusCode, account).toBe(403);
      expect(refused.json(), account).toMatchObject({ error: 'forbidden', action: 'reports:submit' });
    }
    const siming = await sessions.ziranziyuan.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350203', period } });
    expect(siming.statusCode).toBe(403);
    expect(siming.json()).toMatchObject({ error: 'out_of_scope', district: { code: '350203' } });
    const city = await sessions.admin.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350200', period } });
    expect(city.statusCode).toBe(400);
    expect(city.json().parameter).toBe('district');
    const future = await sessions.admin.request({ method: 'POST', url: '/api/reports/annex11/submissions', payload: { district: '350206', period: `${Number(today.slice(0, 4)) + 1}-01` } });
    expect(future.statusCode).toBe(400);
    const outsideRead = await sessions.ziranziyuan.get('/api/reports/annex11/submissions?district=350203');
    expect(outsideRead.statusCode).toBe(403);
    const missing = await sessions.admin.get('/api/reports/submissions/999999999/file');
    expect(missing.statusCode).toBe(404);
    const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM report_submissions WHERE district_code = '350203'`.execute(testApp.database.db);
    expect(rows[0].count).toBe(0);
  });

  it('a submission is on record: the database refuses to change or delete it', async () => {
    const db = testApp.database.db;
    await expect(sql`UPDATE report_submissions SET note = 'x' WHERE id = ${first.id}`.execute(db)).rejects.toThrow(/written once/);
    await expect(sql`DELETE FROM report_submissions WHERE id = ${first.id}`.execute(db)).rejects.toThrow();
    await expect(sql`UPDATE report_submission_contents SET content = '\\x00' WHERE submission_id = ${first.id}`.execute(db)).rejects.toThrow();
  });
});
