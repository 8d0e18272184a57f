import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetail, CasePage, ParcelCases } from '../../domain/api/identification.schemas.js';
import { WorkingDays, addMonths, todayInChinaDate, type WorkingCalendar } from '../../domain/identification/working-days.js';
import type { Principal } from '../../server/auth/principal.js';
import { writeAs } from '../../server/db/actor.js';
import { WORKING_CALENDAR_FIXTURE } from '../../server/identification/identification.service.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { makeDocumentFiles } from '../helpers/document-files.js';
import { createTestApp, login, patchParcel, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 16 item 3: the 认定案卷 and its eight steps (seed 003 二.1–6) through HTTP against real
 * PostGIS, with the role accounts of the procedure: one open case per parcel, numbered; each step by
 * its role and unit; illegal steps (409 naming the allowed ones) and wrong roles/units (403 with the
 * reason); 附件1 snapshots applied to the card under the version guard; the 会审 local rule; the
 * 告知书 within 3 working days; the parcel's status following the case and locked while it is open.
 */
let testApp: TestApp;
const sessions: Record<string, Session> = {};
const days = new WorkingDays(JSON.parse(fs.readFileSync(WORKING_CALENDAR_FIXTURE, 'utf8')) as WorkingCalendar);
/** A 湖里区 parcel in the 园区 of `yuanqu`, linked to the enterprise `qiye`. */
let parkParcel: number;
/** Another parcel of the same 园区, not linked to `qiye`. */
let otherParkParcel: number;
/** A 园区外 parcel of the 街道 of `jiedao`. */
let streetParcel: number;
let parkCode: string;
/** The case of `otherParkParcel` (not the enterprise's). */
let otherCaseId: number;

const ACCOUNTS = ['admin', 'ziranziyuan', 'yuanqu', 'jiedao', 'fagai', 'gongxin', 'keji', 'shengtai', 'zrzy-huishen', 'shuiwu', 'zhengfu', 'qiye', 'official', 'viewer'] as const;
type Account = (typeof ACCOUNTS)[number];

function post(account: Account, url: string, payload: Record<string, unknown>) {
  return sessions[account].request({ method: 'POST', url, payload });
}

async function step(account: Account, caseId: number, name: string, payload: Record<string, unknown> = {}, expected = 200) {
  const response = await post(account, `/api/identification/cases/${caseId}/steps/${name}`, payload);
  expect(response.statusCode, `${account} ${name}: ${response.body.slice(0, 400)}`).toBe(expected);
  if (expected === 200) assertMatchesContract(CaseDetail, response.json(), name);
  return response.json();
}

async function open(parcelId: number, account: Account = 'ziranziyuan'): Promise<CaseDetail> {
  const response = await post(account, '/api/identification/cases', { parcelId, note: '产业用地清单（测试）' });
  expect(response.statusCode, response.body.slice(0, 400)).toBe(201);
  assertMatchesContract(CaseDetail, response.json(), 'open');
  return response.json() as CaseDetail;
}

async function parcelRow(id: number) {
  const { rows: [row] } = await sql<{ status: string; inefficiency_type: string | null; identified_at: string | null; version: number; floor_area_ratio: number | null }>`
    SELECT status, inefficiency_type, identified_at, version, floor_area_ratio FROM parcels WHERE id = ${id}`.execute(testApp.database.db);
  return row;
}

/** The 园区/街道 codes an account's scope names (Principal.units), read through the session's own answer. */
async function unitsOf(account: Account): Promise<string[]> {
  const me = (await sessions[account].get('/api/auth/me')).json() as { user: { units?: string[] } };
  return me.user.units ?? [];
}

const ALL_OPINIONS: [Account, boolean][] = [['fagai', true], ['gongxin', true], ['keji', true], ['zrzy-huishen', true], ['shengtai', false]];

beforeAll(async () => {
  testApp = await createTestApp();
  for (const account of ACCOUNTS) sessions[account] = await login(testApp.app, account);
  const db = testApp.database.db;
  [parkCode] = await unitsOf('yuanqu');
  const [streetCode] = await unitsOf('jiedao');
  // Parcels no other file opens cases on: of the units, the last ids, without a case yet.
  const pick = async (where: ReturnType<typeof sql>, offset: number) => (await sql<{ id: number }>`
    SELECT p.id FROM parcels p WHERE ${where} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
    ORDER BY p.id DESC OFFSET ${offset} LIMIT 1`.execute(db)).rows[0].id;
  parkParcel = await pick(sql`p.park_code = ${parkCode}`, 3);
  otherParkParcel = await pick(sql`p.park_code = ${parkCode}`, 4);
  streetParcel = await pick(sql`p.park_code IS NULL AND p.subdistrict_code = ${streetCode}`, 3);
  // The enterprise account is linked to the parcel it fills 附件1 for (as the 园区办 grants it).
  await writeAs(db, { name: 'test' }, async (transaction) => {
    await sql`INSERT INTO enterprise_parcels (user_id, parcel_id) SELECT id, ${parkParcel} FROM users WHERE username = 'qiye' ON CONFLICT DO NOTHING`.execute(transaction);
  });
  sessions.qiye = await login(testApp.app, 'qiye');
}, 180_000);
afterAll(async () => {
  await testApp.close();
});

describe('列入清单: one open case per parcel, numbered per district and year', () => {
  it('opens a case as 区自然资源部门, recording the 园区 and the responsible unit; a second open case is 409 case_open naming it', async () => {
    const opened = await open(otherParkParcel);
    otherCaseId = opened.id;
    const year = todayInChinaDate().slice(0, 4);
    expect(opened.number).toMatch(new RegExp(`^350206-RD-${year}-\\d{4}$`));
    expect(opened).toMatchObject({ parcelId: otherParkParcel, unitKind: 'park', unitCode: parkCode, parkCode, state: 'open', step: 'listed', nextSteps: ['survey_sent'] });
    expect(opened.steps).toHaveLength(1);
    expect(opened.steps[0]).toMatchObject({ step: 'listed', actor: 'ziranziyuan', role: 'resources', details: { list: '园区内', parkCode } });
    expect(opened.dueDate).toBe(days.addWorkingDays(todayInChinaDate(), 10).date);
    const again = await post('ziranziyuan', '/api/identification/cases', { parcelId: otherParkParcel });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'case_open', caseNumber: opened.number });
    expect(again.json().message).toContain(opened.number);

    const street = await open(streetParcel);
    expect(street.unitKind).toBe('street');
    expect(street.steps[0].details).toMatchObject({ list: '园区外' });
    const sequence = (number: string) => Number(number.slice(-4));
    expect(sequence(street.number)).toBeGreaterThan(sequence(opened.number));
  });

  it('lets only 区自然资源部门 (and admins) list: a 园区办 gets 403, a bad parcel id 400 naming the field', async () => {
    const refused = await post('yuanqu', '/api/identification/cases', { parcelId: parkParcel });
    expect(refused.statusCode).toBe(403);
    const bad = await post('ziranziyuan', '/api/identification/cases', { parcelId: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().parameter).toBe('parcelId');
  });
});

