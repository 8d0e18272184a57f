import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail } from '../../domain/api/identification.schemas.js';
import { todayInChinaDate } from '../../domain/identification/working-days.js';
import { writeAs } from '../../server/db/actor.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, patchParcel, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 16 item 5: the 认定 forms of seed 003 printed from a case as A4 PDFs through real Chromium —
 * 附件1 调查表（认定） from the 用地单位's snapshot over the card, 附件2 审核表 with each 会审 department's
 * opinion (and blank 盖章 blocks for those not yet given), 附件3 告知书 with its number, addressee, land,
 * reasons, deadline and 抄送 — read back with pdftotext/pdfinfo/pdffonts; refusals before the step a
 * form needs (409 form_not_ready), for the enterprise's 附件2 and for another enterprise's case.
 */
let testApp: TestApp;
const sessions: Record<string, Session> = {};
const ACCOUNTS = ['admin', 'ziranziyuan', 'yuanqu', 'qiye', 'fagai', 'gongxin', 'keji', 'zrzy-huishen', 'shengtai', 'zhengfu', 'viewer', 'jiedao'] as const;
type Account = (typeof ACCOUNTS)[number];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-forms-test-'));

const OWNER = '厦门表单测试机械有限公司';
const CARD = {
  owner: OWNER, registeredAreaM2: 20000, location: '湖里区表单测试路88号', contractNo: 'HL-CR-2011-088', certificateNo: '闽(2012)厦门市不动产权第0088888号',
  landUseCode: '0601', agreedFloorAreaRatio: 1.2, agreedInvestmentIntensity: 300, investmentAgreementNo: 'HL-TZ-2011-017',
};
const SURVEY = {
  floorAreaRatio: 0.42, taxPerMu: 0.7, outputPerMu: 38.5, investedAmount: 1500, floorAreaM2: 8400, productionStop: '2025-06-30',
  meetsSafety: true, meetsEnvironment: false, environmentNote: '废水处理设施待整改', adminFacilityShare: 0.06,
};
const REASONS = '容积率0.42，亩均税收0.7万元，低于本区认定标准';

let caseId: number;
let caseNumber: string;
/** A case of a parcel not linked to qiye (another enterprise's). */
let otherCaseId: number;

function post(account: Account, url: string, payload: Record<string, unknown>) {
  return sessions[account].request({ method: 'POST', url, payload });
}

async function step(account: Account, id: number, name: string, payload: Record<string, unknown> = {}): Promise<CaseDetail> {
  const response = await post(account, `/api/identification/cases/${id}/steps/${name}`, payload);
  expect(response.statusCode, `${account} ${name}: ${response.body.slice(0, 400)}`).toBe(200);
  return response.json() as CaseDetail;
}

async function open(parcelId: number): Promise<CaseDetail> {
  const response = await post('ziranziyuan', '/api/identification/cases', { parcelId, note: '表单打印测试' });
  expect(response.statusCode, response.body.slice(0, 400)).toBe(201);
  return response.json() as CaseDetail;
}

function formUrl(id: number, form: string, query = ''): string {
  return `/api/identification/cases/${id}/forms/${form}.pdf${query}`;
}

/** Downloads a form as `account`, checks the response, writes it to a file and returns the file. */
async function download(account: Account, form: string, query = ''): Promise<string> {
  const response = await sessions[account].get(formUrl(caseId, form, query));
  expect(response.statusCode, `${account} ${form}: ${response.body.slice(0, 400)}`).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  expect(String(response.headers['content-disposition'])).toMatch(/^attachment; filename="[ -~]+\.pdf"; filename\*=UTF-8''/);
  expect(decodeURIComponent(String(response.headers['content-disposition']).split("''")[1])).toContain(caseNumber);
  expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  const file = path.join(work, `${form}-${account}-${Date.now()}.pdf`);
  fs.writeFileSync(file, response.rawPayload);
  return file;
}

