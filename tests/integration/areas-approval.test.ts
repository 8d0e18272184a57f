import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AreaDetail, AreaList, AreaRecheck } from '../../domain/api/areas.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import type { Rule } from '../../domain/api/rules.schemas.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
let planner: Session;
let official: Session;
let admin: Session;
/** A rule set of this file's own (other files revise the shipped ones): a copy of xiamen-new-industrial. */
const RULE_SET = `approval-${process.pid}-${Date.now() % 100000}`;
let shippedRules: Rule[];

beforeAll(async () => {
  testApp = await createTestApp();
  planner = await login(testApp.app, 'planner-huli');
  official = await login(testApp.app, 'official');
  admin = await login(testApp.app, 'admin');
  shippedRules = (await admin.get('/api/rule-sets')).json().items.find((item: { id: string }) => item.id === 'xiamen-new-industrial').rules;
  const created = await admin.request({ method: 'PUT', url: `/api/rule-sets/${RULE_SET}`, payload: { city: '厦门市', name: '审批测试规则', rules: shippedRules, note: '第 1 版' } });
  expect(created.statusCode).toBe(200);
});
afterAll(async () => {
  await testApp.close();
});

/** A box around a parcel of 湖里区 (offset: which parcel). */
async function boxAroundParcel(offset: number) {
  const { rows: [parcel] } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
    SELECT ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
    FROM parcels WHERE district_code = '350206' ORDER BY id OFFSET ${offset} LIMIT 1`.execute(testApp.database.db);
  const dx = (parcel.xmax - parcel.xmin) * 0.2;
  const dy = (parcel.ymax - parcel.ymin) * 0.2;
  return { type: 'Polygon', coordinates: [[[parcel.xmin - dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymin - dy], [parcel.xmax + dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymax + dy], [parcel.xmin - dx, parcel.ymin - dy]]] };
}

/** An area that passes every rule of the copy: floor areas sized from the boundary (容积率 3, 厂房 60 %, 配套 10 %). */
async function passingArea(offset: number, name: string): Promise<AreaDetail> {
  const boundary = await boxAroundParcel(offset);
  const check = (await planner.request({ method: 'POST', url: '/api/checks', payload: { ruleSet: RULE_SET, boundary } })).json();
  const total = Math.ceil(check.area.m2 * 3);
  const created = await planner.request({
    method: 'POST', url: '/api/areas',
    payload: { name, mode: 'owner_self', ruleSet: RULE_SET, boundary, figures: { totalFloorArea: total, supportingFloorArea: total * 0.1, factoryFloorArea: total * 0.6, grossFloorArea: total } },
  });
  expect(created.statusCode).toBe(201);
  return created.json();
}

const status = (session: Session, id: number, to: string, note?: string) =>
  session.request({ method: 'POST', url: `/api/areas/${id}/status`, payload: note === undefined ? { status: to } : { status: to, note } });

/** A new version of the copy under which 工业厂房 must be ≥ 90 % (the areas above have 60 %). */
async function stricterRules(): Promise<number> {
  const rules = shippedRules.map((rule) => (rule.id === 'factory-floor' ? { ...rule, limit: 0.9 } : rule));
  const revised = await admin.request({ method: 'PUT', url: `/api/rule-sets/${RULE_SET}`, payload: { city: '厦门市', name: '审批测试规则', rules, note: '厂房占比提高到 90 %' } });
  expect(revised.statusCode).toBe(200);
  return revised.json().version;
}

/** Back to the shipped limits, as a further version (versions are never deleted). */
async function lenientRules(): Promise<void> {
  expect((await admin.request({ method: 'PUT', url: `/api/rule-sets/${RULE_SET}`, payload: { city: '厦门市', name: '审批测试规则', rules: shippedRules, note: '恢复' } })).statusCode).toBe(200);
}

async function historyCount(id: number): Promise<number> {
  const { rows: [row] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM history WHERE entity = 'areas' AND entity_id = ${String(id)}`.execute(testApp.database.db);
  return row.n;
}

