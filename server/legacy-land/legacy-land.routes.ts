import type { FastifyRequest } from 'fastify';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import {
  LegacyLandBoxQuery, LegacyLandCreate, LegacyLandDetail, LegacyLandFeatures, LegacyLandList, LegacyLandListQuery, LegacyLandParams, LegacyLandPatch,
  LegacyLandTransition, type LegacyLand,
} from '../../domain/api/legacy-land.schemas.js';
import { checkPolygonInput } from '../../domain/geometry-input.validation.js';
import { legacyGeometryEditable, legacyNextStatuses, legacyStatusLabel } from '../../domain/legacy-land.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Scope } from '../auth/scope.js';
import { ApiError, GeometryError, NotFoundError } from '../errors.js';
import type { LegacyLandRow } from './legacy-land.repository.js';

const REFUSALS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
/** The map layer sends at most this many records per box (larger ones first); `truncated` says more lie there. */
const MAX_FEATURES = 2000;

export const actorOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return { name: principal.username, displayName: principal.displayName, requestId: request.id };
};

/** 历史遗留用地数据库: list, map layer, one record, create, edit, state changes (seed 004 三(三)3). */
export async function legacyLandRoutes(app: AppInstance): Promise<void> {
  const legacy = app.legacyLandRepository;
  const lists = app.stockListsRepository;

  const view = (row: LegacyLandRow, labels: Map<string, string>): LegacyLand => ({
    ...row, periodLabel: labels.get(row.period) ?? row.period, statusAt: new Date(row.statusAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString(), nextStatuses: [...legacyNextStatuses(row.status)],
  });

  async function readable(scope: Scope, id: number) {
    const row = await legacy.find(id);
    if (!row) throw new NotFoundError(`没有编号为 ${id} 的历史遗留用地记录`);
    scope.assertReadable({ code: row.districtCode, name: row.districtName }, '该记录');
    return row;
  }

  /** A period of the current list (400 naming `period` and the choices otherwise). */
  async function periodOf(code: string): Promise<{ code: string; version: number }> {
    const list = await lists.current('legacy_period');
    if (!list.items.some((item) => item.code === code)) {
      throw new ApiError(400, 'invalid_parameter', `发生时期“${code}”不在当前清单（第 ${list.version} 版）中；可选：${list.items.map((item) => `${item.code}（${item.label}）`).join('、')}。`, { parameter: 'period' });
    }
    return { code, version: list.version };
  }

  /** A drawn or sent shape: sound numbers in China, an area once made valid, inside a district the writer covers. */
  async function placeOf(scope: Scope, geometry: { type: string; coordinates: unknown }) {
    const check = checkPolygonInput(geometry);
    if (!check.ok) throw new GeometryError(check.message, 'geometry');
    if ((await legacy.geometryArea(geometry)) <= 0) throw new GeometryError('图形面积为 0（修复自相交后没有剩下面）', 'geometry');
    const district = await legacy.districtOf(geometry);
    if (!district) throw new GeometryError('图形不在任何区县内：请检查坐标（经度, 纬度）', 'geometry');
    scope.assertWritable(district, '该图形', '登记');
    return district;
  }

  const detail = async (id: number): Promise<LegacyLandDetail> => {
    const row = (await legacy.find(id))!;
    const labels = await lists.labels('legacy_period');
    const steps = (await legacy.steps(id)).map((step) => ({ ...step, at: new Date(step.at as unknown as string).toISOString() }));
    return { ...view(row, labels), geometry: row.geometry, steps } as LegacyLandDetail;
  };

  app.get('/api/legacy-lands', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: '历史遗留用地 in the reader\'s districts, with counts and areas by state and period', querystring: LegacyLandListQuery, response: { 200: LegacyLandList, 400: ErrorBody } },
  }, async (request) => {
    const { rows, total, totalAreaM2, byStatus, byPeriod } = await legacy.list(request.query, scopeOf(request));
    const labels = await lists.labels('legacy_period');
    return {
      items: rows.map((row) => view(row, labels)), total, totalAreaM2, byStatus,
      byPeriod: byPeriod.map((entry) => ({ ...entry, label: labels.get(entry.code) ?? entry.code })),
    };
  });

  app.get('/api/legacy-lands/features', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'The map layer: records in a box as GeoJSON (the reader\'s districts)', querystring: LegacyLandBoxQuery, response: { 200: LegacyLandFeatures, 400: ErrorBody } },
  }, async (request) => {
    const box = request.query.bbox.split(',').map(Number) as [number, number, number, number];
    if (box.some((value) => !Number.isFinite(value)) || box[0] >= box[2] || box[1] >= box[3]) {
      throw new ApiError(400, 'invalid_parameter', 'bbox 应为 最小经度,最小纬度,最大经度,最大纬度，且最小值小于最大值。', { parameter: 'bbox' });
    }
    return legacy.features(box, scopeOf(request), MAX_FEATURES) as Promise<LegacyLandFeatures>;
  });

  app.get('/api/legacy-lands/:id', {
    config: { permission: 'data:read' },
    schema: { tags: ['stock'], summary: 'One record with its shape and every state change (who, when, why)', params: LegacyLandParams, response: { 200: LegacyLandDetail, ...REFUSALS } },
  }, async (request) => {
    await readable(scopeOf(request), request.params.id);
    return detail(request.params.id);
  });

  app.post('/api/legacy-lands', {
    config: { permission: 'legacy:write' },
    schema: { tags: ['stock'], summary: 'Records a 历史遗留用地 (drawn on the map), 待认定', body: LegacyLandCreate, response: { 201: LegacyLandDetail, ...REFUSALS } },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const { geometry, period, ...facts } = request.body;
    const chosen = await periodOf(period);
    const district = await placeOf(scope, geometry);
    const [id] = await legacy.create([{ ...facts, period: chosen.code, periodVersion: chosen.version, geometry, districtCode: district.code, source: 'drawn' }], actorOf(request));
    reply.code(201);
    return detail(id);
  });

  app.patch('/api/legacy-lands/:id', {
    config: { permission: 'legacy:write' },
    schema: { tags: ['stock'], summary: 'Changes a record\'s facts (shape, period and 图斑 only while 待认定)', params: LegacyLandParams, body: LegacyLandPatch, response: { 200: LegacyLandDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该记录');
    const { expectedVersion, geometry, period, ...facts } = request.body;
    const surveyFacts = geometry !== undefined || period !== undefined || facts.surveyYear !== undefined || facts.surveyBsm !== undefined;
    if (surveyFacts && !legacyGeometryEditable(row.status)) {
      throw new ApiError(409, 'not_editable', `该记录已是“${legacyStatusLabel(row.status)}”：图形、发生时期和调查图斑只能在“待认定”时修改；认定标准、处置政策和说明仍可修改。`, { status: row.status });
    }
    const chosen = period !== undefined ? await periodOf(period) : null;
    if (geometry) {
      const district = await placeOf(scope, geometry);
      if (district.code !== row.districtCode) throw new GeometryError(`新图形主要位于 ${district.name}，而该记录属于 ${row.districtName}：请在本区县内修改`, 'geometry');
    }
    const saved = await legacy.update(row.id, { ...facts, ...(chosen ? { period: chosen.code, periodVersion: chosen.version } : {}), geometry }, expectedVersion, actorOf(request));
    if (!saved.ok) throw new ApiError(409, 'stale_version', `该记录已被他人修改为第 ${saved.currentVersion} 版（您打开的是第 ${expectedVersion} 版）：请重新打开后再修改。`, { currentVersion: saved.currentVersion });
    return detail(row.id);
  });

  app.post('/api/legacy-lands/:id/status', {
    config: { permission: 'legacy:decide' },
    schema: { tags: ['stock'], summary: '待认定 → 已认定 → 处置中 → 已处置 (409 naming the allowed steps otherwise)', params: LegacyLandParams, body: LegacyLandTransition, response: { 200: LegacyLandDetail, ...REFUSALS } },
  }, async (request) => {
    const scope = scopeOf(request);
    const row = await readable(scope, request.params.id);
    scope.assertWritable({ code: row.districtCode, name: row.districtName }, '该记录', '认定或处置');
    const { status, reason, expectedVersion } = request.body;
    const allowed = legacyNextStatuses(row.status);
    if (!allowed.includes(status)) {
      throw new ApiError(409, 'invalid_transition', `该记录是“${legacyStatusLabel(row.status)}”，不能改为“${legacyStatusLabel(status)}”；可改为：${allowed.map(legacyStatusLabel).join('、') || '无（已处置为终态）'}。`, { status: row.status, allowed: [...allowed] });
    }
    if (!reason.trim()) throw new ApiError(400, 'invalid_parameter', '请填写依据或理由 (reason)。', { parameter: 'reason' });
    const moved = await legacy.transition(row.id, row.status, status, reason.trim(), expectedVersion, actorOf(request));
    if (!moved.ok) throw new ApiError(409, 'stale_version', `该记录已被他人修改（现为第 ${moved.currentVersion} 版，“${legacyStatusLabel(moved.status)}”）：请重新打开后再操作。`, { currentVersion: moved.currentVersion });
    return detail(row.id);
  });
}
