import type { FastifyRequest } from 'fastify';
import {
  AreaBody, AreaDeleted, AreaDetail, AreaList, AreaListQuery, AreaParams, AreaRestore, AreaRevision, AreaStatusChange, AreaVersionParams,
  type AreaSummary, type SavedCheckInput,
} from '../../domain/api/areas.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import { AREA_TRANSITIONS, areaEditable, areaStatusLabel, type AreaKind, type AreaStatus, type RedevelopmentMode } from '../../domain/redevelopment-areas.js';
import { ACTION_LABELS, roleCan } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Scope } from '../auth/scope.js';
import { ApiError, GeometryError, NotFoundError, unlessRefused } from '../errors.js';
import type { AreaContent, AreaRow, AreaVersionRow } from './areas.repository.js';

const summaryOf = (row: AreaRow): AreaSummary => ({
  id: row.id, name: row.name, districtCode: row.district_code, districtName: row.district_name, status: row.status as AreaStatus, kind: row.kind as AreaKind,
  version: row.version, ruleSetId: row.rule_set_id, ruleSetVersion: row.rule_set_version, areaM2: row.area_m2, pass: row.pass,
  updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by,
});

const districtOfRow = (row: AreaRow) => ({ code: row.district_code, name: row.district_name });

/** Every refusal an area route may answer: what was wrong and how to fix it. */
const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function areasRoutes(app: AppInstance): Promise<void> {
  const areas = app.areasRepository;
  const checks = app.checksService;

  /** An area the reader may see (404 when missing or deleted, 403 outside the reader's districts). */
  async function readable(scope: Scope, id: number): Promise<AreaRow> {
    const row = await areas.find(id);
    if (!row || row.deleted_at) throw new NotFoundError(`没有编号为 ${id} 的成片改造区域${row?.deleted_at ? '（已删除）' : ''}`);
    scope.assertReadable(districtOfRow(row), '该区域');
    return row;
  }

  async function detail(row: AreaRow, version?: AreaVersionRow): Promise<AreaDetail> {
    const shown = version ?? (await areas.version(row.id, row.version))!;
    const versions = await areas.versions(row.id);
    return {
      ...summaryOf(row),
      ...(version ? { version: version.version, name: version.name, status: version.status as AreaStatus, kind: version.kind as AreaKind, ruleSetId: version.rule_set_id, ruleSetVersion: version.rule_set_version, areaM2: version.area_m2, pass: version.pass } : {}),
      mode: shown.mode as RedevelopmentMode, modeOther: shown.mode_other, targetLandUse: shown.target_land_use, input: shown.input, result: shown.result,
      versions: versions.map((entry) => ({
        version: entry.version, savedAt: entry.saved_at.toISOString(), savedBy: entry.saved_by, note: entry.note, status: entry.status as AreaStatus, kind: entry.kind as AreaKind,
        areaM2: entry.area_m2, pass: entry.pass, ruleSetVersion: entry.rule_set_version,
      })),
    };
  }

  /** Runs the authoritative check of a body and finds the district the area belongs to (in the writer's scope). */
  async function contentOf(scope: Scope, body: AreaBody, excludeArea: number | null): Promise<AreaContent> {
    if (body.mode === 'other' && !body.modeOther?.trim()) throw new ApiError(400, 'invalid_parameter', '改造模式为“其他”时请填写说明 (modeOther)', { parameter: 'modeOther' });
    const { ruleSet, input } = unlessRefused(await checks.prepare({ ...body, excludeArea: excludeArea ?? undefined }));
    unlessRefused(await checks.validate(input));
    const district = await areas.districtOf(body.boundary);
    if (!district) throw new GeometryError('边界不在任何区县内：请检查坐标（经度, 纬度）或所在城市', 'boundary');
    scope.assertWritable(district, '该区域', '绘制');
    const { answer } = unlessRefused(await checks.run(ruleSet, input, scope));
    const saved: SavedCheckInput = {
      ruleSet: ruleSet.id, ruleSetVersion: ruleSet.version,
      additionalRuleSets: input.additionalRuleSets.map((set) => ({ id: set.id, version: set.version })), kind: input.kind, projectCount: input.projectCount,
      boundary: body.boundary,
      fragments: body.fragments ?? { type: 'FeatureCollection', features: [] }, supportingLand: body.supportingLand ?? { type: 'FeatureCollection', features: [] },
      parcels: body.parcels ?? null, fragmentParcels: body.fragmentParcels ?? [], uncoveredIsFragment: body.uncoveredIsFragment ?? true,
      figures: input.figures,
    };
    return {
      name: body.name.trim(), mode: body.mode, modeOther: body.mode === 'other' ? body.modeOther!.trim() : null,
      targetLandUse: body.targetLandUse?.trim() || null, kind: input.kind, note: body.note?.trim() || null, input: saved, result: answer, districtCode: district.code,
    };
  }

  const notEditable = (status: string) =>
    new ApiError(409, 'not_editable', `该区域处于“${areaStatusLabel(status)}”状态，不能修改；如需修改，请先退回为草案。`, { status });

  function assertEditable(scope: Scope, row: AreaRow): void {
    scope.assertWritable(districtOfRow(row), '该区域');
    if (!areaEditable(row.status as AreaStatus)) throw notEditable(row.status);
  }

  /**
   * Saves a revision, or answers why it lost: the status or version is decided again under the
   * row's lock, since a 报审 or another save may have landed while the check ran.
   */
  async function revise(row: AreaRow, baseVersion: number, content: AreaContent, request: FastifyRequest, action: 'update' | 'restore', verb: string): Promise<AreaDetail> {
    const saved = await areas.revise(row.id, baseVersion, content, actorOf(request), action);
    if ('refused' in saved) {
      if (saved.refused === 'deleted') throw new NotFoundError(`没有编号为 ${row.id} 的成片改造区域（已删除）`);
      if (saved.refused === 'status') throw notEditable(saved.status);
      throw new ApiError(409, 'version_conflict', `该区域已被保存为第 ${saved.currentVersion} 版（您${verb}所依据的是第 ${baseVersion} 版）：请重新打开后再${verb}。`, { currentVersion: saved.currentVersion });
    }
    return detail((await areas.find(row.id))!);
  }

  const actorOf = (request: FastifyRequest) => ({ name: principalOf(request).username, requestId: request.id });

  app.get('/api/areas', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'],
      summary: '成片改造区域 list (the reader\'s districts), by district and status',
      querystring: AreaListQuery,
      response: { 200: AreaList, 400: ErrorBody },
    },
  }, async (request) => {
    const { rows, total } = await areas.list(request.query, scopeOf(request));
    return { items: rows.map(summaryOf), total };
  });

  app.get('/api/areas/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['areas'], summary: 'One area: current version with its check input and answer, and the list of versions', params: AreaParams, response: { 200: AreaDetail, ...REFUSALS } },
  }, async (request) => detail(await readable(scopeOf(request), request.params.id)));

  app.get('/api/areas/:id/versions/:version', {
    config: { permission: 'data:read' },
    schema: { tags: ['areas'], summary: 'One saved version of an area', params: AreaVersionParams, response: { 200: AreaDetail, ...REFUSALS } },
  }, async (request) => {
    const row = await readable(scopeOf(request), request.params.id);
    const version = await areas.version(request.params.id, request.params.version);
    if (!version) throw new NotFoundError(`区域 ${request.params.id} 没有第 ${request.params.version} 版（当前第 ${row.version} 版）`);
    return detail(row, version);
  });

  app.post('/api/areas', {
    config: { permission: 'areas:write', heavy: true },
    schema: { tags: ['areas'], summary: 'Save a new area (version 1, 草案); the check is run and stored with it', body: AreaBody, response: { 201: AreaDetail, ...REFUSALS } },
  }, async (request, reply) => {
    const content = await contentOf(scopeOf(request), request.body, null);
    const id = await areas.create(content, actorOf(request));
    return reply.code(201).send(await detail((await areas.find(id))!));
  });

  app.put('/api/areas/:id', {
    config: { permission: 'areas:write', heavy: true },
    schema: { tags: ['areas'], summary: 'Revise an area: a new version (草案 or 退回 only); 409 if someone saved since baseVersion', params: AreaParams, body: AreaRevision, response: { 200: AreaDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    assertEditable(scope, row);
    return revise(row, request.body.baseVersion, await contentOf(scope, request.body, row.id), request, 'update', '修改');
  });

  app.post('/api/areas/:id/restore', {
    config: { permission: 'areas:write', heavy: true },
    schema: {
      tags: ['areas'], summary: 'Restore an old version as a new version (re-checked with the rule set it names)',
      params: AreaParams, body: AreaRestore, response: { 200: AreaDetail, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    assertEditable(scope, row);
    const old = await areas.version(row.id, request.body.version);
    if (!old) throw new NotFoundError(`区域 ${row.id} 没有第 ${request.body.version} 版`);
    const body: AreaBody = {
      ...old.input, parcels: old.input.parcels ?? undefined, kind: old.input.kind ?? (old.kind as AreaKind),
      name: old.name, mode: old.mode as RedevelopmentMode, modeOther: old.mode_other, targetLandUse: old.target_land_use, note: `恢复第 ${old.version} 版`,
    };
    return revise(row, request.body.baseVersion, await contentOf(scope, body, row.id), request, 'restore', '恢复');
  });

  app.post('/api/areas/:id/status', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'], summary: 'Move an area along 草案 → 报审 → 批准 / 退回 (planners submit, officials decide)',
      params: AreaParams, body: AreaStatusChange, response: { 200: AreaDetail, ...REFUSALS },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    const from = row.status as AreaStatus;
    const to = request.body.status;
    const transition = AREA_TRANSITIONS[from].find((candidate) => candidate.to === to);
    if (!transition) {
      const allowed = AREA_TRANSITIONS[from].map((candidate) => areaStatusLabel(candidate.to)).join('、');
      throw new ApiError(409, 'invalid_transition', `“${areaStatusLabel(from)}”的区域不能改为“${areaStatusLabel(to)}”；可改为：${allowed}`, { status: from });
    }
    if (!roleCan(principal.role, transition.action)) {
      throw new ApiError(403, 'forbidden', `改为“${areaStatusLabel(to)}”需要“${ACTION_LABELS[transition.action]}”的权限；请联系有权限的人员。`, { action: transition.action });
    }
    scope.assertWritable(districtOfRow(row), '该区域', '审批');
    if (!(await areas.setStatus(row.id, row.version, from, to, request.body.note ?? null, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域的状态或内容刚被他人改变：请刷新后重试。');
    }
    return detail((await areas.find(row.id))!);
  });

  app.delete('/api/areas/:id', {
    config: { permission: 'areas:write' },
    schema: {
      tags: ['areas'], summary: 'Delete an area (soft: kept with its versions and history)',
      params: AreaParams, response: { 204: AreaDeleted, ...REFUSALS },
    },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable(districtOfRow(row), '该区域', '删除');
    if (row.status === 'approved') throw new ApiError(409, 'not_editable', '已批准的区域不能删除；如需撤销，请先由审核人员退回。');
    if (!(await areas.softDelete(row.id, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域刚被他人批准或删除：请刷新后重试。');
    }
    return reply.code(204).send(null);
  });
}