/** pdftotext's text in drawing order with every blank removed (a cell's wrapped lines join up again). */
function textOf(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** One A4 page, every font embedded with its Unicode map. */
function expectOneA4Page(file: string): void {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(Number(/^Pages:\s+(\d+)/m.exec(info)![1]), file).toBe(1);
  expect(/^Page size:\s+(.*)$/m.exec(info)![1]).toContain('(A4)');
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((line) => line.trim())
    .map((line) => line.trim().split(/\s+/).slice(-5, -2));
  expect(fonts.length).toBeGreaterThan(0);
  expect(fonts.filter(([embedded, , unicode]) => embedded !== 'yes' || unicode !== 'yes')).toEqual([]);
}

/** Every label appears, in this order. */
function expectInOrder(text: string, labels: readonly string[]): void {
  let from = 0;
  for (const label of labels) {
    const at = text.indexOf(label.replace(/\s+/g, ''), from);
    expect(at, `「${label}」 after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** 2026-03-05 → 2026年3月5日. */
function chineseDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

beforeAll(async () => {
  testApp = await createTestApp();
  for (const account of ACCOUNTS) sessions[account] = await login(testApp.app, account);
  const db = testApp.database.db;
  const me = (await sessions.yuanqu.get('/api/auth/me')).json() as { user: { units?: string[] } };
  const parkCode = me.user.units![0];
  // Parcels of the 园区 no other file opens cases on: further from the last ids than the case tests' picks.
  const pick = async (offset: number) => Number((await sql<{ id: number }>`
    SELECT p.id FROM parcels p WHERE p.park_code = ${parkCode} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
    ORDER BY p.id DESC OFFSET ${offset} LIMIT 1`.execute(db)).rows[0].id);
  const [parcelId, otherParcelId] = [await pick(20), await pick(21)];
  expect((await patchParcel(sessions.admin, parcelId, CARD)).statusCode).toBe(200);
  const opened = await open(parcelId);
  [caseId, caseNumber] = [opened.id, opened.number];
  otherCaseId = (await open(otherParcelId)).id;
  // The enterprise account is linked to the parcel (as the 园区办 grants it), after the case is open.
  await writeAs(db, { name: 'test' }, async (transaction) => {
    await sql`INSERT INTO enterprise_parcels (user_id, parcel_id) SELECT id, ${parcelId} FROM users WHERE username = 'qiye' ON CONFLICT DO NOTHING`.execute(transaction);
  });
  sessions.qiye = await login(testApp.app, 'qiye');
}, 180_000);
afterAll(async () => {
  await testApp?.close();
  if (process.env.BIAOTU_KEEP_FORMS) console.log(`forms kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
});

describe('附件1 产业用地使用效益调查表（认定）', () => {
  it('prints from the parcel card before any return: the seed\'s rows in the seed\'s order, the card\'s values, a blank 盖章 block', async () => {
    const file = await download('yuanqu', 'survey');
    expectOneA4Page(file);
    const text = textOf(file);
    expectInOrder(text, [
      '附件1', '产业用地使用效益调查表（认定）', `编号：${caseNumber}`, '土地使用要求', '用地单位（加盖公章）', '土地面积（亩）', '用地位置',
      '土地出让合同号', '容积率', '建筑密度', '约定竣工时间', '投资发展协议号', '约定投资强度（万元/亩）', '土地使用情况', '国民经济行业分类',
      '建筑面积（平方米）', '竣工时间', '投产时间', '停产时间', '投资强度（万元）', '容积率', '行政办公及生活服务设施用地所占比重（%）', '建筑系数',
      '亩均产值（万元/亩）', '亩均税收（万元/亩）', '未开发建设土地面积（亩）', '是否符合安全生产、环保、能耗等产业发展政策要求',
      '园区办（或者镇政府、街道办）调查核实情况及初步认定意见', '（盖章）', '年月日',
    ]);
    for (const value of [OWNER, '30.00', CARD.location, CARD.contractNo, CARD.investmentAgreementNo, '1.20', '300.00']) expect(text).toContain(value);
    expect(text).toContain('用地单位尚未填报');
    expect(text).toContain('用地单位填写');
  });

  it('after the enterprise\'s return and the office\'s 核实 and 初步认定: the snapshot\'s values, the 核实 and 初步认定 with its date; an older snapshot on request', async () => {
    await step('yuanqu', caseId, 'survey_sent', { opinion: '已发出附件1' });
    const first = await step('qiye', caseId, 'survey_returned', { fields: { ...SURVEY, taxPerMu: 0.9 } });
    const latest = await step('qiye', caseId, 'survey_returned', { fields: SURVEY });
    await step('yuanqu', caseId, 'verified', { outcome: 'confirmed', departments: ['fagai', 'ziranziyuan', 'gongxin', 'shuiwu'] });
    const preliminary = await step('yuanqu', caseId, 'preliminary', { inefficient: true, reasons: REASONS, types: ['low_output', 'stopped'], measures: ['self_renewal', 'transfer'] });
    assertMatchesContract(CaseDetail, preliminary, 'preliminary');

    const file = await download('qiye', 'survey');
    expectOneA4Page(file);
    const text = textOf(file);
    for (const value of ['0.42', '0.70', '38.50', '1,500.00', '8,400.00', '2025年6月30日', '6.00', '安全生产：符合', '环保：不符合（废水处理设施待整改）']) expect(text, value).toContain(value);
    expect(text).toContain(`第${latest.submissions[0].id}号`);
    expect(text).toContain('用地单位网上填报');
    expectInOrder(text, ['调查核实情况及初步认定意见', '会同发改、自然资源、工信、税务核实', '属低效产业用地', REASONS, '产出低效、停产半停产', '（盖章）', chineseDate(todayInChinaDate())]);

    const older = textOf(await download('yuanqu', 'survey', `?submission=${first.submissions[0].id}`));
    expect(older).toContain('0.90');
    expect(older).toContain(`第${first.submissions[0].id}号`);
    const foreign = await sessions.yuanqu.get(formUrl(caseId, 'survey', '?submission=999999999'));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: 'not_found', parameter: 'submission' });
  });
});

