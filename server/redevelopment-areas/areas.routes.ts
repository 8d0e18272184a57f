import type { FastifyRequest } from 'fastify';
import {
  AreaBody, AreaDeleted, AreaDetail, AreaList, AreaListQuery, AreaParams, AreaRecheck, AreaRestore, AreaReviseApproved, AreaRevision, AreaRevoke,
  AreaStatusChange, AreaVersionParams, type SavedCheckInput,
} from '../../domain/api/areas.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  AREA_REVISE, AREA_REVOKE, AREA_TRANSITIONS, areaAllowedSteps, areaDeletable, areaEditable, areaStatusLabel, reviewActionLabel, reviewActionOf, reviewNeedsNote,
  type AreaKind, type AreaStatus, type RedevelopmentMode,
} from '../../domain/redevelopment-areas.js';
import { ACTION_LABELS, roleCan } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Scope } from '../auth/scope.js';
import { ApiError, GeometryError, NotFoundError, unlessRefused } from '../errors.js';
import { areaDetail, pinnedOf, summaryOf } from './area-detail.js';
import { overallPass, type AreaContent, type AreaRow, type AreaVersionRow } from './areas.repository.js';

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

  /** An area at its current version (or at `version`), as GET /api/areas/:id answers it. */
  const detail = (row: AreaRow, version?: AreaVersionRow): Promise<AreaDetail> => areaDetail(areas, row, version);

  /**
   * The authoritative check of a saved version, run now against the current version of its rule
   * set: what a 报审 pins (the rules in force when submitted) and what a 复核 shows.
   */
  async function checkSaved(scope: Scope, row: AreaRow, saved: SavedCheckInput) {
    // Every set at its version in force now (the city's and the further ones alike).
    const body = {
      ...saved, parcels: saved.parcels ?? undefined, ruleSetVersion: undefined, excludeArea: row.id,
      additionalRuleSets: saved.additionalRuleSets?.map((set) => ({ id: set.id })),
    };
    const { ruleSet, input } = unlessRefused(await checks.prepare(body));
    return unlessRefused(await checks.run(ruleSet, input, scope)).answer;
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

  /** 409 naming what the area's status allows instead. */
  const notAllowed = (what: string, status: string, approvedVersion: number | null) =>
    new ApiError(409, 'not_editable', `该区域处于“${areaStatusLabel(status)}”状态，不能${what}；可执行：${areaAllowedSteps(status as AreaStatus, approvedVersion).join('、') || '无'}。`, {
      status,
    });
  const notEditable = (status: string, approvedVersion: number | null = null) => notAllowed('修改', status, approvedVersion);

  function assertEditable(scope: Scope, row: AreaRow): void {
    scope.assertWritable(districtOfRow(row), '该区域');
    if (!areaEditable(row.status as AreaStatus)) throw notEditable(row.status, row.approved_version);
  }

  /** 403 unless the user's role may take this step. */
  function assertRole(request: FastifyRequest, action: 'areas:write' | 'areas:review', step: string): void {
    if (!roleCan(principalOf(request).role, action)) {
      throw new ApiError(403, 'forbidden', `${step}需要“${ACTION_LABELS[action]}”的权限；请联系有权限的人员。`, { action });
    }
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

  const actorOf = (request: FastifyRequest) => ({ name: principalOf(request).username, displayName: principalOf(request).displayName, requestId: request.id });

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
    config: { permission: 'data:read', heavy: true },
    schema: {
      tags: ['areas'],
      summary: 'Move an area along 草案 → 报审 → 批准 / 退回 (planners submit, officials decide); recorded in its 审批记录',
      description: '报审 runs the check of the submitted version against the current version of its rule set and pins the answer; 批准 pins the submission\'s answer as reviewed. 退回 requires a note (the opinion). An approved area leaves 批准 only by /revoke or /revise.',
      params: AreaParams, body: AreaStatusChange, response: { 200: AreaDetail, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    const from = row.status as AreaStatus;
    const to = request.body.status;
    const transition = AREA_TRANSITIONS[from].find((candidate) => candidate.to === to);
    if (!transition) {
      throw new ApiError(409, 'invalid_transition', `“${areaStatusLabel(from)}”的区域不能改为“${areaStatusLabel(to)}”；可执行：${areaAllowedSteps(from, row.approved_version).join('、') || '无'}`, { status: from });
    }
    assertRole(request, transition.action, `改为“${areaStatusLabel(to)}”`);
    scope.assertWritable(districtOfRow(row), '该区域', '审批');
    const action = reviewActionOf(to);
    const note = request.body.note?.trim() || null;
    if (reviewNeedsNote(action) && !note) throw new ApiError(400, 'invalid_parameter', `${reviewActionLabel(action)}时请写明意见 (note)`, { parameter: 'note' });
    const pinned = action === 'submit' ? { result: await checkSaved(scope, row, (await areas.version(row.id, row.version))!.input) } : null;
    if (!(await areas.setStatus(row.id, row.version, from, to, action, note, pinned, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域的状态或内容刚被他人改变：请刷新后重试。');
    }
    return detail((await areas.find(row.id))!);
  });

  app.post('/api/areas/:id/revoke', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'],
      summary: '撤销批准: an official takes an approval back (reason required); the area goes to 退回, the approval and its pinned verdict stay in its 审批记录',
      params: AreaParams, body: AreaRevoke, response: { 200: AreaDetail, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    if (row.status !== AREA_REVOKE.from) throw notAllowed('撤销批准（只有已批准的区域可以撤销）', row.status, row.approved_version);
    assertRole(request, AREA_REVOKE.action, '撤销批准');
    scope.assertWritable(districtOfRow(row), '该区域', '审批');
    const reason = request.body.reason.trim();
    if (!reason) throw new ApiError(400, 'invalid_parameter', '撤销批准时请写明原因 (reason)', { parameter: 'reason' });
    if (!(await areas.revoke(row.id, row.version, reason, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域的状态刚被他人改变：请刷新后重试。');
    }
    return detail((await areas.find(row.id))!);
  });

  app.post('/api/areas/:id/revise', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'],
      summary: '开始修订: a change to an approved area starts a new 草案 version (a copy of the approved one); the approved version stays in force until a newer one is approved',
      params: AreaParams, body: AreaReviseApproved, response: { 200: AreaDetail, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    if (row.status !== AREA_REVISE.from) throw notAllowed('开始修订（只有已批准的区域需要另起草案；草案与退回的区域可直接修改）', row.status, row.approved_version);
    assertRole(request, AREA_REVISE.action, '开始修订');
    scope.assertWritable(districtOfRow(row), '该区域');
    if (row.version !== request.body.baseVersion) {
      throw new ApiError(409, 'version_conflict', `该区域已是第 ${row.version} 版（您依据的是第 ${request.body.baseVersion} 版）：请刷新后重试。`, { currentVersion: row.version });
    }
    if (!(await areas.reviseApproved(row.id, row.version, request.body.note?.trim() || null, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域的状态或内容刚被他人改变：请刷新后重试。');
    }
    return detail((await areas.find(row.id))!);
  });

  app.get('/api/areas/:id/recheck', {
    config: { permission: 'data:read', heavy: true },
    schema: {
      tags: ['areas'],
      summary: '按最新规则复核: the verdict as pinned (or as saved) beside a check of the same version against the current version of its rule set; writes nothing',
      params: AreaParams, response: { 200: AreaRecheck, ...REFUSALS },
    },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    const saved = (await areas.version(row.id, row.version))!;
    const pinned = row.pinned_review_id === null ? null : pinnedOf(await areas.review(row.pinned_review_id));
    const basis = pinned
      ? { source: pinned.action, at: pinned.at, ruleSetVersion: pinned.ruleSetVersion, pass: pinned.pass, result: pinned.result }
      : { source: 'save' as const, at: saved.saved_at.toISOString(), ruleSetVersion: saved.rule_set_version, pass: saved.pass, result: saved.result };
    const current = await checkSaved(scope, row, saved.input);
    return { version: row.version, basis, current: { ruleSetVersion: current.ruleSet.version, pass: overallPass(current), result: current } };
  });

  app.delete('/api/areas/:id', {
    config: { permission: 'areas:write' },
    schema: {
      tags: ['areas'], summary: 'Delete an area (soft: kept with its versions and history); only a 草案 or 退回 area with no approval in force',
      params: AreaParams, response: { 204: AreaDeleted, ...REFUSALS },
    },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable(districtOfRow(row), '该区域', '删除');
    if (!areaDeletable(row.status as AreaStatus, row.approved_version)) {
      const why = row.approved_version !== null && row.status !== 'approved' ? `（第 ${row.approved_version} 版已批准，须先撤销批准）` : '';
      throw notAllowed(`删除${why}`, row.status, row.approved_version);
    }
    if (!(await areas.softDelete(row.id, actorOf(request)))) {
      throw new ApiError(409, 'version_conflict', '该区域刚被他人报审、批准或删除：请刷新后重试。');
    }
    return reply.code(204).send(null);
  });
}
