import { Type, type Static } from 'typebox';
import { AREA_STATUS_CODES, AREA_TRANSITIONS, REDEVELOPMENT_MODE_CODES, areaEditable, areaStatusLabel, type AreaStatus } from '../../domain/areas.js';
import { ACTION_LABELS, roleCan } from '../../domain/permissions.js';
import { DISTRICT_CODE_PATTERN } from '../../domain/districts.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scope.js';
import { CheckBody, prepareCheck } from '../checks/checks.routes.js';
import { runCheck } from '../checks/checks.service.js';
import { ApiError, GeometryError, NotFoundError } from '../errors.js';
import { createRuleSetsRepository } from '../rules/rule-sets.repository.js';
import { StringEnum } from '../../domain/api/common.schemas.js';
import { createAreasRepository, type AreaRow, type VersionRow } from './areas.repository.js';
import { boundaryFromFileRoute } from './boundary-file.js';

const AreaFields = {
  name: Type.String({ minLength: 1, maxLength: 100, description: '区域名称' }),
  mode: StringEnum(REDEVELOPMENT_MODE_CODES, { description: '改造模式 (domain/areas.ts)' }),
  modeOther: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })], { description: '改造模式为 other 时的说明' })),
  targetLandUse: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })], { description: '目标用途' })),
  note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 1000 })], { description: '本次保存说明' })),
};
const AreaBody = Type.Object({ ...CheckBody.properties, ...AreaFields });
const ReviseBody = Type.Object({ ...CheckBody.properties, ...AreaFields, baseVersion: Type.Integer({ minimum: 1, description: '修改所依据的版本；他人已保存新版本时返回 409' }) });

const AreaSummary = Type.Object({
  id: Type.Integer(), name: Type.String(), districtCode: Type.String(), districtName: Type.String(),
  status: Type.String(), version: Type.Integer(), ruleSetId: Type.String(), ruleSetVersion: Type.Integer(),
  areaM2: Type.Number(), pass: Type.Union([Type.Boolean(), Type.Null()]), updatedAt: Type.String(), updatedBy: Type.String(),
});
const VersionSummary = Type.Object({
  version: Type.Integer(), savedAt: Type.String(), savedBy: Type.String(), note: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(), areaM2: Type.Number(), pass: Type.Union([Type.Boolean(), Type.Null()]), ruleSetVersion: Type.Integer(),
});
const AreaDetail = Type.Object({
  ...AreaSummary.properties,
  mode: Type.String(), modeOther: Type.Union([Type.String(), Type.Null()]), targetLandUse: Type.Union([Type.String(), Type.Null()]),
  input: Type.Record(Type.String(), Type.Unknown(), { description: 'the POST /api/checks body as saved' }),
  result: Type.Record(Type.String(), Type.Unknown(), { description: 'the POST /api/checks answer saved with it' }),
  versions: Type.Array(VersionSummary),
});

const summaryOf = (row: AreaRow) => ({
  id: Number(row.id), name: row.name, districtCode: row.district_code, districtName: row.district_name, status: row.status,
  version: row.version, ruleSetId: row.rule_set_id, ruleSetVersion: row.rule_set_version, areaM2: row.area_m2, pass: row.pass,
  updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by,
});

