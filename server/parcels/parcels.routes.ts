import { Type, type Static, type TSchema } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../../domain/districts.js';
import { EFFICIENCY_STATUS_CODES, EVALUATION_GRADES, INEFFICIENCY_TYPE_CODES, REDEVELOPMENT_INTENTS } from '../../domain/efficiency.js';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import { PARCEL_FIELD_ACTIONS, roleCan, roleLabel, type EditableParcelKey } from '../../domain/permissions.js';
import type { AppInstance } from '../app-instance.js';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import { writeAs } from '../db/actor.js';
import { ApiError, GeometryError, InvalidParameterError, NotFoundError } from '../errors.js';
import { assertGeoJsonPolygon } from '../geometry/geojson.js';
import { StringEnum } from '../../domain/api/common.schemas.js';
import { createParcelsRepository } from './parcels.repository.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

function describe(key: string): string {
  const field = PARCEL_FIELDS.find((candidate) => candidate.key === key);
  if (!field) return key;
  return field.unit ? `${field.label} (${field.unit})` : field.label;
}

const text = (key: string) => nullable(Type.String({ description: describe(key) }));
const number = (key: string) => nullable(Type.Number({ description: describe(key) }));
const flag = (key: string) => nullable(Type.Boolean({ description: describe(key) }));

export const ParcelDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String({ description: describe('code') }),
  districtCode: Type.String(),
  districtName: Type.String(),
  owner: text('owner'),
  townOrPark: text('townOrPark'),
  location: text('location'),
  registeredAreaM2: number('registeredAreaM2'),
  areaM2: Type.Number({ description: describe('areaM2') }),
  contractNo: text('contractNo'),
  certificateNo: text('certificateNo'),
  landUseCode: text('landUseCode'),
  plannedFunction: text('plannedFunction'),
  industryCode: text('industryCode'),
  floorAreaM2: number('floorAreaM2'),
  floorAreaRatio: number('floorAreaRatio'),
  buildingCoverage: number('buildingCoverage'),
  investmentIntensity: number('investmentIntensity'),
  outputPerMu: number('outputPerMu'),
  taxPerMu: number('taxPerMu'),
  productionStart: text('productionStart'),
  productionStop: text('productionStop'),
  adminFacilityShare: number('adminFacilityShare'),
  undevelopedAreaM2: number('undevelopedAreaM2'),
  meetsSafety: flag('meetsSafety'),
  meetsEnvironment: flag('meetsEnvironment'),
  meetsEnergy: flag('meetsEnergy'),
  status: Type.Union([Type.String({ description: describe('status') }), Type.Null()]),
  inefficiencyType: text('inefficiencyType'),
  identifiedAt: text('identifiedAt'),
  redevelopmentIntent: text('redevelopmentIntent'),
  evaluationGrade: text('evaluationGrade'),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) }, { description: 'GeoJSON, EPSG:4490' }),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  restricted: Type.Boolean({ description: 'outside the reader\'s 管辖范围: only identity, land use, area and geometry are given' }),
});

export type ParcelDetailBody = Static<typeof ParcelDetail>;

const ParcelListItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()]),
  districtCode: Type.String(),
  status: Type.String(),
  inefficiencyType: Type.Union([Type.String(), Type.Null()]),
  areaM2: Type.Number(),
});

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() }, { additionalProperties: true });

// Null first in every union of a request body: with type coercion on, a string, number or boolean
// schema tried first turns null into "", 0 or false, and a cleared field would be stored as such.
const nullableText = (maxLength = 200) => Type.Union([Type.Null(), Type.String({ maxLength })]);
const nullableAmount = (maximum?: number) => Type.Union([Type.Null(), Type.Number({ minimum: 0, ...(maximum === undefined ? {} : { maximum }) })]);
const nullableDate = () => Type.Union([Type.Null(), Type.String({ format: 'date' })]);
const nullableFlag = () => Type.Union([Type.Null(), Type.Boolean()]);
const codes = <T extends string>(values: readonly T[]) => StringEnum(values);

