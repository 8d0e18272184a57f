import type { FastifyRequest } from 'fastify';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  ProblemCreate, ProblemDetail, ProblemExportQuery, ProblemWorkbook, ProblemList, ProblemListQuery, ProblemParams, ProblemPatch, ProblemTransition, type Problem,
} from '../../domain/api/problems.schemas.js';
import { stockDepartmentName } from '../../domain/departments.js';
import { todayInChina } from '../../domain/parcel-card-validation.js';
import { PROBLEM_FINAL_STATUSES, PROBLEM_STATUSES, problemNextStatuses, problemOverdue, problemStatusLabel, type ProblemStatus } from '../../domain/problems.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { scopeNames } from '../auth/principal.js';
import type { Scope } from '../auth/scope.js';
import { contentDisposition } from '../content-disposition.js';
import { ApiError, NotFoundError } from '../errors.js';
import { problemsWorkbook } from './problems-workbook.js';
import type { ProblemRow } from './problems.repository.js';

const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** 问题清单: list with counts per department and overdue, one problem, register, edit, state changes, Excel. */
export async function problemsRoutes(app: AppInstance): Promise<void> {
  const problems = app.problemsRepository;
  const lists = app.stockListsRepository;
  const actorOf = (request: FastifyRequest) => ({ name: principalOf(request).username, displayName: principalOf(request).displayName, requestId: request.id });

  async function views(rows: readonly ProblemRow[], today: string): Promise<Problem[]> {
    const labels = await lists.labels('problem_category');
    const links = await problems.links([...new Set(rows.flatMap((row) => row.parcelIds))], [...new Set(rows.flatMap((row) => row.areaIds))]);
    return rows.map((row) => ({
      ...row, categoryLabel: labels.get(row.category) ?? row.category, departmentName: stockDepartmentName(row.department), overdue: problemOverdue(row, today),
      parcels: row.parcelIds.map((id) => ({ id, code: links.parcels.get(id) ?? null })), areas: row.areaIds.map((id) => ({ id, name: links.areas.get(id) ?? null })),
      statusAt: new Date(row.statusAt).toISOString(), createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString(),
      nextStatuses: [...problemNextStatuses(row.status)],
    }));
  }

  async function readable(scope: Scope, id: number): Promise<ProblemRow> {
    const row = await problems.find(id);
    if (!row) throw new NotFoundError(`没有编号为 ${id} 的问题`);
    scope.assertReadable({ code: row.districtCode, name: row.districtName }, '该问题');
    return row;
  }

  const detail = async (id: number): Promise<ProblemDetail> => {
    const [view] = await views([(await problems.find(id))!], todayInChina());
    const steps = (await problems.steps(id)).map((step) => ({ ...step, at: new Date(step.at as unknown as string).toISOString() }));
    return { ...view, steps };
  };

  async function categoryOf(code: string) {
    const list = await lists.current('problem_category');
    if (!list.items.some((item) => item.code === code)) {
      throw new ApiError(400, 'invalid_parameter', `问题类别“${code}”不在当前清单（第 ${list.version} 版）中；可选：${list.items.map((item) => `${item.code}（${item.label}）`).join('、')}。`, { parameter: 'category' });
    }
    return { category: code, categoryVersion: list.version };
  }

  /** Linked parcels and areas exist and lie in the problem's district (400 naming the field otherwise). */
  async function checkLinks(districtCode: string, parcelIds: readonly number[] = [], areaIds: readonly number[] = []) {
    const found = await problems.linkDistricts(parcelIds, areaIds);
    const missingParcel = parcelIds.find((id) => !found.parcels.some((row) => row.id === id));
    if (missingParcel) throw new ApiError(400, 'invalid_parameter', `没有 id 为 ${missingParcel} 的地块：请从地图或搜索中选择地块。`, { parameter: 'parcelIds' });
    const otherParcel = found.parcels.find((row) => row.districtCode !== districtCode);
    if (otherParcel) throw new ApiError(400, 'invalid_parameter', `地块 ${otherParcel.id} 不在该问题所属区县（${districtCode}）内：问题按区县编号，请只关联本区县的地块。`, { parameter: 'parcelIds' });
    const missingArea = areaIds.find((id) => !found.areas.some((row) => row.id === id));
    if (missingArea) throw new ApiError(400, 'invalid_parameter', `没有 id 为 ${missingArea} 的成片改造区域（或已删除）。`, { parameter: 'areaIds' });
    const otherArea = found.areas.find((row) => row.districtCode !== districtCode);
    if (otherArea) throw new ApiError(400, 'invalid_parameter', `成片改造区域 ${otherArea.id} 不在该问题所属区县（${districtCode}）内。`, { parameter: 'areaIds' });
  }

  app.get('/api/problems', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: '问题清单 in the reader\'s districts, filtered, with counts per state and department and overdue', querystring: ProblemListQuery, response: { 200: ProblemList, 400: ErrorBody } },
  }, async (request) => {
    const { page, pageSize, ...filters } = request.query;
    const today = todayInChina();
    const result = await problems.list(filters, scopeOf(request), today, { limit: pageSize, offset: (page - 1) * pageSize });
    return {
      items: await views(result.rows, today), total: result.total, overdue: result.overdue, today,
      byStatus: PROBLEM_STATUSES.map((status) => ({ status: status.code, label: status.label, count: result.byStatus.find((entry) => entry.status === status.code)?.count ?? 0 })),
      byDepartment: result.byDepartment.map((entry) => ({ ...entry, name: stockDepartmentName(entry.department) })),
    };
  });

  app.get('/api/problems/export.xlsx', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: '问题清单 as Excel (the list\'s filters), with a sheet per department and a 说明 sheet', querystring: ProblemExportQuery, response: { 200: ProblemWorkbook, 400: ErrorBody } },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const today = todayInChina();
    const rows = await problems.all(request.query, scope, today);
    const links = await problems.links([...new Set(rows.flatMap((row) => row.parcelIds))], [...new Set(rows.flatMap((row) => row.areaIds))]);
    const filters = Object.entries(request.query).map(([key, value]) => `${key}=${String(value)}`);
    const principal = principalOf(request);
    const buffer = await problemsWorkbook(rows, {
      today, categories: await lists.labels('problem_category'), parcels: links.parcels, areas: links.areas as Map<number, string>,
      filters, scope: scopeNames(principal), actor: `${principal.displayName}（${principal.username}）`,
    });
    await app.auditRepository.record({ entity: 'stock_problems', entityId: '*', action: 'export', actor: principal.username, requestId: request.id, after: { rows: rows.length, filters: request.query } });
    reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    reply.header('content-disposition', contentDisposition('attachment', `问题清单_${today.replaceAll('-', '')}.xlsx`, `problems_${today.replaceAll('-', '')}.xlsx`));
    return reply.send(buffer);
  });

  app.get('/api/problems/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'One problem with every state change', params: ProblemParams, response: { 200: ProblemDetail, ...REFUSALS } },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id);
    return detail(request.params.id);
  });

  app.post('/api/problems', {
    config: { permission: 'problems:write' },
    schema: { tags: ['stock'], summary: 'Registers a problem (待办), numbered per district and year', body: ProblemCreate, response: { 201: ProblemDetail, ...REFUSALS } },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const { districtCode, category, ...facts } = request.body;
    const district = (await app.districtsRepository.list()).find((entry) => entry.code === districtCode && entry.level === 'district');
    if (!district) throw new ApiError(400, 'invalid_parameter', `没有区县 ${districtCode}：问题登记到区县（不是市）。`, { parameter: 'districtCode' });
    scope.assertWritable({ code: district.code, name: district.name }, '该问题', '登记');
    await checkLinks(districtCode, facts.parcelIds, facts.areaIds);
    const id = await problems.create(districtCode, { ...facts, ...(await categoryOf(category)) }, Number(todayInChina().slice(0, 4)), actorOf(request));
    reply.code(201);
    return detail(id);
  });

  app.patch('/api/problems/:id', {
    config: { permission: 'problems:write' },
    schema: { tags: ['stock'], summary: 'Changes a problem\'s facts', params: ProblemParams, body: ProblemPatch, response: { 200: ProblemDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该问题');
    const { expectedVersion, category, ...facts } = request.body;
    await checkLinks(row.districtCode, facts.parcelIds, facts.areaIds);
    const saved = await problems.update(row.id, { ...facts, ...(category !== undefined ? await categoryOf(category) : {}) }, expectedVersion, actorOf(request));
    if (!saved.ok) throw new ApiError(409, 'stale_version', `该问题已被他人修改为第 ${saved.currentVersion} 版（您打开的是第 ${expectedVersion} 版）：请重新打开后再修改。`, { currentVersion: saved.currentVersion });
    return detail(row.id);
  });

  app.post('/api/problems/:id/status', {
    config: { permission: 'problems:write' },
    schema: { tags: ['stock'], summary: '待办 → 办理中 → 已解决 / 无法解决 (an ending step needs its outcome; 409 naming the allowed steps otherwise)', params: ProblemParams, body: ProblemTransition, response: { 200: ProblemDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该问题', '办理');
    const { status, expectedVersion } = request.body;
    const note = request.body.note?.trim() || null;
    const allowed = problemNextStatuses(row.status);
    if (!allowed.includes(status)) {
      throw new ApiError(409, 'invalid_transition', `该问题是“${problemStatusLabel(row.status)}”，不能改为“${problemStatusLabel(status)}”；可改为：${allowed.map(problemStatusLabel).join('、')}。`, { status: row.status, allowed: [...allowed] });
    }
    const ending = PROBLEM_FINAL_STATUSES.includes(status as ProblemStatus);
    if (ending && !note) throw new ApiError(400, 'invalid_parameter', `改为“${problemStatusLabel(status)}”需要填写办理结果 (note)。`, { parameter: 'note' });
    // An ending step writes the outcome; reopening keeps the old outcome on record in the steps and clears it.
    const moved = await problems.transition(row.id, row.status, status, note, ending ? note : null, expectedVersion, actorOf(request));
    if (!moved.ok) throw new ApiError(409, 'stale_version', `该问题已被他人修改（现为第 ${moved.currentVersion} 版，“${problemStatusLabel(moved.status)}”）：请重新打开后再操作。`, { currentVersion: moved.currentVersion });
    return detail(row.id);
  });
}