export async function areasRoutes(app: AppInstance): Promise<void> {
  const areas = createAreasRepository(app.pool);
  const ruleSets = createRuleSetsRepository(app.pool);

  async function readable(principal: Principal, id: number): Promise<AreaRow> {
    const row = await areas.find(id);
    if (!row || row.deleted_at) throw new NotFoundError(`没有编号为 ${id} 的成片改造区域${row?.deleted_at ? '（已删除）' : ''}`);
    Scope.of(principal).assertReadable({ code: row.district_code, name: row.district_name }, '该区域');
    return row;
  }

  async function detail(row: AreaRow, version?: VersionRow) {
    const shown = version ?? (await areas.version(Number(row.id), row.version))!;
    const versions = await areas.versions(Number(row.id));
    return {
      ...summaryOf(row),
      ...(version ? { version: version.version, name: version.name, status: version.status, ruleSetId: version.rule_set_id, ruleSetVersion: version.rule_set_version, areaM2: version.area_m2, pass: version.pass } : {}),
      mode: shown.mode, modeOther: shown.mode_other, targetLandUse: shown.target_land_use, input: shown.input, result: shown.result as unknown as Record<string, unknown>,
      versions: versions.map((entry) => ({
        version: entry.version, savedAt: entry.saved_at.toISOString(), savedBy: entry.saved_by, note: entry.note, status: entry.status,
        areaM2: entry.area_m2, pass: entry.pass, ruleSetVersion: entry.rule_set_version,
      })),
    };
  }

  /** Runs the authoritative check of a body and finds the district the area belongs to (in the writer's scope). */
  async function contentOf(principal: Principal, body: Static<typeof AreaBody>, excludeArea: number | null) {
    if (body.mode === 'other' && !body.modeOther?.trim()) throw new ApiError(400, 'invalid_parameter', '改造模式为“其他”时请填写说明 (modeOther)', { parameter: 'modeOther' });
    const { ruleSet, input } = await prepareCheck(ruleSets, { ...body, excludeArea: excludeArea ?? undefined });
    const district = await areas.districtOf(body.boundary);
    if (!district) throw new GeometryError('边界不在任何区县内：请检查坐标（经度, 纬度）或所在城市', 'boundary');
    const scope = Scope.of(principal);
    scope.assertWritable(district, '该区域', '绘制');
    const result = await runCheck(app.pool, ruleSet, input, scope.districts);
    const saved = {
      ruleSet: ruleSet.id, ruleSetVersion: ruleSet.version, boundary: body.boundary,
      fragments: body.fragments ?? { type: 'FeatureCollection', features: [] }, supportingLand: body.supportingLand ?? { type: 'FeatureCollection', features: [] },
      parcels: body.parcels ?? null, fragmentParcels: body.fragmentParcels ?? [], uncoveredIsFragment: body.uncoveredIsFragment ?? true,
      figures: input.figures,
    };
    return {
      name: body.name.trim(), mode: body.mode, modeOther: body.mode === 'other' ? body.modeOther!.trim() : null,
      targetLandUse: body.targetLandUse?.trim() || null, note: body.note?.trim() || null, input: saved, result, districtCode: district.code,
    };
  }

  function assertEditable(principal: Principal, row: AreaRow): void {
    Scope.of(principal).assertWritable({ code: row.district_code, name: row.district_name }, '该区域');
    if (!areaEditable(row.status as AreaStatus)) {
      throw new ApiError(409, 'not_editable', `该区域处于“${areaStatusLabel(row.status)}”状态，不能修改；如需修改，请先退回为草案。`, { status: row.status });
    }
  }

  const actorOf = (request: { id: string }, principal: Principal) => ({ name: principal.username, requestId: request.id });

  app.get('/api/areas', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'],
      summary: '成片改造区域 list (the reader\'s districts), by district and status',
      querystring: Type.Object({
        district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN })),
        status: Type.Optional(StringEnum(AREA_STATUS_CODES)),
        page: Type.Integer({ minimum: 1, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AreaSummary), total: Type.Integer() }) },
    },
  }, async (request) => {
    const { rows, total } = await areas.list({ ...request.query, allowedDistricts: scopeOf(request).districts });
    return { items: rows.map(summaryOf), total };
  });

  app.get('/api/areas/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['areas'], summary: 'One area: current version with its check input and answer, and the list of versions', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: AreaDetail } },
  }, async (request) => detail(await readable(principalOf(request), request.params.id)));

  app.get('/api/areas/:id/versions/:version', {
    config: { permission: 'data:read' },
    schema: { tags: ['areas'], summary: 'One saved version of an area', params: Type.Object({ id: Type.Integer({ minimum: 1 }), version: Type.Integer({ minimum: 1 }) }), response: { 200: AreaDetail } },
  }, async (request) => {
    const row = await readable(principalOf(request), request.params.id);
    const version = await areas.version(request.params.id, request.params.version);
    if (!version) throw new NotFoundError(`区域 ${request.params.id} 没有第 ${request.params.version} 版（当前第 ${row.version} 版）`);
    return detail(row, version);
  });

  app.post('/api/areas', {
    config: { permission: 'areas:write' },
    schema: { tags: ['areas'], summary: 'Save a new area (version 1, 草案); the check is run and stored with it', body: AreaBody, response: { 201: AreaDetail } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const content = await contentOf(principal, request.body, null);
    const id = await areas.create(content, actorOf(request, principal));
    return reply.code(201).send(await detail((await areas.find(id))!));
  });

  app.put('/api/areas/:id', {
    config: { permission: 'areas:write' },
    schema: { tags: ['areas'], summary: 'Revise an area: a new version (草案 or 退回 only); 409 if someone saved since baseVersion', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: ReviseBody, response: { 200: AreaDetail } },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await readable(principal, request.params.id);
    assertEditable(principal, row);
    const content = await contentOf(principal, request.body, Number(row.id));
    const version = await areas.revise(Number(row.id), request.body.baseVersion, content, actorOf(request, principal));
    if (version === undefined) throw new ApiError(409, 'version_conflict', `该区域已被保存为第 ${row.version} 版（您修改的是第 ${request.body.baseVersion} 版）：请重新打开后再修改。`, { currentVersion: row.version });
    return detail((await areas.find(Number(row.id)))!);
  });

  app.post('/api/areas/:id/restore', {
    config: { permission: 'areas:write' },
    schema: {
      tags: ['areas'], summary: 'Restore an old version as a new version (re-checked with the rule set it names)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: Type.Object({ version: Type.Integer({ minimum: 1 }), baseVersion: Type.Integer({ minimum: 1 }) }), response: { 200: AreaDetail },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await readable(principal, request.params.id);
    assertEditable(principal, row);
    const old = await areas.version(Number(row.id), request.body.version);
    if (!old) throw new NotFoundError(`区域 ${row.id} 没有第 ${request.body.version} 版`);
    const body = { ...(old.input as Static<typeof CheckBody>), name: old.name, mode: old.mode as Static<typeof AreaBody>['mode'], modeOther: old.mode_other, targetLandUse: old.target_land_use, note: `恢复第 ${old.version} 版` };
    const content = await contentOf(principal, body, Number(row.id));
    const version = await areas.revise(Number(row.id), request.body.baseVersion, content, actorOf(request, principal), 'restore');
    if (version === undefined) throw new ApiError(409, 'version_conflict', `该区域已被保存为第 ${row.version} 版：请重新打开后再恢复。`, { currentVersion: row.version });
    return detail((await areas.find(Number(row.id)))!);
  });

  app.post('/api/areas/:id/status', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['areas'], summary: 'Move an area along 草案 → 报审 → 批准 / 退回 (planners submit, officials decide)',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ status: StringEnum(AREA_STATUS_CODES), note: Type.Optional(Type.String({ maxLength: 1000 })) }),
      response: { 200: AreaDetail },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await readable(principal, request.params.id);
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
    scopeOf(request).assertWritable({ code: row.district_code, name: row.district_name }, '该区域', '审批');
    if (!(await areas.setStatus(Number(row.id), from, to, request.body.note ?? null, actorOf(request, principal)))) {
      throw new ApiError(409, 'version_conflict', '该区域的状态刚被他人改变：请刷新后重试。');
    }
    return detail((await areas.find(Number(row.id)))!);
  });

  app.delete('/api/areas/:id', {
    config: { permission: 'areas:write' },
    schema: { tags: ['areas'], summary: 'Delete an area (soft: kept with its versions and history)', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await readable(principal, request.params.id);
    scopeOf(request).assertWritable({ code: row.district_code, name: row.district_name }, '该区域', '删除');
    if (row.status === 'approved') throw new ApiError(409, 'not_editable', '已批准的区域不能删除；如需撤销，请先由审核人员退回。');
    await areas.softDelete(Number(row.id), actorOf(request, principal));
    return reply.code(204).send();
  });

  await app.register(boundaryFromFileRoute);
}