/** Editable attributes; which role may change which is `PARCEL_FIELD_ACTIONS` in domain/permissions.ts. */
const ParcelPatch = Type.Object({
  owner: Type.Optional(nullableText()),
  townOrPark: Type.Optional(nullableText()),
  location: Type.Optional(nullableText(300)),
  registeredAreaM2: Type.Optional(nullableAmount(1e9)),
  contractNo: Type.Optional(nullableText(64)),
  certificateNo: Type.Optional(nullableText(100)),
  landUseCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9A-Z]{2,6}$' }), Type.Null()])),
  industryCode: Type.Optional(Type.Union([Type.String({ pattern: '^[A-T][0-9]{0,4}$' }), Type.Null()])),
  floorAreaM2: Type.Optional(nullableAmount(1e9)),
  floorAreaRatio: Type.Optional(nullableAmount(100)),
  buildingCoverage: Type.Optional(nullableAmount(1)),
  investmentIntensity: Type.Optional(nullableAmount(1e7)),
  outputPerMu: Type.Optional(nullableAmount(1e7)),
  taxPerMu: Type.Optional(nullableAmount(1e7)),
  productionStart: Type.Optional(nullableDate()),
  productionStop: Type.Optional(nullableDate()),
  adminFacilityShare: Type.Optional(nullableAmount(1)),
  undevelopedAreaM2: Type.Optional(nullableAmount(1e9)),
  meetsSafety: Type.Optional(nullableFlag()),
  meetsEnvironment: Type.Optional(nullableFlag()),
  meetsEnergy: Type.Optional(nullableFlag()),
  plannedFunction: Type.Optional(nullableText(100)),
  redevelopmentIntent: Type.Optional(Type.Union([codes(REDEVELOPMENT_INTENTS.map((intent) => intent.code)), Type.Null()])),
  status: Type.Optional(codes(EFFICIENCY_STATUS_CODES)),
  inefficiencyType: Type.Optional(Type.Union([codes(INEFFICIENCY_TYPE_CODES), Type.Null()])),
  identifiedAt: Type.Optional(nullableDate()),
  evaluationGrade: Type.Optional(Type.Union([codes(EVALUATION_GRADES), Type.Null()])),
  geometry: Type.Optional(Type.Object({ type: codes(['Polygon', 'MultiPolygon'] as const), coordinates: Type.Array(Type.Unknown()) }, { description: 'GeoJSON in EPSG:4490/4326' })),
  expectedUpdatedAt: Type.Optional(Type.String({ format: 'date-time', description: 'the updatedAt the edit started from; 409 if the parcel changed since' })),
}, { additionalProperties: false, minProperties: 1 });

const HistoryEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Array(Type.Object({ key: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
});

/** What a reader outside the parcel's district may see: where it is and what it is, not who or how much. */
const PUBLIC_KEYS = new Set(['id', 'code', 'districtCode', 'districtName', 'landUseCode', 'areaM2', 'bbox', 'geometry', 'updatedAt']);

function restrictedView(parcel: ParcelDetailBody): ParcelDetailBody {
  const masked = Object.fromEntries(Object.entries(parcel).map(([key, value]) => [key, PUBLIC_KEYS.has(key) ? value : null]));
  return { ...(masked as ParcelDetailBody), restricted: true };
}

export async function parcelsRoutes(app: AppInstance): Promise<void> {
  const parcels = createParcelsRepository(app.db);

  app.get('/api/parcels/:id', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '一宗一卡: every attribute of one parcel, with its geometry (attributes hidden outside the reader\'s districts)',
      params: Type.Object({ id: Type.Integer({ minimum: 1, description: 'parcel id' }) }),
      response: { 200: ParcelDetail, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await parcels.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    return scopeOf(request).covers(parcel.districtCode) ? parcel : restrictedView(parcel);
  });

  app.patch('/api/parcels/:id', {
    // Reading is the floor; each field then needs its own action (PARCEL_FIELD_ACTIONS) and the
    // parcel's district must be in the user's scope.
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '修改地块属性或图形 (recorded in history with who, when, before and after)',
      params: Type.Object({ id: Type.Integer({ minimum: 1, description: 'parcel id' }) }),
      body: ParcelPatch,
      response: { 200: ParcelDetail, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const { expectedUpdatedAt, ...changes } = request.body;
    const current = await parcels.find(request.params.id);
    if (!current) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scopeOf(request).assertWritable({ code: current.districtCode, name: current.districtName });
    const keys = Object.keys(changes) as EditableParcelKey[];
    if (keys.length === 0) throw new ApiError(400, 'invalid_parameter', '请求中没有要修改的字段。', { parameter: '(body)' });
    const forbidden = keys.filter((key) => !roleCan(principal.role, PARCEL_FIELD_ACTIONS[key]!));
    if (forbidden.length > 0) {
      const labels = forbidden.map((key) => PARCEL_FIELDS.find((field) => field.key === key)?.label ?? (key === 'geometry' ? '地块图形' : key));
      throw new ApiError(403, 'forbidden_fields', `您的角色（${roleLabel(principal.role)}）不能修改：${labels.join('、')}。`, { fields: forbidden });
    }
    if (changes.geometry) assertGeoJsonPolygon(changes.geometry);
    const outcome = await writeAs(app.db, { name: principal.username, requestId: request.id }, (transaction) =>
      parcels.update(transaction, current.id, changes, { expectedUpdatedAt, actor: principal.username }));
    if (outcome === 'conflict') {
      throw new ApiError(409, 'conflict', '该地块在您编辑期间已被他人修改，请刷新后重试。', { parameter: 'expectedUpdatedAt' });
    }
    if (outcome !== 'updated') throw new GeometryError(outcome.reason, 'geometry');
    const updated = (await parcels.find(current.id))!;
    // Right away for this process; other processes hear of it through the database (tile_changes).
    app.tileCache.invalidate('parcels', [current.bbox as [number, number, number, number], updated.bbox as [number, number, number, number]]);
    return updated;
  });

  app.get('/api/parcels/:id/history', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '地块修改记录: who changed which field, from what to what, newest first',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: { 200: Type.Object({ items: Type.Array(HistoryEntry) }), 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await parcels.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    scopeOf(request).assertReadable({ code: parcel.districtCode, name: parcel.districtName });
    return { items: await parcels.history(parcel.id) };
  });

  app.get('/api/parcels', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: '地块列表, filtered by district, status and 低效类型, paged (only the reader\'s districts)',
      querystring: Type.Object({
        district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
        status: Type.Optional(StringEnum(EFFICIENCY_STATUS_CODES, { description: '效率状态' })),
        type: Type.Optional(StringEnum(INEFFICIENCY_TYPE_CODES, { description: '低效类型' })),
        page: Type.Integer({ minimum: 1, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(ParcelListItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
      },
    },
  }, async (request) => parcels.list({ ...request.query, allowedDistricts: scopeOf(request).districts }));

  app.get('/api/parcels/geojson', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['parcels'],
      summary: 'Parcels in a box as GeoJSON at full precision (drawing, snapping, live checks); outside the reader\'s districts without status',
      querystring: Type.Object({
        bbox: Type.String({ pattern: '^-?\\d+(\\.\\d+)?(,-?\\d+(\\.\\d+)?){3}$', description: 'minLon,minLat,maxLon,maxLat (at most 0.1° × 0.1°)' }),
        limit: Type.Integer({ minimum: 1, maximum: 5000, default: 3000 }),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const [minLon, minLat, maxLon, maxLat] = request.query.bbox.split(',').map(Number);
    if (!(minLon < maxLon && minLat < maxLat) || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
      throw new InvalidParameterError('bbox', '参数 bbox 应为 最小经度,最小纬度,最大经度,最大纬度，且最小值小于最大值');
    }
    if (maxLon - minLon > 0.1 || maxLat - minLat > 0.1) throw new InvalidParameterError('bbox', '范围过大：bbox 最多 0.1° × 0.1°（约 10 千米），请放大地图后再取地块');
    return await parcels.geojsonInBox([minLon, minLat, maxLon, maxLat], request.query.limit, scopeOf(request).districts);
  });
}
