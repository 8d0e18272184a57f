import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import {
  Ledger, LedgerQuery, MilestoneCreate, MilestoneParams, MilestonePatch, PdfFile, PlanCreate, PlanDetail, PlanList, PlanListQuery, PlanParams, PlanPatch,
  PlanPolicy, PlanPolicyRevision, PlanPolicyVersions, PlanReportQuery, PlanTransition, ProjectCreate, ProjectParams, ProjectPatch, type Milestone, type Plan,
} from '../../domain/api/annual-plans.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  currentReportPeriod, milestoneDaysLate, milestoneStatus, pilotWarning, planNextStates, planProjectsEditable, planStateLabel, planStepNeedsReason, reportPeriod,
} from '../../domain/annual-plans.js';
import { exportFileName, exportStamp } from '../../domain/exports/export-names.js';
import { todayInChina } from '../../domain/parcel-card-validation.js';
import { recordEvent } from '../admin/audit.repository.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Scope } from '../auth/scope.js';
import { contentDisposition } from '../content-disposition.js';
import { ApiError, NotFoundError } from '../errors.js';
import type { MilestoneRow, PlanRow } from './annual-plans.repository.js';
import { planReportDocument, planReportTitle } from './plan-reports.js';

const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Reason codes of this capability's refusals. */
export const PLAN_EXISTS = 'plan_exists';
export const PLAN_LOCKED = 'plan_locked';
export const INVALID_TRANSITION = 'invalid_transition';

const iso = (value: unknown) => new Date(value as string).toISOString();

