import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { LEGACY_STATUS_CODES } from '../legacy-land.js';
import { BoundingBox, Id, Nullable, PageNumber, StringEnum, VersionNumber } from './common.schemas.js';

/** 历史遗留用地数据库 (issue 18 item 2): one record's facts as written and read. */
const facts = {
  name: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '名称（如 ×× 村厂房）' }))),
  location: Type.Optional(Nullable(Type.String({ maxLength: 300, description: '坐落' }))),
  userName: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '使用人（实际用地单位或个人）' }))),
  landUseCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9A-Z]{2,6}$', description: '现状地类编码（三调）' }))),
  floorAreaM2: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e9, description: '建筑面积, m²' }))),
  surveyYear: Type.Optional(Nullable(Type.Integer({ minimum: 1990, maximum: 2100, description: '发现它的国土调查（变更调查）年度' }))),
  surveyBsm: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, description: '该年度调查图斑的标识码 BSM' }))),
  standard: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '适用的认定标准' }))),
  disposalPolicy: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '适用的处置政策' }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};

const Geometry = Type.Object({
  type: StringEnum(['Polygon', 'MultiPolygon'] as const),
  coordinates: Type.Array(Type.Unknown()),
}, { description: 'GeoJSON [经度, 纬度] in CGCS2000 (EPSG:4490)' });

export const LegacyLandCreate = Type.Object({
  ...facts,
  currentUse: Type.String({ minLength: 1, maxLength: 200, description: '现状用途' }),
  period: Type.String({ minLength: 1, maxLength: 40, description: '发生时期: a code of the current legacy_period list' }),
  geometry: Geometry,
}, { additionalProperties: false });
export type LegacyLandCreate = Static<typeof LegacyLandCreate>;

export const LegacyLandPatch = Type.Object({
  ...facts,
  currentUse: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '现状用途' })),
  period: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  geometry: Type.Optional(Geometry),
  expectedVersion: VersionNumber({ description: 'the version the edit started from (409 stale_version otherwise)' }),
}, { additionalProperties: false });
export type LegacyLandPatch = Static<typeof LegacyLandPatch>;

export const LegacyLandTransition = Type.Object({
  status: StringEnum(LEGACY_STATUS_CODES, { description: 'the state to move to' }),
  reason: Type.String({ minLength: 1, maxLength: 2000, description: '依据或理由（认定文号、处置决定等）' }),
  expectedVersion: VersionNumber(),
}, { additionalProperties: false });
export type LegacyLandTransition = Static<typeof LegacyLandTransition>;

export const LegacyLandParams = Type.Object({ id: Id({ description: '历史遗留用地 id' }) });
export type LegacyLandParams = Static<typeof LegacyLandParams>;

export const LegacyLandListQuery = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  status: Type.Optional(StringEnum(LEGACY_STATUS_CODES)),
  period: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '编号、名称、坐落、使用人或 BSM 中的文字' })),
  page: PageNumber,
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
}, { additionalProperties: false });
export type LegacyLandListQuery = Static<typeof LegacyLandListQuery>;

export const LegacyLandStep = Type.Object({
  from: Type.String(), to: Type.String(), reason: Type.String(), actor: Type.String(), actorName: Type.String(), at: Type.String({ format: 'date-time' }),
});

export const LegacyLand = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: '编号 <区县代码>-LS-<年>-<序号>' }),
  districtCode: Type.String(),
  districtName: Type.String(),
  name: Nullable(Type.String()),
  location: Nullable(Type.String()),
  userName: Nullable(Type.String()),
  currentUse: Type.String(),
  landUseCode: Nullable(Type.String()),
  floorAreaM2: Nullable(Type.Number()),
  period: Type.String(),
  periodLabel: Type.String(),
  periodVersion: Type.Integer({ description: 'the version of the 发生时期 list the period was chosen from' }),
  surveyYear: Nullable(Type.Integer()),
  surveyBsm: Nullable(Type.String()),
  standard: Nullable(Type.String()),
  disposalPolicy: Nullable(Type.String()),
  status: Type.String(),
  statusAt: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  source: Type.String({ description: 'drawn 绘制 / imported 导入 / demo 演示' }),
  areaM2: Type.Number({ description: '椭球面积 (CGCS2000), m²' }),
  bbox: BoundingBox,
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  nextStatuses: Type.Array(Type.String(), { description: 'the states this record may move to' }),
});
export type LegacyLand = Static<typeof LegacyLand>;

export const LegacyLandDetail = Type.Object({
  ...LegacyLand.properties,
  geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) }),
  steps: Type.Array(LegacyLandStep),
});
export type LegacyLandDetail = Static<typeof LegacyLandDetail>;

const Figure = Type.Object({ code: Type.String(), label: Type.String(), count: Type.Integer(), areaM2: Type.Number() });
export const LegacyLandList = Type.Object({
  items: Type.Array(LegacyLand),
  total: Type.Integer(),
  totalAreaM2: Type.Number({ description: 'm² of all matching records (not only this page)' }),
  byStatus: Type.Array(Figure),
  byPeriod: Type.Array(Figure),
});
export type LegacyLandList = Static<typeof LegacyLandList>;

/** GeoJSON of the records in a box (the map layer): small properties only. */
export const LegacyLandBoxQuery = Type.Object({
  bbox: Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat (EPSG:4490)' }),
}, { additionalProperties: false });
export type LegacyLandBoxQuery = Static<typeof LegacyLandBoxQuery>;

export const LegacyLandFeatures = Type.Object({
  type: Type.Literal('FeatureCollection'),
  truncated: Type.Boolean({ description: 'more records lie in the box than were sent (zoom in)' }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Integer(),
    geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
    properties: Type.Object({ id: Type.Integer(), number: Type.String(), status: Type.String(), period: Type.String(), currentUse: Type.String(), areaM2: Type.Number() }),
  })),
});
export type LegacyLandFeatures = Static<typeof LegacyLandFeatures>;

export const LegacyLandImportResult = Type.Object({
  layer: Type.String(),
  sourceCrs: Type.String(),
  created: Type.Integer(),
  skipped: Type.Array(Type.Object({ feature: Type.Integer({ description: '1-based feature number in the file' }), reason: Type.String() })),
  ids: Type.Array(Type.Integer()),
});
export type LegacyLandImportResult = Static<typeof LegacyLandImportResult>;