describe('the steps of one case, 列入清单 → 告知, each by its role and unit', () => {
  let caseId: number;
  let caseNumber: string;
  let documentId: number;

  it('refuses an illegal step with 409 naming the allowed next steps and who takes them, and a wrong unit with 403 and the reason', async () => {
    const opened = await open(parkParcel);
    caseId = opened.id;
    caseNumber = opened.number;
    const early = await post('yuanqu', `/api/identification/cases/${caseId}/steps/verified`, { outcome: 'confirmed' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'step_not_allowed', currentStep: 'listed', allowed: [{ step: 'survey_sent' }] });
    expect(early.json().message).toContain('调查表发出');
    expect(early.json().message).toContain('园区办');
    const street = await post('jiedao', `/api/identification/cases/${caseId}/steps/survey_sent`, {});
    expect(street.statusCode).toBe(403);
    expect(street.json().error).toBe('step_forbidden');
    expect(street.json().message).toContain('园区办');
    const department = await post('fagai', `/api/identification/cases/${caseId}/steps/survey_sent`, {});
    expect(department.statusCode).toBe(403);
    const bad = await post('yuanqu', `/api/identification/cases/${caseId}/steps/survey_sent`, { opinion: 7, unknown: true });
    expect(bad.statusCode).toBe(400);
  });

  it('调查表发出 with an attachment from the parcel\'s documents; a document of another parcel is refused naming it', async () => {
    const files = await makeDocumentFiles();
    const boundary = `----case${randomBytes(6).toString('hex')}`;
    const pdf = Buffer.concat([files.pdf, Buffer.from(`\n%${randomBytes(6).toString('hex')}\n`)]);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="调查表发出通知.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await sessions.yuanqu.request({ method: 'POST', url: `/api/parcels/${parkParcel}/documents`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(uploaded.statusCode, uploaded.body.slice(0, 300)).toBe(201);
    documentId = uploaded.json().id;
    const foreign = await post('yuanqu', `/api/identification/cases/${caseId}/steps/survey_sent`, { documentIds: [documentId + 1_000_000] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ error: 'not_a_case_document', parameter: 'documentIds' });
    const sent = await step('yuanqu', caseId, 'survey_sent', { opinion: '已向用地单位发出附件1', documentIds: [documentId] });
    expect(sent.step).toBe('survey_sent');
    const entry = sent.steps.at(-1);
    expect(entry).toMatchObject({ step: 'survey_sent', actor: 'yuanqu', role: 'park_office', unitCode: parkCode, opinion: '已向用地单位发出附件1', documentIds: [documentId] });
  });

  it('调查表回收: the enterprise fills 附件1 online for its own parcel only; each submission is a snapshot', async () => {
    const filled = await step('qiye', caseId, 'survey_returned', { fields: { floorAreaRatio: 0.4, taxPerMu: 0.8, outputPerMu: 35, meetsSafety: true } });
    expect(filled.submissions).toHaveLength(1);
    expect(filled.submissions[0]).toMatchObject({ via: 'online', submittedBy: 'qiye', fields: { floorAreaRatio: 0.4, taxPerMu: 0.8 }, appliedAt: null });
    await step('yuanqu', otherCaseId, 'survey_sent');
    const notOwn = await post('qiye', `/api/identification/cases/${otherCaseId}/steps/survey_returned`, { fields: { taxPerMu: 1 } });
    expect(notOwn.statusCode).toBe(403);
    expect(notOwn.json().message).toContain('本单位');
    expect((await sessions.qiye.get(`/api/identification/cases/${otherCaseId}`)).statusCode).toBe(403);
    const badValue = await post('qiye', `/api/identification/cases/${caseId}/steps/survey_returned`, { fields: { floorAreaRatio: -1 } });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().parameter).toContain('floorAreaRatio');
    const myCases = await sessions.qiye.get('/api/identification/my-cases');
    expect(myCases.statusCode).toBe(200);
    assertMatchesContract(ParcelCases, myCases.json(), 'my-cases');
    expect((myCases.json() as ParcelCases).items.map((item) => item.id)).toContain(caseId);
    expect((await sessions.qiye.get('/api/identification/cases')).statusCode).toBe(403);
  });

  it('核实 may send the case back (一次告知, listing the 佐证材料); the office then enters the form from paper', async () => {
    const missing = await post('yuanqu', `/api/identification/cases/${caseId}/steps/verified`, { outcome: 'sent_back' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().parameter).toBe('materials');
    const back = await step('yuanqu', caseId, 'verified', { outcome: 'sent_back', materials: ['近三年纳税证明', '停产说明'], departments: ['fagai', 'shuiwu'] });
    expect(back.nextSteps).toEqual(['survey_returned']);
    const paper = await step('yuanqu', caseId, 'survey_returned', { fields: { floorAreaRatio: 0.45, taxPerMu: 0.6, investedAmount: 1200 } });
    expect(paper.submissions.map((submission: { via: string }) => submission.via)).toEqual(['paper', 'online']);
    const verified = await step('yuanqu', caseId, 'verified', { outcome: 'confirmed', departments: ['fagai', 'ziranziyuan', 'gongxin', 'shuiwu'] });
    expect(verified.nextSteps).toEqual(['preliminary']);
  });

  it('applies the latest submission to the parcel card as one versioned, history-keeping update, once', async () => {
    const detail = (await sessions.yuanqu.get(`/api/identification/cases/${caseId}`)).json() as CaseDetail;
    const latest = detail.submissions[0];
    const before = await parcelRow(parkParcel);
    const stale = await post('yuanqu', `/api/identification/cases/${caseId}/submissions/${latest.id}/apply`, { expectedVersion: before.version - 1 || 999 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toBe('stale_version');
    const applied = await post('yuanqu', `/api/identification/cases/${caseId}/submissions/${latest.id}/apply`, { expectedVersion: before.version });
    expect(applied.statusCode, applied.body.slice(0, 300)).toBe(200);
    const after = await parcelRow(parkParcel);
    expect(after.floor_area_ratio).toBe(0.45);
    expect(after.version).toBe(before.version + 1);
    const { rows: [history] } = await sql<{ actor: string }>`
      SELECT actor FROM history WHERE entity = 'parcels' AND entity_id = ${String(parkParcel)} ORDER BY id DESC LIMIT 1`.execute(testApp.database.db);
    expect(history.actor).toBe('yuanqu');
    const twice = await post('yuanqu', `/api/identification/cases/${caseId}/submissions/${latest.id}/apply`, { expectedVersion: after.version });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toBe('submission_applied');
  });

  it('初步认定 lists 原因, several 低效类型 and 措施; the parcel becomes 疑似低效 with the first type, and cannot be set by hand while the case is open', async () => {
    const noTypes = await post('yuanqu', `/api/identification/cases/${caseId}/steps/preliminary`, { inefficient: true, reasons: '亩均税收低', measures: ['self_renewal'] });
    expect(noTypes.statusCode).toBe(400);
    expect(noTypes.json().parameter).toBe('types');
    const preliminary = await step('yuanqu', caseId, 'preliminary', {
      inefficient: true, reasons: '容积率0.45，亩均税收0.6万元，低于本区标准', types: ['low_output', 'idle'], measures: ['self_renewal', 'transfer'],
    });
    expect(preliminary.inefficiencyTypes).toEqual(['low_output', 'idle']);
    expect(await parcelRow(parkParcel)).toMatchObject({ status: 'suspected', inefficiency_type: 'low_output' });
    const patched = await patchParcel(sessions.official, parkParcel, { status: 'efficient' });
    expect(patched.statusCode).toBe(409);
    expect(patched.json()).toMatchObject({ error: 'case_open', caseNumber });
    expect(patched.json().message).toContain(caseNumber);
    const version = (await parcelRow(parkParcel)).version;
    const bulk = await sessions.admin.request({ method: 'POST', url: '/api/parcels/bulk-edit', payload: { field: 'inefficiencyType', value: 'stopped', parcels: [{ id: parkParcel, version }] } });
    expect(bulk.statusCode).toBe(409);
    expect(bulk.json()).toMatchObject({ error: 'case_open', caseNumber });
    // Imports write parcels with the same UPDATE: the database guard refuses them alike.
    await expect(writeAs(testApp.database.db, { name: 'test-import' }, (transaction) =>
      sql`UPDATE parcels SET identified_at = '2026-01-01' WHERE id = ${parkParcel}`.execute(transaction))).rejects.toMatchObject({ code: 'BT409', detail: caseNumber });
    // Other fields stay editable.
    expect((await patchParcel(sessions.admin, parkParcel, { location: '测试路 1 号' })).statusCode).toBe(200);
  });

  it('会审: each department its own opinion once (LOCAL RULE: all five first, a dissent explained), then the conclusion', async () => {
    const early = await post('yuanqu', `/api/identification/cases/${caseId}/steps/joint_review`, { meets: true, opinion: '符合' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'opinions_missing' });
    expect(early.json().missing).toHaveLength(5);
    expect(early.json().message).toContain('本地规则');
    for (const [account, agree] of ALL_OPINIONS) {
      const answer = await step(account, caseId, 'review_opinion', { agree, opinion: agree ? '同意认定' : '环保整改中，暂不同意' });
      expect(answer.steps.at(-1)).toMatchObject({ step: 'review_opinion', actor: account, department: expect.any(String) });
    }
    const twice = await post('fagai', `/api/identification/cases/${caseId}/steps/review_opinion`, { agree: false, opinion: '改为不同意' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toBe('opinion_entered');
    const tax = await post('shuiwu', `/api/identification/cases/${caseId}/steps/review_opinion`, { agree: true, opinion: '同意' });
    expect(tax.statusCode).toBe(403);
    const unexplained = await post('yuanqu', `/api/identification/cases/${caseId}/steps/joint_review`, { meets: true, opinion: '符合' });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json()).toMatchObject({ error: 'dissent_unexplained', parameter: 'opinion' });
    const concluded = await step('yuanqu', caseId, 'joint_review', { meets: true, opinion: '生态环境部门意见已由用地单位书面承诺整改回应，其余四部门同意，符合认定标准' });
    expect(concluded.nextSteps).toEqual(['approved']);
  });

  it('审批 by 区政府 only; 告知 within 3 working days, numbered, 抄送 区自然资源、工信, the parcel 已认定低效 from the 告知书 date', async () => {
    expect((await post('yuanqu', `/api/identification/cases/${caseId}/steps/approved`, { decision: 'approve' })).statusCode).toBe(403);
    const approved = await step('zhengfu', caseId, 'approved', { decision: 'approve', opinion: '同意' });
    const today = todayInChinaDate();
    expect(approved).toMatchObject({ step: 'approved', dueStep: 'notified', dueDate: days.addWorkingDays(today, 3).date, overdue: false });
    const noCopy = await post('yuanqu', `/api/identification/cases/${caseId}/steps/notified`, { copies: ['区自然资源局', '区发改局'] });
    expect(noCopy.statusCode).toBe(400);
    expect(noCopy.json()).toMatchObject({ parameter: 'copies' });
    expect(noCopy.json().message).toContain('区工信局');
    const notified = await step('yuanqu', caseId, 'notified', { noticeDate: today, copies: ['区自然资源局', '区工信局', '区税务局'] });
    expect(notified).toMatchObject({ state: 'notified', step: 'notified', noticeDate: today, planDueDate: addMonths(today, 1), nextSteps: [], nextActions: [] });
    expect(notified.noticeNumber).toMatch(new RegExp(`^350206-GZ-${today.slice(0, 4)}-\\d{4}$`));
    expect(notified.steps.at(-1)).toMatchObject({ step: 'notified', outcome: 'on_time', late: false, details: { copies: ['区自然资源局', '区工信局', '区税务局'], onTime: true } });
    expect(await parcelRow(parkParcel)).toMatchObject({ status: 'identified', inefficiency_type: 'low_output', identified_at: today });
    const after = await post('yuanqu', `/api/identification/cases/${caseId}/steps/survey_sent`, {});
    expect(after.statusCode).toBe(409);
    expect(after.json().allowed).toEqual([]);
    // The case is over: the parcel's fields are free again.
    expect((await patchParcel(sessions.official, parkParcel, { evaluationGrade: 'C' })).statusCode).toBe(200);
  });

  it('keeps every case and step write on the audit log, with the actor', async () => {
    const { rows } = await sql<{ entity: string; actor: string }>`
      SELECT entity, actor FROM history
      WHERE (entity = 'identification_cases' AND entity_id = ${String(caseId)})
         OR (entity = 'identification_steps' AND (after ->> 'case_id') = ${String(caseId)})
         OR (entity = 'survey_submissions' AND (after ->> 'case_id') = ${String(caseId)})`.execute(testApp.database.db);
    const actors = new Set(rows.map((row) => row.actor));
    for (const account of ['ziranziyuan', 'yuanqu', 'qiye', 'fagai', 'shengtai', 'zhengfu']) expect(actors.has(account), account).toBe(true);
    expect(rows.filter((row) => row.entity === 'identification_steps').length).toBeGreaterThanOrEqual(14);
    expect(rows.some((row) => row.entity === 'survey_submissions')).toBe(true);
    await expect(sql`UPDATE identification_steps SET opinion = 'x' WHERE case_id = ${caseId}`.execute(testApp.database.db)).rejects.toThrow();
  });
});

describe('cases that end without 认定, the list, overdue flags and the service for criteria runs', () => {
  it('初步认定 否 closes the case and marks the parcel 正常利用; 区政府 不同意 needs a reason and restores the parcel', async () => {
    const { rows: [row] } = await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.park_code = ${parkCode} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id DESC OFFSET 6 LIMIT 1`.execute(testApp.database.db);
    const first = await open(row.id);
    await step('yuanqu', first.id, 'survey_sent');
    await step('yuanqu', first.id, 'survey_returned', { fields: { taxPerMu: 12 } });
    await step('yuanqu', first.id, 'verified', { outcome: 'confirmed' });
    const closed = await step('yuanqu', first.id, 'preliminary', { inefficient: false, reasons: '亩均税收12万元，高于标准' });
    expect(closed).toMatchObject({ state: 'closed', step: 'closed_not_inefficient', closedReason: '亩均税收12万元，高于标准' });
    expect((await parcelRow(row.id)).status).toBe('efficient');

    const statusBefore = (await parcelRow(row.id)).status;
    const second = await open(row.id);
    await step('yuanqu', second.id, 'survey_sent');
    await step('yuanqu', second.id, 'survey_returned', { fields: { taxPerMu: 0.5 } });
    await step('yuanqu', second.id, 'verified', { outcome: 'confirmed' });
    await step('yuanqu', second.id, 'preliminary', { inefficient: true, reasons: '亩均税收低', types: ['stopped'], measures: ['takeback'] });
    for (const [account] of ALL_OPINIONS) await step(account, second.id, 'review_opinion', { agree: true, opinion: '同意' });
    await step('yuanqu', second.id, 'joint_review', { meets: true, opinion: '五部门同意' });
    const noReason = await post('zhengfu', `/api/identification/cases/${second.id}/steps/approved`, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().parameter).toBe('opinion');
    const rejected = await step('zhengfu', second.id, 'approved', { decision: 'reject', opinion: '待企业技改完成后再议' });
    expect(rejected).toMatchObject({ state: 'closed', step: 'rejected' });
    expect((await parcelRow(row.id)).status).toBe(statusBefore);
  });

  it('lists cases by district, unit, step and overdue; flags a case past its due date', async () => {
    const late = await open((await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.park_code = ${parkCode} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id DESC OFFSET 7 LIMIT 1`.execute(testApp.database.db)).rows[0].id);
    // A case listed long ago: its 调查表 is overdue.
    await sql`UPDATE identification_cases SET due_date = '2026-01-05' WHERE id = ${late.id}`.execute(testApp.database.db);
    const overdue = await sessions.ziranziyuan.get('/api/identification/cases?overdue=true&pageSize=200');
    expect(overdue.statusCode).toBe(200);
    assertMatchesContract(CasePage, overdue.json(), 'list');
    const page = overdue.json() as CasePage;
    expect(page.items.find((item) => item.id === late.id)).toMatchObject({ overdue: true, dueStep: 'survey_sent', dueDate: '2026-01-05' });
    expect(page.items.every((item) => item.overdue)).toBe(true);
    const notOverdue = (await sessions.ziranziyuan.get('/api/identification/cases?overdue=false&pageSize=200')).json() as CasePage;
    expect(notOverdue.items.some((item) => item.id === late.id)).toBe(false);
    const byUnit = (await sessions.viewer.get(`/api/identification/cases?unit=${parkCode}&step=listed&district=350206`)).json() as CasePage;
    expect(byUnit.items.length).toBeGreaterThan(0);
    expect(byUnit.items.every((item) => item.unitCode === parkCode && item.step === 'listed' && item.districtCode === '350206')).toBe(true);
    const detail = (await sessions.yuanqu.get(`/api/identification/cases/${late.id}`)).json() as CaseDetail;
    expect(detail.nextActions).toEqual([expect.objectContaining({ step: 'survey_sent', mayTake: true })]);
    const asDepartment = (await sessions.fagai.get(`/api/identification/cases/${late.id}`)).json() as CaseDetail;
    expect(asDepartment.nextActions).toEqual([expect.objectContaining({ step: 'survey_sent', mayTake: false, taker: expect.stringContaining('园区办') })]);
    const card = await sessions.viewer.get(`/api/parcels/${late.parcelId}/identification`);
    assertMatchesContract(ParcelCases, card.json(), 'parcel cases');
    expect((card.json() as ParcelCases).items[0].number).toBe(late.number);
    expect((await sessions.viewer.get('/api/identification/cases?unit=12')).statusCode).toBe(400);
  });

  it('opens a case for a criteria run through identificationCases.open, with the run recorded', async () => {
    const { rows: [row] } = await sql<{ id: number }>`
      SELECT p.id FROM parcels p WHERE p.park_code = ${parkCode} AND NOT EXISTS (SELECT FROM identification_cases c WHERE c.parcel_id = p.id)
      ORDER BY p.id DESC OFFSET 8 LIMIT 1`.execute(testApp.database.db);
    const me = (await sessions.ziranziyuan.get('/api/auth/me')).json() as { user: Principal };
    const principal = { ...me.user, allowedDistricts: ['350206'], unrestricted: false } as Principal;
    const opened = await writeAs(testApp.database.db, { name: 'ziranziyuan' }, (transaction) =>
      testApp.app.identificationCases.open(transaction, { parcelId: row.id, principal, sourceRunId: 42, note: '规则运行 42 列入' }));
    expect(opened).toMatchObject({ parcelId: row.id, step: 'listed', sourceRunId: 42, note: '规则运行 42 列入' });
  });
});

describe('demo data', () => {
  it('gives the demo 园区 and 街道 cases in every step, built through the service, once', async () => {
    const { ensureDemoCases, DEMO_CASE_NOTE } = await import('../../server/demo/demo-cases.js');
    const made = await ensureDemoCases(testApp.app, () => undefined);
    expect(await ensureDemoCases(testApp.app, () => undefined)).toBe(0);
    const { rows } = await sql<{ step: string; state: string; steps: number }>`
      SELECT c.step, c.state, (SELECT count(*)::int FROM identification_steps s WHERE s.case_id = c.id) AS steps
      FROM identification_cases c WHERE c.note = ${DEMO_CASE_NOTE}`.execute(testApp.database.db);
    // The browser suite shares the database and may have made them first: then this call made none.
    expect(rows.length).toBeGreaterThanOrEqual(10);
    if (made > 0) expect(made).toBeGreaterThanOrEqual(10);
    const steps = new Set(rows.map((row) => row.step));
    for (const step of ['listed', 'survey_sent', 'survey_returned', 'verified', 'preliminary', 'joint_review', 'approved', 'notified', 'closed_not_inefficient', 'rejected']) {
      expect(steps.has(step), step).toBe(true);
    }
    expect(rows.filter((row) => row.state === 'notified').length).toBeGreaterThanOrEqual(2);
    const qiyeCases = (await sessions.qiye.get('/api/identification/my-cases')).json() as ParcelCases;
    expect(qiyeCases.items.some((item) => item.step === 'preliminary')).toBe(true);
    // Issue 17: notified demo cases carried into 再利用 and 验收 (server/demo/demo-reuse.ts).
    const { rows: projects } = await sql<{ step: string; extension_state: string }>`
      SELECT r.step, r.extension_state FROM reuse_projects r JOIN identification_cases c ON c.id = r.case_id WHERE c.note = ${DEMO_CASE_NOTE}`.execute(testApp.database.db);
    expect(new Set(projects.map((row) => row.step))).toEqual(new Set(['plan_submitted', 'reviewed', 'approved', 'started', 'extension_decided', 'acceptance_applied', 'certificate_issued', 'acceptance_failed']));
    expect(projects.some((row) => row.extension_state === 'approved')).toBe(true);
  });
});