describe('附件2 低效产业用地认定审核表', () => {
  it('before 初步认定 is 409 form_not_ready naming the step; the enterprise may never have it (403)', async () => {
    const early = await sessions.yuanqu.get(formUrl(otherCaseId, 'review'));
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'form_not_ready', parameter: 'form', needs: 'preliminary', needsLabel: '初步认定', currentStep: 'listed' });
    expect(early.json().message).toContain('初步认定');
    const enterprise = await sessions.qiye.get(formUrl(caseId, 'review'));
    expect(enterprise.statusCode).toBe(403);
    expect(enterprise.json()).toMatchObject({ error: 'form_forbidden' });
    expect(enterprise.json().message).toContain('附件1');
  });

  it('with two opinions in: theirs filled (text, who, date), the other three blank with their 盖章 blocks', async () => {
    await step('fagai', caseId, 'review_opinion', { agree: true, opinion: '发改部门同意认定' });
    await step('shengtai', caseId, 'review_opinion', { agree: false, opinion: '环保整改未完成，暂不同意' });
    const file = await download('yuanqu', 'review');
    expectOneA4Page(file);
    const text = textOf(file);
    expectInOrder(text, [
      '附件2', '低效产业用地认定审核表', `编号：${caseNumber}`, '低效产业用地初步认定意见及理由', '园区办（或者镇政府、街道办）意见', '用地单位', OWNER, '土地面积（亩）', '30.00',
      '用地位置', CARD.location, '低效产业用地初步认定意见及理由', REASONS, '（盖章）', '低效产业用地认定会审意见', '区有关部门审查意见',
      '发改部门', '同意。发改部门同意认定', '（盖章）', '自然资源部门', '（盖章）', '年月日', '工信部门', '（盖章）', '年月日', '科技部门', '（盖章）', '年月日',
      '生态环境部门', '不同意。环保整改未完成，暂不同意', '（盖章）', '会审结论', '区政府、管委会意见', '（盖章）', '年月日',
    ]);
    // 初步认定 + 5 departments + 会审结论 + 区政府: eight 盖章 blocks.
    expect(count(text, '（盖章）')).toBe(8);
  });

  it('complete: the five opinions, the conclusion and the 区政府\'s approval, each with its date', async () => {
    for (const account of ['gongxin', 'keji', 'zrzy-huishen'] as const) await step(account, caseId, 'review_opinion', { agree: true, opinion: `${account} 同意` });
    await step('yuanqu', caseId, 'joint_review', { meets: true, opinion: '生态环境部门意见已由用地单位书面承诺整改，其余四部门同意，符合认定标准' });
    await step('zhengfu', caseId, 'approved', { decision: 'approve', opinion: '同意认定' });
    const text = textOf(await download('viewer', 'review'));
    const today = chineseDate(todayInChinaDate());
    expectInOrder(text, ['会审结论', '经会审，符合低效产业用地认定标准', '书面承诺整改', '区政府、管委会意见', '同意认定为低效产业用地', today]);
    expect(count(text, today)).toBeGreaterThanOrEqual(8);
    expect(text).not.toContain('年月日');
  });
});