/** 年度实施计划 and 台账: plans per district and year, their projects and milestones, state steps, the ledger, the reports. */
export async function annualPlansRoutes(app: AppInstance): Promise<void> {
  const plans = app.annualPlansRepository;
  const actorOf = (request: FastifyRequest) => ({ name: principalOf(request).username, displayName: principalOf(request).displayName, requestId: request.id });

  const milestoneView = (row: MilestoneRow, today: string): Milestone => {
    const status = milestoneStatus(row, today);
    return { ...row, status, overdue: status === 'overdue', daysLate: milestoneDaysLate(row, today), updatedAt: iso(row.updatedAt) };
  };

  const planView = (row: PlanRow): Plan => ({
    ...row, stateLabel: planStateLabel(row.state), stateAt: iso(row.stateAt), createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt), nextStates: [...planNextStates(row.state)],
  });

  async function readable(scope: Scope, id: number, today: string): Promise<PlanRow> {
    const row = await plans.find(id, today);
    if (!row) throw new NotFoundError(`没有 id 为 ${id} 的年度实施计划`);
    scope.assertReadable({ code: row.districtCode, name: row.districtName }, '该年度实施计划');
    return row;
  }

  async function writable(request: FastifyRequest, id: number, verb = '修改'): Promise<PlanRow> {
    const scope = scopeOf(request);
    const row = await readable(scope, id, todayInChina());
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该年度实施计划', verb);
    return row;
  }

  async function detail(id: number): Promise<PlanDetail> {
    const today = todayInChina();
    const row = (await plans.find(id, today))!;
    const [projects, milestones, steps, policy, labels] = await Promise.all([plans.projects(id), plans.milestones(id), plans.steps(id), plans.policy(row.policyVersion), plans.modeLabels()]);
    const links = await plans.links([...new Set(projects.flatMap((project) => project.parcelIds))], [...new Set(projects.flatMap((project) => project.areaIds))]);
    const parcelCodes = new Map(links.parcels.map((parcel) => [parcel.id, parcel.code]));
    const areaNames = new Map(links.areas.map((area) => [area.id, area.name]));
    return {
      ...planView(row),
      projects: projects.map((project) => ({
        ...project, modeLabel: labels.get(project.mode) ?? project.mode, updatedAt: iso(project.updatedAt),
        parcels: project.parcelIds.map((parcel) => ({ id: parcel, code: parcelCodes.get(parcel) ?? null })),
        areas: project.areaIds.map((area) => ({ id: area, name: areaNames.get(area) ?? null })),
        scheme: { renovation: project.scheme.renovation ?? '', operation: project.scheme.operation ?? '', funding: project.scheme.funding ?? '', schedule: project.scheme.schedule ?? '' },
        milestones: milestones.filter((milestone) => milestone.projectId === project.id).map((milestone) => milestoneView(milestone, today)),
      })),
      steps: steps.map((step) => ({ ...step, at: iso(step.at) })),
      modes: policy.modes,
      pilotWarning: pilotWarning(row.pilotCount, policy),
      projectsEditable: planProjectsEditable(row.state),
      today,
    };
  }

  /** 409 plan_locked unless the plan's projects may change (编制中). */
  function assertProjectsEditable(plan: PlanRow): void {
    if (!planProjectsEditable(plan.state)) {
      throw new ApiError(409, PLAN_LOCKED, `该计划已“${planStateLabel(plan.state)}”：项目和实施方案只能在“编制中”修改（专班可退回修改）；节点的完成情况仍可随时登记。`, { state: plan.state });
    }
  }

  async function modeOf(plan: PlanRow, mode: string): Promise<string> {
    const policy = await plans.policy(plan.policyVersion);
    if (!policy.modes.some((item) => item.code === mode)) {
      throw new ApiError(400, 'invalid_parameter', `盘活模式“${mode}”不在本计划的模式清单（第 ${policy.version} 版）中；可选：${policy.modes.map((item) => `${item.code}（${item.label}）`).join('、')}。`, { parameter: 'mode' });
    }
    return mode;
  }

  /** Linked parcels and areas exist and lie in the plan's district; a project has at least one of them. */
  async function checkLinks(districtCode: string, parcelIds: readonly number[], areaIds: readonly number[]): Promise<void> {
    if (parcelIds.length + areaIds.length === 0) {
      throw new ApiError(400, 'invalid_parameter', '项目需要关联至少一宗地块或一个成片改造区域（parcelIds / areaIds）。', { parameter: 'parcelIds' });
    }
    const found = await plans.links(parcelIds, areaIds);
    const missingParcel = parcelIds.find((id) => !found.parcels.some((row) => row.id === id));
    if (missingParcel) throw new ApiError(400, 'invalid_parameter', `没有 id 为 ${missingParcel} 的地块：请从地图或搜索中选择地块。`, { parameter: 'parcelIds' });
    const otherParcel = found.parcels.find((row) => row.districtCode !== districtCode);
    if (otherParcel) throw new ApiError(400, 'invalid_parameter', `地块 ${otherParcel.code} 不在该计划所属区县（${districtCode}）内：请只关联本区县的地块。`, { parameter: 'parcelIds' });
    const missingArea = areaIds.find((id) => !found.areas.some((row) => row.id === id));
    if (missingArea) throw new ApiError(400, 'invalid_parameter', `没有 id 为 ${missingArea} 的成片改造区域（或已删除）。`, { parameter: 'areaIds' });
    const otherArea = found.areas.find((row) => row.districtCode !== districtCode);
    if (otherArea) throw new ApiError(400, 'invalid_parameter', `成片改造区域“${otherArea.name}”不在该计划所属区县（${districtCode}）内。`, { parameter: 'areaIds' });
  }

  const stale = (what: string, current: number, expected: number) =>
    new ApiError(409, 'stale_version', `${what}已被他人修改为第 ${current} 版（您打开的是第 ${expected} 版）：请重新打开后再修改。`, { currentVersion: current });

  app.get('/api/annual-plans/policy', {
    config: { permission: 'data:read' },
    schema: { tags: ['plans'], summary: '盘活模式 list and 试点 count per district (current version and every earlier one)', response: { 200: PlanPolicyVersions } },
  }, async () => {
    const versions = await plans.policies();
    return { current: versions[0], versions };
  });

  app.put('/api/annual-plans/policy', {
    config: { permission: 'rules:manage' },
    schema: { tags: ['plans'], summary: 'A new version of the plan policy (mode codes in use must stay)', body: PlanPolicyRevision, response: { 200: PlanPolicy, 400: ErrorBody, 403: ErrorBody } },
  }, async (request) => {
    const codes = request.body.modes.map((mode) => mode.code);
    const twice = codes.find((code, index) => codes.indexOf(code) !== index);
    if (twice) throw new ApiError(400, 'invalid_parameter', `盘活模式代码“${twice}”出现了两次：每项的代码应唯一。`, { parameter: 'modes' });
    if (request.body.pilotMin > request.body.pilotMax) throw new ApiError(400, 'invalid_parameter', `试点下限（${request.body.pilotMin}）大于上限（${request.body.pilotMax}）。`, { parameter: 'pilotMin' });
    const dropped = (await plans.policy()).modes.filter((mode) => !codes.includes(mode.code));
    if (dropped.length > 0) throw new ApiError(400, 'invalid_parameter', `新版本缺少：${dropped.map((mode) => `${mode.label}（${mode.code}）`).join('、')}。已有项目使用这些代码，请保留（可修改名称或说明）。`, { parameter: 'modes' });
    return plans.revisePolicy(request.body, actorOf(request));
  });

  app.get('/api/annual-plans', {
    config: { permission: 'data:read' },
    schema: { tags: ['plans'], summary: '年度实施计划 in the reader\'s districts, with project, 试点, milestone, done and overdue counts', querystring: PlanListQuery, response: { 200: PlanList, 400: ErrorBody } },
  }, async (request) => {
    const today = todayInChina();
    return { items: (await plans.list(request.query, scopeOf(request), today)).map(planView), today };
  });

  app.get('/api/annual-plans/ledger', {
    config: { permission: 'data:read' },
    schema: { tags: ['plans'], summary: '台账: milestones of the selected plans (overdue first), with counts per responsible unit', querystring: LedgerQuery, response: { 200: Ledger, 400: ErrorBody } },
  }, async (request) => {
    const today = todayInChina();
    const { rows, units } = await plans.ledger(request.query, scopeOf(request), today);
    const labels = await plans.modeLabels();
    const items = rows.map((row) => ({
      ...milestoneView(row, today), projectName: row.projectName, developer: row.developer, modeLabel: labels.get(row.mode) ?? row.mode, pilot: row.pilot,
      planId: row.planId, planTitle: row.planTitle, planState: row.planState, year: row.year, districtCode: row.districtCode, districtName: row.districtName,
    }));
    return { items, total: items.length, overdue: items.filter((item) => item.overdue).length, done: items.filter((item) => item.doneDate !== null).length, units, today };
  });

  app.get('/api/annual-plans/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['plans'], summary: 'One plan with its projects, milestones (with overdue) and state steps', params: PlanParams, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id, todayInChina());
    return detail(request.params.id);
  });

  app.post('/api/annual-plans', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Starts a district\'s plan for a year (编制中); 409 plan_exists when it has one', body: PlanCreate, response: { 201: PlanDetail, ...REFUSALS } },
  }, async (request, reply) => {
    const { districtCode, year } = request.body;
    const district = (await app.districtsRepository.list()).find((entry) => entry.code === districtCode && entry.level === 'district');
    if (!district) throw new ApiError(400, 'invalid_parameter', `没有区县 ${districtCode}：年度实施计划按区县编制（不是市）。`, { parameter: 'districtCode' });
    scopeOf(request).assertWritable({ code: district.code, name: district.name }, '该年度实施计划', '编制');
    const title = request.body.title?.trim() || `${district.name}${year}年度低效用地再开发实施计划`;
    const policy = await plans.policy();
    const created = await plans.create(districtCode, year, title, request.body.note?.trim() || null, policy.version, actorOf(request));
    if (!created.ok) throw new ApiError(409, PLAN_EXISTS, `${district.name}已有 ${year} 年度实施计划（id ${created.id}）：每区每年一份计划，请打开它修改。`, { planId: created.id });
    reply.code(201);
    return detail(created.id);
  });

  app.patch('/api/annual-plans/:id', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Changes a plan\'s title or note', params: PlanParams, body: PlanPatch, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const plan = await writable(request, request.params.id);
    const { expectedVersion, ...facts } = request.body;
    const saved = await plans.update(plan.id, facts, expectedVersion, actorOf(request));
    if (!saved.ok) throw stale('该计划', saved.currentVersion, expectedVersion);
    return detail(plan.id);
  });

  app.post('/api/annual-plans/:id/state', {
    config: { permission: 'plans:review' },
    schema: { tags: ['plans'], summary: '编制中 → 专班审定 → 已下达 (专班审定 may send it back with a reason); 409 naming the allowed steps otherwise', params: PlanParams, body: PlanTransition, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const plan = await writable(request, request.params.id, '审定');
    const { state, expectedVersion } = request.body;
    const reason = request.body.reason?.trim() || null;
    const allowed = planNextStates(plan.state);
    if (!allowed.includes(state)) {
      const options = allowed.length === 0 ? '已下达的计划不再变更（下一年度另编计划）' : `可改为：${allowed.map(planStateLabel).join('、')}`;
      throw new ApiError(409, INVALID_TRANSITION, `该计划是“${planStateLabel(plan.state)}”，不能改为“${planStateLabel(state)}”；${options}。`, { state: plan.state, allowed: [...allowed] });
    }
    if (planStepNeedsReason(plan.state, state) && !reason) throw new ApiError(400, 'invalid_parameter', `退回“${planStateLabel(state)}”需要填写理由 (reason)。`, { parameter: 'reason' });
    if (state === 'reviewed' && plan.projectCount === 0) throw new ApiError(409, INVALID_TRANSITION, '计划中还没有项目：请先添加项目再提交专班审定。', { state: plan.state, allowed: [...allowed] });
    const moved = await plans.transition(plan.id, plan.state, state, reason, expectedVersion, actorOf(request));
    if (!moved.ok) throw new ApiError(409, 'stale_version', `该计划已被他人修改（现为第 ${moved.currentVersion} 版，“${planStateLabel(moved.state)}”）：请重新打开后再操作。`, { currentVersion: moved.currentVersion });
    return detail(plan.id);
  });

  app.post('/api/annual-plans/:id/projects', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Adds a project (while 编制中): parcels and/or 成片改造区域, 开发主体, 实施内容, 盘活模式, 实施方案, 试点', params: PlanParams, body: ProjectCreate, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const plan = await writable(request, request.params.id);
    assertProjectsEditable(plan);
    const facts = request.body;
    await checkLinks(plan.districtCode, facts.parcelIds ?? [], facts.areaIds ?? []);
    const id = await plans.addProject(plan.id, plan.state, { ...facts, mode: await modeOf(plan, facts.mode) }, actorOf(request));
    if (id === null) assertProjectsEditable((await plans.find(plan.id, todayInChina()))!);
    return detail(plan.id);
  });

  app.patch('/api/annual-plans/projects/:id', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Changes a project (while its plan is 编制中)', params: ProjectParams, body: ProjectPatch, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const project = await plans.project(request.params.id);
    if (!project) throw new NotFoundError(`没有 id 为 ${request.params.id} 的计划项目`);
    const plan = await writable(request, project.planId);
    assertProjectsEditable(plan);
    const { expectedVersion, ...facts } = request.body;
    if (facts.parcelIds !== undefined || facts.areaIds !== undefined) await checkLinks(plan.districtCode, facts.parcelIds ?? project.parcelIds, facts.areaIds ?? project.areaIds);
    if (facts.mode !== undefined) await modeOf(plan, facts.mode);
    const scheme = facts.scheme ? { ...project.scheme, ...facts.scheme } : undefined;
    const saved = await plans.updateProject(project.id, plan.id, plan.state, { ...facts, scheme }, expectedVersion, actorOf(request));
    if (!saved.ok) {
      if ('state' in saved) assertProjectsEditable({ ...plan, state: saved.state });
      else throw stale('该项目', saved.currentVersion, expectedVersion);
    }
    return detail(plan.id);
  });

  app.post('/api/annual-plans/projects/:id/milestones', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Adds a milestone (节点) to a project: name, planned date, responsible unit, done date', params: ProjectParams, body: MilestoneCreate, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const project = await plans.project(request.params.id);
    if (!project) throw new NotFoundError(`没有 id 为 ${request.params.id} 的计划项目`);
    const plan = await writable(request, project.planId);
    await plans.addMilestone(project.id, request.body, actorOf(request));
    return detail(plan.id);
  });

  app.patch('/api/annual-plans/milestones/:id', {
    config: { permission: 'plans:write' },
    schema: { tags: ['plans'], summary: 'Changes a milestone or records its done date (null clears it)', params: MilestoneParams, body: MilestonePatch, response: { 200: PlanDetail, ...REFUSALS } },
  }, async (request) => {
    const milestone = await plans.milestone(request.params.id);
    if (!milestone) throw new NotFoundError(`没有 id 为 ${request.params.id} 的节点`);
    const plan = await writable(request, milestone.planId);
    const { expectedVersion, ...facts } = request.body;
    const saved = await plans.updateMilestone(milestone.id, facts, expectedVersion, actorOf(request));
    if (!saved.ok) throw stale('该节点', saved.currentVersion, expectedVersion);
    return detail(plan.id);
  });

  app.get('/api/annual-plans/:id/report.pdf', {
    config: { permission: 'data:read', heavy: true },
    schema: { tags: ['plans'], summary: '双月工作简报 or 半年工作进展情况报告 of a plan as PDF (on the audit log)', params: PlanParams, querystring: PlanReportQuery, response: { 200: PdfFile, ...REFUSALS } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const plan = await readable(scopeOf(request), request.params.id, todayInChina());
    const view = await detail(plan.id);
    const { kind } = request.query;
    const number = request.query.period ?? (view.today.slice(0, 4) === String(plan.year) ? currentReportPeriod(kind, view.today) : 1);
    const period = reportPeriod(kind, plan.year, number);
    if (!period) throw new ApiError(400, 'invalid_parameter', kind === 'bimonthly' ? '双月简报的期数为 1–6。' : '半年报告的期数为 1（上半年）或 2（下半年）。', { parameter: 'period' });
    const title = planReportTitle(kind);
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'biaotu-plan-report-'));
    try {
      const file = path.join(directory, 'report.pdf');
      const document = planReportDocument({ plan: view, kind, period, next: reportPeriod(kind, plan.year, number + 1), actor: `${principal.displayName}（${principal.username}）`, at: new Date() });
      await app.pdfRenderer.render(document, file, { footer: `${plan.districtName} · ${title} · ${period.name}` });
      const content = await fs.readFile(file);
      await recordEvent(app.db, { entity: 'annual_plans', entityId: String(plan.id), action: 'export', actor: principal.username, requestId: request.id, before: null, after: { file: 'report.pdf', kind, period: number } });
      const name = exportFileName([plan.districtName, title, period.name], exportStamp(new Date()), '.pdf');
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', name, `plan-${plan.id}-${kind}-${number}.pdf`)).send(content);
    } finally {
      await fs.rm(directory, { recursive: true, force: true });
    }
  });
}
