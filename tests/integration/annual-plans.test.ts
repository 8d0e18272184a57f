import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, PlanDetail, PlanList, PlanPolicyVersions } from '../../domain/api/annual-plans.schemas.js';
import { milestoneDaysLate, milestoneStatus, reportPeriod } from '../../domain/annual-plans.js';
import { todayInChina } from '../../domain/parcel-card-validation.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * 年度实施计划 and 台账 (issue 18 item 5): the plan's state machine (who/when/why, 409 naming the
 * allowed steps), projects locked outside 编制中, milestones' overdue, the 试点 warning, the ledger's
 * filters and counts per unit, and the 双月简报 / 半年报告 PDFs (text and pages).
 */
let testApp: TestApp;
let planner: Session;
let official: Session;
let viewer: Session;
const HULI = '350206';
const SIMING = '350203';

/** A year no plan of the district has (each run has its own database; this file alone writes plans there). */
async function freeYear(district: string): Promise<number> {
  const { rows: [row] } = await sql<{ year: number }>`
    SELECT min(y)::int AS year FROM generate_series(2100, 2599) y WHERE NOT EXISTS (SELECT 1 FROM annual_plans WHERE district_code = ${district} AND year = y)`.execute(testApp.database.db);
  return row.year;
}

/** Identified parcels of a district nobody else's plan uses. */
async function parcelsOf(district: string, count: number, skip = 0): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT id::int AS id FROM parcels WHERE district_code = ${district} AND land_use_code = '0602' ORDER BY id LIMIT ${count} OFFSET ${skip}`.execute(testApp.database.db);
  if (rows.length < count) {
    const { rows: more } = await sql<{ id: number }>`SELECT id::int AS id FROM parcels WHERE district_code = ${district} ORDER BY id DESC LIMIT ${count} OFFSET ${skip}`.execute(testApp.database.db);
    return more.map((row) => row.id);
  }
  return rows.map((row) => row.id);
}

function textOf(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

function pagesOf(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

beforeAll(async () => {
  testApp = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '600' });
  planner = await login(testApp.app, 'planner');
  official = await login(testApp.app, 'official');
  viewer = await login(testApp.app, 'viewer');
}, 120_000);
afterAll(async () => {
  await testApp?.close();
});

describe('milestones overdue (pure)', () => {
  it('counts a milestone overdue when not done and planned before today; done late when done after its date', () => {
    const today = '2026-06-15';
    expect(milestoneStatus({ plannedDate: '2026-06-14', doneDate: null }, today)).toBe('overdue');
    expect(milestoneStatus({ plannedDate: '2026-06-15', doneDate: null }, today)).toBe('pending');
    expect(milestoneStatus({ plannedDate: '2026-06-01', doneDate: '2026-06-01' }, today)).toBe('done');
    expect(milestoneStatus({ plannedDate: '2026-06-01', doneDate: '2026-06-03' }, today)).toBe('done_late');
    expect(milestoneDaysLate({ plannedDate: '2026-06-05', doneDate: null }, today)).toBe(10);
    expect(milestoneDaysLate({ plannedDate: '2026-06-05', doneDate: '2026-06-08' }, today)).toBe(3);
    expect(milestoneDaysLate({ plannedDate: '2026-07-05', doneDate: null }, today)).toBe(0);
    expect(reportPeriod('bimonthly', 2024, 1)).toEqual({ from: '2024-01-01', to: '2024-02-29', name: '2024年第1期（1—2月）' });
    expect(reportPeriod('half-year', 2026, 2)).toMatchObject({ from: '2026-07-01', to: '2026-12-31', name: '2026年下半年' });
    expect(reportPeriod('half-year', 2026, 3)).toBeNull();
  });
});

describe('年度实施计划', () => {
  it('has the demo city\'s plans: 湖里区 已下达 with projects, a 试点, done and overdue milestones, on the 台账', async () => {
    const list = await viewer.get(`/api/annual-plans?district=${HULI}`);
    expect(list.statusCode, list.body).toBe(200);
    assertMatchesContract(PlanList, list.json());
    const demo = (list.json() as PlanList).items.find((plan) => plan.year === Number(todayInChina().slice(0, 4)))!;
    expect(demo).toMatchObject({ state: 'issued', stateLabel: '已下达', pilotCount: 1 });
    expect(demo.projectCount).toBeGreaterThanOrEqual(3);
    expect(demo.overdueCount).toBeGreaterThan(0);
    expect(demo.doneCount).toBeGreaterThan(0);
    const detail = (await viewer.get(`/api/annual-plans/${demo.id}`)).json() as PlanDetail;
    assertMatchesContract(PlanDetail, detail);
    expect(detail.steps.map((step) => step.to)).toEqual(['reviewed', 'issued']);
    expect(detail.projects.flatMap((project) => project.milestones).some((milestone) => milestone.status === 'done_late')).toBe(true);
    expect(detail.projects[0].scheme.funding).not.toBe('');
    const ledger = (await viewer.get(`/api/annual-plans/ledger?planId=${demo.id}&overdue=true`)).json() as Ledger;
    assertMatchesContract(Ledger, ledger);
    expect(ledger.total).toBe(demo.overdueCount);
    expect(ledger.items.every((item) => item.overdue && item.doneDate === null && item.plannedDate < ledger.today)).toBe(true);
    const policy = (await viewer.get('/api/annual-plans/policy')).json() as PlanPolicyVersions;
    assertMatchesContract(PlanPolicyVersions, policy);
    expect(policy.current.modes.map((mode) => mode.label)).toEqual(['因地招商', '技改升级', '整合重组', '收储出让', '综合施策']);
    expect(policy.current).toMatchObject({ pilotMin: 1, pilotMax: 2, localRule: false });
    expect(policy.current.source).toContain('四、再开发模式');
  });

  it('takes a plan 编制中 → 专班审定 → 已下达, refusing other steps with 409 naming the allowed ones, recording who, when and why; projects locked outside 编制中', async () => {
    const year = await freeYear(HULI);
    const created = await planner.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: HULI, year } });
    expect(created.statusCode, created.body).toBe(201);
    let plan = created.json() as PlanDetail;
    expect(plan).toMatchObject({ state: 'drafting', title: `湖里区${year}年度低效用地再开发实施计划`, nextStates: ['reviewed'], projectsEditable: true });
    expect((await planner.request({ method: 'POST', url: '/api/annual-plans', payload: { districtCode: HULI, year } })).json()).toMatchObject({ error: 'plan_exists', planId: plan.id });

    // No project yet: nothing to review.
    const empty = await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', expectedVersion: plan.version } });
    expect(empty.statusCode).toBe(409);

    const parcels = await parcelsOf(HULI, 4);
    const project = { name: '测试项目', developer: '测试平台公司', content: '拆除重建', mode: 'jigai', parcelIds: parcels.slice(0, 2), pilot: true, scheme: { funding: '自筹 50%' } };
    expect((await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { ...project, mode: 'weather' } })).json()).toMatchObject({ parameter: 'mode' });
    expect((await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { ...project, parcelIds: [] } })).json()).toMatchObject({ parameter: 'parcelIds' });
    const [siming] = await parcelsOf(SIMING, 1);
    expect((await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { ...project, parcelIds: [siming] } })).json()).toMatchObject({ parameter: 'parcelIds' });
    plan = (await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: project })).json();
    plan = (await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { ...project, name: '测试项目二', parcelIds: parcels.slice(2, 3) } })).json();
    expect(plan.pilotWarning).toBeNull();
    const third = await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/projects`, payload: { ...project, name: '测试项目三', parcelIds: parcels.slice(3, 4) } });
    expect(third.statusCode, third.body).toBe(200);
    plan = third.json();
    expect(plan.pilotCount).toBe(3);
    expect(plan.pilotWarning).toContain('超过每区 1～2 个');

    // Milestones: one overdue, one done late, one to come.
    const projectId = plan.projects[0].id;
    for (const milestone of [
      { name: '方案批复', plannedDate: '2020-01-10', responsibleUnit: '区自然资源局' },
      { name: '拆除完成', plannedDate: '2020-02-01', responsibleUnit: '区住建委', doneDate: '2020-02-11' },
      { name: '竣工', plannedDate: '2999-01-01', responsibleUnit: '区住建委' },
    ]) plan = (await planner.request({ method: 'POST', url: `/api/annual-plans/projects/${projectId}/milestones`, payload: milestone })).json();
    const milestones = plan.projects[0].milestones;
    expect(milestones.map((milestone) => [milestone.name, milestone.status])).toEqual([['方案批复', 'overdue'], ['拆除完成', 'done_late'], ['竣工', 'pending']]);
    expect(plan).toMatchObject({ milestoneCount: 3, overdueCount: 1, doneCount: 1 });

    // The state machine: viewer and planner may not step; the 专班 (official) may.
    expect((await viewer.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', expectedVersion: plan.version } })).statusCode).toBe(403);
    expect((await planner.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', expectedVersion: plan.version } })).statusCode).toBe(403);
    const jump = await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'issued', expectedVersion: plan.version } });
    expect(jump.statusCode).toBe(409);
    expect(jump.json()).toMatchObject({ error: 'invalid_transition', allowed: ['reviewed'] });
    expect(jump.json().message).toContain('可改为：专班审定');
    const reviewed = await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', reason: '专班第 3 次会议', expectedVersion: plan.version } });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    plan = reviewed.json();
    expect(plan.nextStates).toEqual(['issued', 'drafting']);
    const locked = await planner.request({ method: 'PATCH', url: `/api/annual-plans/projects/${projectId}`, payload: { name: '改名', expectedVersion: plan.projects[0].version } });
    expect(locked.statusCode).toBe(409);
    expect(locked.json()).toMatchObject({ error: 'plan_locked' });
    // Done dates are recorded in any state.
    const overdueMilestone = plan.projects[0].milestones[0];
    const done = await planner.request({ method: 'PATCH', url: `/api/annual-plans/milestones/${overdueMilestone.id}`, payload: { doneDate: '2020-01-20', expectedVersion: overdueMilestone.version } });
    expect(done.statusCode, done.body).toBe(200);
    expect((done.json() as PlanDetail).projects[0].milestones[0]).toMatchObject({ status: 'done_late', daysLate: 10 });
    const staleEdit = await planner.request({ method: 'PATCH', url: `/api/annual-plans/milestones/${overdueMilestone.id}`, payload: { doneDate: null, expectedVersion: overdueMilestone.version } });
    expect(staleEdit.json()).toMatchObject({ error: 'stale_version' });
    plan = done.json();
    // Sent back needs a reason; then reviewed again and issued; issued is final.
    expect((await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'drafting', expectedVersion: plan.version } })).json()).toMatchObject({ parameter: 'reason' });
    plan = (await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'drafting', reason: '试点过多，请压减', expectedVersion: plan.version } })).json();
    plan = (await planner.request({ method: 'PATCH', url: `/api/annual-plans/projects/${plan.projects[2].id}`, payload: { pilot: false, scheme: { schedule: '次年开工' }, expectedVersion: plan.projects[2].version } })).json();
    expect(plan.pilotWarning).toBeNull();
    expect(plan.projects[2].scheme).toMatchObject({ funding: '自筹 50%', schedule: '次年开工' });
    plan = (await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'reviewed', expectedVersion: plan.version } })).json();
    plan = (await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'issued', reason: '下达', expectedVersion: plan.version } })).json();
    expect(plan).toMatchObject({ state: 'issued', nextStates: [] });
    const after = await official.request({ method: 'POST', url: `/api/annual-plans/${plan.id}/state`, payload: { state: 'drafting', reason: 'x', expectedVersion: plan.version } });
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ error: 'invalid_transition', allowed: [] });
    expect(plan.steps.map((step) => [step.from, step.to, step.reason, step.actor])).toEqual([
      ['drafting', 'reviewed', '专班第 3 次会议', 'official'], ['reviewed', 'drafting', '试点过多，请压减', 'official'],
      ['drafting', 'reviewed', null, 'official'], ['reviewed', 'issued', '下达', 'official'],
    ]);

    // Every write on history: who, before, after.
    const { rows: history } = await sql<{ entity: string; actor: string; before: { done_date?: string | null } | null; after: { done_date?: string | null } | null }>`
      SELECT entity, actor, before, after FROM history WHERE (entity = 'plan_milestones' AND entity_id = ${String(overdueMilestone.id)}) OR (entity = 'annual_plans' AND entity_id = ${String(plan.id)}) ORDER BY id`.execute(testApp.database.db);
    const doneEntry = history.find((entry) => entry.entity === 'plan_milestones' && entry.after?.done_date === '2020-01-20')!;
    expect(doneEntry).toMatchObject({ actor: 'planner' });
    expect(doneEntry.before?.done_date ?? null).toBeNull();
    expect(history.filter((entry) => entry.entity === 'annual_plans').length).toBeGreaterThanOrEqual(5);

    // The 台账: by responsible unit and overdue, with counts per unit (filters but unit).
    const ledger = (await viewer.get(`/api/annual-plans/ledger?planId=${plan.id}&unit=${encodeURIComponent('区住建委')}`)).json() as Ledger;
    expect(ledger.items.map((item) => item.name).sort()).toEqual(['拆除完成', '竣工']);
    expect(ledger.units).toEqual([{ unit: '区住建委', total: 2, overdue: 0, done: 1 }, { unit: '区自然资源局', total: 1, overdue: 0, done: 1 }]);
    expect((await viewer.get(`/api/annual-plans/ledger?planId=${plan.id}&overdue=true`)).json().total).toBe(0);
  });

  it('prints the 双月简报 and the 半年报告 as PDFs with the plan\'s figures, overdue milestones and their units', async () => {
    const list = (await viewer.get(`/api/annual-plans?district=${HULI}&year=${todayInChina().slice(0, 4)}`)).json() as PlanList;
    const plan = (await viewer.get(`/api/annual-plans/${list.items[0].id}`)).json() as PlanDetail;
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-report-test-'));
    try {
      const brief = await viewer.get(`/api/annual-plans/${plan.id}/report.pdf?kind=bimonthly`);
      expect(brief.statusCode, brief.body).toBe(200);
      expect(brief.headers['content-type']).toBe('application/pdf');
      fs.writeFileSync(path.join(directory, 'brief.pdf'), brief.rawPayload);
      const briefText = textOf(path.join(directory, 'brief.pdf'));
      expect(briefText).toContain('湖里区低效用地再开发双月工作简报');
      for (const heading of ['一、总体情况', '二、本期节点完成情况', '三、逾期节点', '四、下期工作安排']) expect(briefText).toContain(heading);
      const overdue = plan.projects.flatMap((project) => project.milestones).filter((milestone) => milestone.overdue);
      for (const milestone of overdue) expect(briefText).toContain(milestone.name);
      expect(briefText).toContain(`已逾期${overdue.length}个`);
      expect(pagesOf(path.join(directory, 'brief.pdf'))).toBeGreaterThanOrEqual(1);
      expect(pagesOf(path.join(directory, 'brief.pdf'))).toBeLessThanOrEqual(3);

      const half = await viewer.get(`/api/annual-plans/${plan.id}/report.pdf?kind=half-year&period=2`);
      expect(half.statusCode, half.body).toBe(200);
      fs.writeFileSync(path.join(directory, 'half.pdf'), half.rawPayload);
      const halfText = textOf(path.join(directory, 'half.pdf'));
      expect(halfText).toContain('半年工作进展情况报告');
      expect(halfText).toContain(`${plan.year}年下半年`);
      for (const heading of ['一、计划执行总体情况', '二、项目进展', '三、试点项目实施方案', '五、逾期节点及责任单位']) expect(halfText).toContain(heading);
      for (const project of plan.projects) expect(halfText).toContain(project.name.replace(/\s+/g, ''));
      const pilot = plan.projects.find((project) => project.pilot)!;
      expect(halfText).toContain(pilot.scheme.funding.replace(/\s+/g, '').slice(0, 12));
      expect(pagesOf(path.join(directory, 'half.pdf'))).toBeGreaterThanOrEqual(1);
      expect(pagesOf(path.join(directory, 'half.pdf'))).toBeLessThanOrEqual(4);
      expect((await viewer.get(`/api/annual-plans/${plan.id}/report.pdf?kind=half-year&period=3`)).json()).toMatchObject({ parameter: 'period' });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }, 150_000);
});