describe('附件3 低效产业用地认定告知书', () => {
  it('before 告知 is 409 form_not_ready naming the step, for the office and the enterprise alike', async () => {
    for (const account of ['yuanqu', 'qiye'] as const) {
      const early = await sessions[account].get(formUrl(caseId, 'notice'));
      expect(early.statusCode, account).toBe(409);
      expect(early.json()).toMatchObject({ error: 'form_not_ready', needs: 'notified', needsLabel: '告知', currentStep: 'approved' });
      expect(early.json().message).toContain('告知');
    }
  });

  it('after 告知: its number, the 土地使用权人, the land, 认定类型 and reasons, the 1-month deadline, 抄送 and the issuing body with the date', async () => {
    const today = todayInChinaDate();
    const notified = await step('yuanqu', caseId, 'notified', { noticeDate: today, copies: ['区自然资源局', '区工信局', '区税务局'] });
    const file = await download('qiye', 'notice');
    expectOneA4Page(file);
    const text = textOf(file);
    expectInOrder(text, [
      '附件3', '低效产业用地认定告知书', `第${notified.noticeNumber}号`, `${OWNER}：`, '你司取得位于厦门市湖里区', CARD.location, '工业用地', '面积为', '30.00', '亩',
      '《国有建设用地使用权出让合同》号列：', CARD.contractNo, '《国有土地使用证》或《不动产登记证》号列：', CARD.certificateNo,
      '因该用地的投资建设存在', REASONS, '等低效利用情况', '汕府〔2018〕133号', '现认定为低效产业用地', '产出低效、停产半停产',
      '请你司在1个月内', chineseDate(notified.planDueDate!), '拟订《低效产业用地再利用方案》送我单位审核', '特此告知。',
      '（盖章）', chineseDate(today), '抄送：湖里区自然资源局、湖里区工信局、湖里区税务局',
    ]);
    expect(text).not.toContain('XX');
  });

  it('puts every download on the audit log as an export, with the actor, the form and the case', async () => {
    const { rows } = await sql<{ actor: string; entity_id: string; form: string; file_name: string }>`
      SELECT actor, entity_id, after ->> 'form' AS form, after ->> 'fileName' AS file_name FROM history
      WHERE entity = 'exports' AND action = 'export' AND after ->> 'caseNumber' = ${caseNumber} ORDER BY id`.execute(testApp.database.db);
    expect(rows.map((row) => [row.actor, row.entity_id])).toEqual([
      ['yuanqu', `${caseNumber}/survey`], ['qiye', `${caseNumber}/survey`], ['yuanqu', `${caseNumber}/survey`],
      ['yuanqu', `${caseNumber}/review`], ['viewer', `${caseNumber}/review`], ['qiye', `${caseNumber}/notice`],
    ]);
    expect(rows.at(-1)).toMatchObject({ form: '附件3 低效产业用地认定告知书', file_name: `附件3_低效产业用地认定告知书_${caseNumber}.pdf` });
  });
});

describe('who may print', () => {
  it('refuses the enterprise another enterprise\'s case, a role that cannot read cases, and a form that does not exist', async () => {
    const foreign = await sessions.qiye.get(formUrl(otherCaseId, 'survey'));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toContain('本单位');
    const planner = await login(testApp.app, 'planner');
    const refused = await planner.get(formUrl(caseId, 'survey'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('forbidden');
    const unknown = await sessions.yuanqu.get(formUrl(caseId, 'plan'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().parameter).toBe('form');
    expect((await sessions.yuanqu.get(formUrl(999999999, 'survey'))).statusCode).toBe(404);
  });
});