describe('approvals of 成片改造区域 are pinned and honest', () => {
  it('keeps the rule-set version, figures and verdict an area was approved with; 复核 against a newer version shows both and writes nothing', async () => {
    const area = await passingArea(60, '审批 固定结论');
    expect(area).toMatchObject({ ruleSetId: RULE_SET, ruleSetVersion: 1, pass: true, pinned: null, pinnedVerdict: null, reviews: [], approvedVersion: null });

    const submitted = await status(planner, area.id, 'submitted', '请审核：配套比例已按 10 % 控制');
    expect(submitted.statusCode).toBe(200);
    assertMatchesContract(AreaDetail, submitted.json());
    expect(submitted.json().pinnedVerdict).toMatchObject({ action: 'submit', version: 1, ruleSetId: RULE_SET, ruleSetVersion: 1, pass: true, actor: 'planner-huli', actorName: '湖里区规划员（演示）' });

    const approved = await status(official, area.id, 'approved', '同意，按程序公示');
    expect(approved.statusCode).toBe(200);
    const approvedBody = approved.json() as AreaDetail;
    assertMatchesContract(AreaDetail, approvedBody);
    expect(approvedBody).toMatchObject({ status: 'approved', approvedVersion: 1, pinned: { action: 'approve', version: 1, ruleSetVersion: 1, pass: true } });
    expect(approvedBody.pinnedVerdict).toMatchObject({ action: 'approve', ruleSetVersion: 1, pass: true, actor: 'official', actorName: '审核员（演示）' });
    // What was approved is what was submitted and reviewed: the same figures, limits and verdicts.
    expect(approvedBody.pinnedVerdict!.result.checks).toEqual(submitted.json().pinnedVerdict.result.checks);
    expect(approvedBody.reviews.map((entry) => [entry.action, entry.note, entry.actor, entry.ruleSetVersion, entry.pass])).toEqual([
      ['submit', '请审核：配套比例已按 10 % 控制', 'planner-huli', 1, true],
      ['approve', '同意，按程序公示', 'official', 1, true],
    ]);

    // An administrator saves 第 2 版, under which the area would fail.
    const newer = await stricterRules();
    expect(newer).toBe(2);
    const later = (await official.get(`/api/areas/${area.id}`)).json() as AreaDetail;
    expect(later).toMatchObject({ status: 'approved', ruleSetVersion: 1, pass: true, pinned: { ruleSetVersion: 1, pass: true } });
    expect(later.pinnedVerdict!.result.checks).toEqual(approvedBody.pinnedVerdict!.result.checks);
    expect(later.pinnedVerdict!.result.checks.find((check) => check.id === 'factory-floor')).toMatchObject({ limit: 0.5, pass: true });
    const listed = (await official.get('/api/areas?district=350206&status=approved&pageSize=200')).json();
    assertMatchesContract(AreaList, listed);
    expect(listed.items.find((item: { id: number }) => item.id === area.id)).toMatchObject({ pass: true, ruleSetVersion: 1, pinned: { action: 'approve', ruleSetVersion: 1, pass: true } });

    // 按最新规则复核: both verdicts side by side, nothing written.
    const before = { detail: later, history: await historyCount(area.id) };
    const recheck = await official.get(`/api/areas/${area.id}/recheck`);
    expect(recheck.statusCode).toBe(200);
    assertMatchesContract(AreaRecheck, recheck.json());
    expect(recheck.json()).toMatchObject({ version: 1, basis: { source: 'approve', ruleSetVersion: 1, pass: true }, current: { ruleSetVersion: 2, pass: false } });
    expect(recheck.json().current.result.checks.find((check: { id: string }) => check.id === 'factory-floor')).toMatchObject({ limit: 0.9, pass: false });
    expect((await official.get(`/api/areas/${area.id}`)).json()).toEqual(before.detail);
    expect(await historyCount(area.id)).toBe(before.history);
    await lenientRules();
  });

  it('locks an approved area: no delete, no edit, no 退回; 撤销批准 is an official\'s recorded action with a reason, the approval staying visible', async () => {
    const area = await passingArea(61, '审批 锁定');
    expect((await status(planner, area.id, 'submitted')).statusCode).toBe(200);

    // Submitted: not deleted, not edited; 退回 needs an opinion.
    const deleteSubmitted = await planner.request({ method: 'DELETE', url: `/api/areas/${area.id}` });
    expect(deleteSubmitted.statusCode).toBe(409);
    assertMatchesContract(ErrorBody, deleteSubmitted.json());
    expect(deleteSubmitted.json().message).toContain('撤回为草案');
    const silentReturn = await status(official, area.id, 'returned', '  ');
    expect(silentReturn.statusCode).toBe(400);
    expect(silentReturn.json()).toMatchObject({ parameter: 'note' });
    expect((await status(official, area.id, 'approved')).statusCode).toBe(200);

    const deleted = await planner.request({ method: 'DELETE', url: `/api/areas/${area.id}` });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().message).toContain('撤销批准');
    const edited = await planner.request({ method: 'PUT', url: `/api/areas/${area.id}`, payload: { name: 'x', mode: 'owner_self', ruleSet: RULE_SET, boundary: area.input.boundary, baseVersion: 1 } });
    expect(edited.statusCode).toBe(409);
    expect(edited.json().message).toContain('开始修订');
    const returned = await status(official, area.id, 'returned', '再议');
    expect(returned.statusCode).toBe(409);
    expect(returned.json()).toMatchObject({ error: 'invalid_transition' });
    expect(returned.json().message).toContain('撤销批准');
    expect((await official.get(`/api/areas/${area.id}`)).json()).toMatchObject({ status: 'approved', approvedVersion: 1 });

    // 撤销批准: officials only, with a reason.
    const byPlanner = await planner.request({ method: 'POST', url: `/api/areas/${area.id}/revoke`, payload: { reason: '我想改' } });
    expect(byPlanner.statusCode).toBe(403);
    assertMatchesContract(ErrorBody, byPlanner.json());
    const noReason = await official.request({ method: 'POST', url: `/api/areas/${area.id}/revoke`, payload: { reason: '   ' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ parameter: 'reason' });
    const revoked = await official.request({ method: 'POST', url: `/api/areas/${area.id}/revoke`, payload: { reason: '用地权属有争议，撤销后重新审查' } });
    expect(revoked.statusCode).toBe(200);
    const body = revoked.json() as AreaDetail;
    assertMatchesContract(AreaDetail, body);
    expect(body).toMatchObject({ status: 'returned', approvedVersion: null, pinned: null });
    expect(body.reviews.map((entry) => entry.action)).toEqual(['submit', 'approve', 'revoke']);
    expect(body.reviews[1]).toMatchObject({ action: 'approve', ruleSetVersion: expect.any(Number), pass: true });
    expect(body.reviews[2]).toMatchObject({ action: 'revoke', note: '用地权属有争议，撤销后重新审查', actor: 'official', actorName: '审核员（演示）', fromStatus: 'approved', toStatus: 'returned' });
    expect(body.versions.find((entry) => entry.version === 1)).toMatchObject({ approved: true });
    // The approved version keeps its verdict.
    const approvedVersion = (await planner.get(`/api/areas/${area.id}/versions/1`)).json() as AreaDetail;
    expect(approvedVersion.pinnedVerdict).toMatchObject({ action: 'approve', pass: true });
    const again = await official.request({ method: 'POST', url: `/api/areas/${area.id}/revoke`, payload: { reason: '再撤一次' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('退回');
    // Nothing can rewrite the record.
    await expect(sql`UPDATE area_reviews SET note = 'x' WHERE area_id = ${area.id}`.execute(testApp.database.db)).rejects.toThrow(/append-only|permission denied/);
  });

  it('starts a new draft version when an approved area is changed; the approved version stays in force and the area cannot be deleted', async () => {
    const area = await passingArea(62, '审批 修订');
    expect((await status(planner, area.id, 'submitted', '首次报审')).statusCode).toBe(200);
    expect((await status(official, area.id, 'approved', '同意')).statusCode).toBe(200);

    const onDraft = await planner.request({ method: 'POST', url: `/api/areas/${area.id}/revise`, payload: { baseVersion: 2 } });
    expect(onDraft.statusCode).toBe(409);
    const byOfficial = await official.request({ method: 'POST', url: `/api/areas/${area.id}/revise`, payload: { baseVersion: 1 } });
    expect(byOfficial.statusCode).toBe(403);
    const revised = await planner.request({ method: 'POST', url: `/api/areas/${area.id}/revise`, payload: { baseVersion: 1, note: '调整边界' } });
    expect(revised.statusCode).toBe(200);
    const draft = revised.json() as AreaDetail;
    assertMatchesContract(AreaDetail, draft);
    expect(draft).toMatchObject({ status: 'draft', version: 2, approvedVersion: 1, pinned: null, pinnedVerdict: null });
    expect(draft.versions.map((entry) => [entry.version, entry.status, entry.approved])).toEqual([[2, 'draft', false], [1, 'draft', true]]);
    expect(draft.reviews.at(-1)).toMatchObject({ action: 'revise', version: 1, note: '调整边界', actor: 'planner-huli' });
    expect(draft.input).toEqual(area.input);

    // The draft is edited as any draft; version 1 and its approval are unchanged.
    const edit = await planner.request({ method: 'PUT', url: `/api/areas/${area.id}`, payload: { name: '审批 修订 第二稿', mode: 'owner_self', ruleSet: RULE_SET, boundary: area.input.boundary, figures: area.input.figures, baseVersion: 2 } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ version: 3, status: 'draft', approvedVersion: 1 });
    const first = (await planner.get(`/api/areas/${area.id}/versions/1`)).json() as AreaDetail;
    expect(first).toMatchObject({ name: '审批 修订', pinnedVerdict: { action: 'approve', pass: true } });
    const deleted = await planner.request({ method: 'DELETE', url: `/api/areas/${area.id}` });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().message).toContain('第 1 版已批准');

    // Submitted and approved again: the newer version is the one in force.
    expect((await status(planner, area.id, 'submitted')).statusCode).toBe(200);
    const reapproved = await status(official, area.id, 'approved', '同意修订');
    expect(reapproved.json()).toMatchObject({ status: 'approved', version: 3, approvedVersion: 3, pinned: { action: 'approve', version: 3 } });
  });

  it('pins at 报审 the rules in force then: a version saved under 第 1 版 and submitted after 第 2 版 shows 第 2 版\'s failing verdict', async () => {
    const area = await passingArea(63, '审批 报审时规则');
    const current = (await admin.get(`/api/rule-sets/${RULE_SET}/versions`)).json().items[0].version as number;
    const newer = await stricterRules();
    expect(newer).toBe(current + 1);
    const submitted = (await status(planner, area.id, 'submitted')).json() as AreaDetail;
    expect(submitted.pinnedVerdict).toMatchObject({ action: 'submit', ruleSetVersion: newer, pass: false });
    expect(submitted.pinnedVerdict!.result.checks.filter((check) => check.pass === false).map((check) => check.id)).toEqual(['factory-floor']);
    // The saved version keeps the verdict it was saved with.
    expect(submitted).toMatchObject({ pass: true, ruleSetVersion: area.ruleSetVersion });
    await lenientRules();
  });
});
