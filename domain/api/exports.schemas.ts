import { Type, type Static } from 'typebox';
import { DISTRICT_CODE_PATTERN } from '../districts.js';
import { EFFICIENCY_STATUS_CODES, INEFFICIENCY_TYPE_CODES } from '../efficiency.js';
import { LAND_CATEGORY_CODES, NO_LAND_CATEGORY } from '../land-categories.js';
import {
  EXPORT_CRS_CODES, EXPORT_ENCODING_CODES, EXPORT_FORMAT_CODES, EXPORT_LAYER_CODES, EXPORT_STATUSES, MAX_EXPORT_SELECTION,
} from '../exports/export-kinds.js';
import { BoundingBox, Id, Nullable, StringEnum } from './common.schemas.js';

/** What to export: one filter object for every layer; each layer reads the keys it understands (`validateExportRequest`). */
export const ExportFilters = Type.Object({
  district: Type.Optional(Type.String({ pattern: DISTRICT_CODE_PATTERN, description: '行政区划代码 (city or district)' })),
  townOrPark: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '所在镇、街道或园区 (exact)' })),
  status: Type.Optional(StringEnum(EFFICIENCY_STATUS_CODES, { description: '效率状态' })),
  type: Type.Optional(StringEnum(INEFFICIENCY_TYPE_CODES, { description: '低效类型' })),
  category: Type.Optional(StringEnum([...LAND_CATEGORY_CODES, NO_LAND_CATEGORY.code], { description: `低效用地类别 (${NO_LAND_CATEGORY.code}: 未分类)` })),
  landUse: Type.Optional(Type.String({ pattern: '^[0-9]{2}([0-9]{2}[A-Z]?)?$', description: '地类编码 (2 digits: the class, 4: the subclass)' })),
  bbox: Type.Optional(BoundingBox),
  ids: Type.Optional(Type.Array(Id(), { minItems: 1, maxItems: MAX_EXPORT_SELECTION, uniqueItems: true, description: 'the current selection: parcel ids' })),
  year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100, description: 'survey year (layer survey)' })),
  areaId: Type.Optional(Id({ description: '成片改造区域 id (layers areas, area-report)' })),
  parcelId: Type.Optional(Id({ description: 'parcel id (layer parcel-card)' })),
  packageId: Type.Optional(Id({ description: '上图入库成果包 id (layer stock-package)' })),
}, { additionalProperties: false });
export type ExportFilters = Static<typeof ExportFilters>;

export const ExportRequest = Type.Object({
  layer: StringEnum(EXPORT_LAYER_CODES, { description: 'what to export' }),
  format: StringEnum(EXPORT_FORMAT_CODES, { description: 'file format (which layer takes which: LAYER_FORMATS)' }),
  crs: Type.Optional(StringEnum(EXPORT_CRS_CODES, { description: 'geodata only; default gauss-kruger (GeoJSON is always WGS84)' })),
  encoding: Type.Optional(StringEnum(EXPORT_ENCODING_CODES, { description: 'Shapefile only; default GBK' })),
  filters: Type.Optional(ExportFilters),
}, { additionalProperties: false });
export type ExportRequest = Static<typeof ExportRequest>;

export const ExportIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ExportJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  layer: StringEnum(EXPORT_LAYER_CODES),
  format: StringEnum(EXPORT_FORMAT_CODES),
  crs: Nullable(Type.String({ description: 'the coordinate system written, e.g. EPSG:4527 (CGCS2000 3-degree GK zone 39); null for tables and PDFs' })),
  encoding: Nullable(Type.String({ description: 'the text encoding written (Shapefile), e.g. GBK or UTF-8' })),
  filters: ExportFilters,
  status: StringEnum(EXPORT_STATUSES),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  rowCount: Nullable(Type.Integer({ description: 'features or rows written' })),
  fileName: Nullable(Type.String({ description: 'the download name, saying what is inside' })),
  bytes: Nullable(Type.Integer()),
  notes: Type.Array(Type.String(), { description: 'what the user should know about the file (zone chosen, encoding fallback, renamed fields)' }),
  error: Nullable(Type.Object({ reason: Type.String(), message: Type.String() })),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time', description: 'when the file is removed' })),
  downloadUrl: Nullable(Type.String({ description: 'GET it for the file once status is done' })),
});
export type ExportJob = Static<typeof ExportJob>;

export const ExportList = Type.Object({ items: Type.Array(ExportJob) });
export type ExportList = Static<typeof ExportList>;
