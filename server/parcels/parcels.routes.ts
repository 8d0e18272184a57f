import { Type, type Static, type TSchema } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../../domain/districts.js';
import { EFFICIENCY_STATUS_CODES, INEFFICIENCY_TYPE_CODES } from '../../domain/efficiency.js';
import { PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import type { AppInstance } from '../app.js';
import { NotFoundError } from '../errors.js';
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
  status: Type.String({ description: describe('status') }),
  inefficiencyType: text('inefficiencyType'),
  identifiedAt: text('identifiedAt'),
  redevelopmentIntent: text('redevelopmentIntent'),
  evaluationGrade: text('evaluationGrade'),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) }, { description: 'GeoJSON, EPSG:4490' }),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
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

export async function parcelsRoutes(app: AppInstance): Promise<void> {
  const parcels = createParcelsRepository(app.db);

  app.get('/api/parcels/:id', {
    schema: {
      tags: ['parcels'],
      summary: '一宗一卡: every attribute of one parcel, with its geometry',
      params: Type.Object({ id: Type.Integer({ minimum: 1, description: 'parcel id' }) }),
      response: { 200: ParcelDetail, 404: ErrorBody },
    },
  }, async (request) => {
    const parcel = await parcels.find(request.params.id);
    if (!parcel) throw new NotFoundError(`没有编号为 ${request.params.id} 的地块`, { parameter: 'id' });
    return parcel;
  });

  app.get('/api/parcels', {
    schema: {
      tags: ['parcels'],
      summary: '地块列表, filtered by district, status and 低效类型, paged',
      querystring: Type.Object({
        district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
        status: Type.Optional(Type.Union(EFFICIENCY_STATUS_CODES.map((code) => Type.Literal(code)), { description: '效率状态' })),
        type: Type.Optional(Type.Union(INEFFICIENCY_TYPE_CODES.map((code) => Type.Literal(code)), { description: '低效类型' })),
        page: Type.Integer({ minimum: 1, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(ParcelListItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
      },
    },
  }, async (request) => parcels.list(request.query));
}
